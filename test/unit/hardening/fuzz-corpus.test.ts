import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { CorpusError, loadCorpus } from "../../../src/corpus/load.ts";
import { seededRandom } from "../../../bench/stats.ts";

/**
 * Corpus fuzzing: files of every format the loader reads, mutated at random (seeded, so a failure can be
 * replayed) and made hostile on purpose. Whatever they hold, the load never crashes: it loads what it can
 * and reports each bad record once, with its file and line.
 */

const FIXTURES = new URL("../../fixtures/corpus/", import.meta.url);
const SOURCES = ["records.jsonl", "records-array.json", "hf-daily-papers.json", "mixed/01-daily-page.txt", "mixed/02-records.txt", "mixed/03-hf-daily.json"];

type Mutation = (text: string, random: () => number) => string;
const at = (text: string, random: () => number) => Math.floor(random() * (text.length + 1));
const MUTATIONS: Mutation[] = [
  (text, random) => text.slice(0, at(text, random)), // cut short
  (text, random) => { const i = at(text, random); return text.slice(0, i) + String.fromCharCode(Math.floor(random() * 0xffff)) + text.slice(i + 1); },
  (text, random) => { const i = at(text, random); return text.slice(0, i) + "\u0000\uFEFF\uD800" + text.slice(i); }, // NUL, BOM, a lone surrogate
  (text, random) => { const i = at(text, random); return text.slice(0, i) + "x".repeat(200_000) + text.slice(i); }, // a huge field or line
  (text) => `${"[".repeat(20_000)}${text}`, // nesting deep enough to overflow a recursive parser
  (text) => text.replace(/"title"/g, '"__proto__"'),
  (text) => text.replace(/"title":\s*"[^"]*"/g, '"title": {"toString": 1}'),
  (text) => text.replace(/"abstract":\s*"/g, '"abstract": 1e999, "x": "'),
  (text, random) => text.split("\n").filter(() => random() > 0.3).join("\n"),
  (text) => text.replace(/\n/g, "\r\n"),
];

const dir = await mkdtemp(join(tmpdir(), "paperbot-fuzz-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("loading hostile corpus files", () => {
  it("never crashes, and reports each bad record once, by file and line (300 mutated files)", async () => {
    const random = seededRandom(2024);
    const texts = await Promise.all(SOURCES.map((name) => readFile(new URL(name, FIXTURES), "utf8")));
    for (let round = 0; round < 300; round++) {
      const source = Math.floor(random() * texts.length);
      let text = texts[source]!;
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) text = MUTATIONS[Math.floor(random() * MUTATIONS.length)]!(text, random);
      const file = join(dir, `case-${round}.${SOURCES[source]!.endsWith(".json") ? "json" : SOURCES[source]!.endsWith(".jsonl") ? "jsonl" : "txt"}`);
      const bytes = Buffer.from(text, "utf8");
      await writeFile(file, random() < 0.2 ? gzipSync(bytes) : bytes);
      try {
        const corpus = await loadCorpus(file);
        const reported = corpus.problems.map((problem) => `${problem.file}:${problem.line ?? "-"}`);
        expect(new Set(reported).size, `round ${round}`).toBe(reported.length);
        for (const paper of corpus.papers) expect(typeof paper.title, `round ${round}`).toBe("string");
      } catch (error) {
        // The only acceptable failure: nothing at all could be loaded, said in one clear line.
        expect(error, `round ${round}`).toBeInstanceOf(CorpusError);
      }
      await rm(file);
    }
  }, 120_000);
});
