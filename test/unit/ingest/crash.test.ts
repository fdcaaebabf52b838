import { spawn } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/corpus/load.ts";
import { makePaper } from "../../../src/corpus/make-paper.ts";
import { ingest } from "../../../src/ingest/ingest.ts";
import { mergeIntoStore, readStore } from "../../../src/ingest/store.ts";
import { tempDir } from "./helpers.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const WRITER = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));

/** Starts the writer in its own process, waits (bounded) until it pauses mid-write, then SIGKILLs it. */
async function killMidWrite(storePath: string, where: "mid-write" | "before-rename"): Promise<{ temp: string; bytes: number; signal: string | null }> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, storePath, where, "3000"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<string | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  const paused = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the writer did not pause within 15 s; stdout: ${stdout} stderr: ${stderr}`)), 15_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /PAUSED (\S+) (-?\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.on("exit", () => reject(new Error(`the writer exited before pausing; stdout: ${stdout} stderr: ${stderr}`)));
  }).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });
  child.kill("SIGKILL");
  return { temp: paused[1]!, bytes: Number(paused[2]), signal: await exited };
}

let dir: string;
let store: string;
let cleanup: () => Promise<void>;
let previous: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  store = join(dir, "ingested.jsonl");
  const papers = Array.from({ length: 300 }, (_, i) => makePaper({ id: `2408.${String(30000 + i)}`, title: `Existing Paper ${i}`, abstract: "Already in the store.", source: "setup" }));
  await mergeIntoStore(store, papers);
  previous = await readFile(store, "utf8");
});
afterEach(() => cleanup());

describe("a crash while writing the store (a real process, SIGKILLed)", () => {
  for (const where of ["mid-write", "before-rename"] as const) {
    it(`${where}: the store still holds exactly the previous content, and the next ingest recovers`, async () => {
      const killed = await killMidWrite(store, where);
      expect(killed.signal).toBe("SIGKILL");
      // The new content was on its way: a temporary file, partly or wholly written, beside the store.
      const temp = await stat(killed.temp);
      if (where === "mid-write") expect(temp.size).toBe(killed.bytes);
      else expect(temp.size).toBeGreaterThan(1 << 20);

      expect(await readFile(store, "utf8")).toBe(previous);
      const corpus = await loadCorpus(dir);
      expect(corpus.papers).toHaveLength(300);
      expect(corpus.problems).toEqual([]);

      // The dead writer's lock and temporary file do not block or confuse the next ingest.
      const next = await mergeIntoStore(store, [makePaper({ id: "2408.99999", title: "After The Crash", source: "test" })], { lock: { timeoutMs: 5000 } });
      expect(next.counts).toEqual({ added: 1, updated: 0, unchanged: 0 });
      expect((await readStore(store)).papers).toHaveLength(301);
      await expect(stat(killed.temp)).rejects.toThrow(/ENOENT/);
    });
  }

  it("a payload with nothing valid leaves the store byte for byte as it was", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, '[{"paper": {"title": "no id"}}, {"title": ""}, 42]');
    const result = await ingest({ kind: "file", path: bad }, { storePath: store });
    expect(result).toMatchObject({ written: false, counts: { added: 0, updated: 0, unchanged: 0, rejected: 3 } });
    expect(await readFile(store, "utf8")).toBe(previous);
  });
});
