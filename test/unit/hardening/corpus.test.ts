import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/corpus/load.ts";
import { CORPUS_LIMITS, JsonLinesParser, parseCorpusFile } from "../../../src/corpus/read-corpus-stream.ts";

/** Finding 10: reading a corpus is linear in its size, and bounded. */

const defaults = { ...CORPUS_LIMITS };
afterEach(() => Object.assign(CORPUS_LIMITS, defaults));

describe("reading corpus files", () => {
  it("assembles a line split into 10,000 chunks in linear time (quadratic before: copying 50 GB)", () => {
    const parser = new JsonLinesParser("big.jsonl");
    const abstract = "x".repeat(1000);
    parser.push(Buffer.from(`{"title":"A very long record","abstract":"`));
    for (let i = 0; i < 10_000; i++) parser.push(Buffer.from(abstract));
    parser.push(Buffer.from('"}\n{"title":"Next"}\n'));
    const parsed = parser.end();
    expect(parsed.records.map((paper) => paper.title)).toEqual(["A very long record", "Next"]);
    expect(parsed.records[0]!.abstract).toHaveLength(10_000_000);
  });

  it("skips a line past the limit, says which, and reads on", () => {
    CORPUS_LIMITS.lineBytes = 1000;
    const parser = new JsonLinesParser("f.jsonl");
    parser.push(Buffer.from(`{"title":"ok"}\n{"title":"${"y".repeat(5000)}"}\n{"title":"after"}`));
    const parsed = parser.end();
    expect(parsed.records.map((paper) => paper.title)).toEqual(["ok", "after"]);
    expect(parsed.problems).toEqual([{ file: "f.jsonl", line: 2, reason: "line longer than 1000 bytes: skipped" }]);
  });

  it("refuses a file read whole past its limit with a message naming it; the rest of the corpus loads", async () => {
    CORPUS_LIMITS.wholeFileBytes = 10_000;
    const dir = await mkdtemp(join(tmpdir(), "paperbot-caps-"));
    await writeFile(join(dir, "a.json"), JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ title: `Paper ${i}` }))));
    await writeFile(join(dir, "b.jsonl"), '{"title":"Still here"}\n');
    await expect(parseCorpusFile(join(dir, "a.json"))).rejects.toThrow(`${join(dir, "a.json")} holds more than 10000 bytes`);
    const corpus = await loadCorpus(dir);
    expect(corpus.papers.map((paper) => paper.title)).toEqual(["Still here"]);
    expect(corpus.problems[0]).toMatchObject({ file: join(dir, "a.json"), reason: expect.stringContaining("more than 10000 bytes") });
  });
});
