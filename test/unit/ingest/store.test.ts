import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/corpus/load.ts";
import { recordToPaper } from "../../../src/corpus/loaders/records.ts";
import { makePaper } from "../../../src/corpus/make-paper.ts";
import type { Paper } from "../../../src/corpus/paper.ts";
import { writeFileAtomic } from "../../../src/ingest/atomic-write.ts";
import { LockTimeoutError, withFileLock } from "../../../src/ingest/lock.ts";
import { mergeIntoStore, readStore, toRecord } from "../../../src/ingest/store.ts";
import { tempDir } from "./helpers.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const HOLDER = fileURLToPath(new URL("./lock-holder.ts", import.meta.url));
const MERGE_WRITER = fileURLToPath(new URL("./merge-writer.ts", import.meta.url));

/** Waits, bounded, until a child process prints `text`. */
function waitForOutput(child: ChildProcess, text: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms: ${output}`)), timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

let dir: string;
let store: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  store = join(dir, "ingested.jsonl");
});
afterEach(() => cleanup());

const hfPaper = (fields: Partial<Parameters<typeof makePaper>[0]> = {}): Paper =>
  makePaper({
    id: "2408.01234",
    title: "Sparse Attention Routers for Long-Context Retrieval",
    abstract: "Long-context models waste compute.",
    authors: ["Mei Tanaka", "Jonas Weber"],
    published: "2024-08-02",
    listed: "2024-08-05",
    upvotes: 42,
    keywords: ["sparse attention"],
    summary: "Routers pick key blocks.",
    project: "https://example-lab.github.io/sparse-routers/",
    code: ["https://github.com/example-lab/sparse-routers"],
    source: "hf",
    ...fields,
  });
const arxivPaper = (fields: Partial<Parameters<typeof makePaper>[0]> = {}): Paper =>
  makePaper({ id: "2408.01234v3", title: "Sparse Attention Routers for Long-Context Retrieval", abstract: "Long-context models waste compute.", authors: ["Mei Tanaka", "Jonas Weber"], published: "2024-08-02", source: "arxiv", ...fields });
const withoutSource = ({ source: _, ...paper }: Paper) => paper;

describe("store records", () => {
  it("round-trip through recordToPaper: what we write is what the loader reads back", () => {
    const paper = hfPaper({ venue: "NeurIPS 2024", url: "https://example.org/paper" });
    const back = recordToPaper(JSON.parse(JSON.stringify(toRecord(paper))), "x");
    expect(withoutSource(back as Paper)).toEqual(withoutSource(paper));
    expect((back as Paper).links.project).toBe("https://example-lab.github.io/sparse-routers/");
  });

  it("omits what is unknown and writes one compact line", () => {
    const record = toRecord(arxivPaper());
    expect(JSON.stringify(record)).toBe(
      '{"id":"2408.01234","title":"Sparse Attention Routers for Long-Context Retrieval","abstract":"Long-context models waste compute.","authors":["Mei Tanaka","Jonas Weber"],"published":"2024-08-02"}',
    );
  });
});

describe("mergeIntoStore", () => {
  it("counts added, updated and unchanged, and rewrites only when something changed", async () => {
    const first = await mergeIntoStore(store, [hfPaper(), arxivPaper({ id: "2408.09999", title: "Another Paper" })]);
    expect(first.counts).toEqual({ added: 2, updated: 0, unchanged: 0 });
    expect(first.papers.map((paper) => paper.source)).toEqual([`${store}:1`, `${store}:2`]);

    const before = await stat(store);
    const again = await mergeIntoStore(store, [hfPaper(), arxivPaper({ id: "2408.09999", title: "Another Paper" })]);
    expect(again).toMatchObject({ counts: { added: 0, updated: 0, unchanged: 2 }, papers: [], written: false });
    expect((await stat(store)).mtimeMs).toBe(before.mtimeMs);

    const third = await mergeIntoStore(store, [hfPaper({ upvotes: 50 }), arxivPaper({ id: "2408.07777", title: "A Third" })]);
    expect(third.counts).toEqual({ added: 1, updated: 1, unchanged: 0 });
    expect(third.papers.map((paper) => [paper.id, paper.upvotes ?? null, paper.source])).toEqual([
      ["2408.01234", 50, `${store}:1`],
      ["2408.07777", null, `${store}:3`],
    ]);
    expect((await readStore(store)).papers.map((paper) => paper.id)).toEqual(["2408.01234", "2408.09999", "2408.07777"]);
  });

  it("merges by arXiv id without version, keeping the richer record (upvotes, code links)", async () => {
    await mergeIntoStore(store, [hfPaper()]);
    // arXiv knows less about it: no upvotes, no code, no keywords. Nothing is lost, nothing changes.
    const result = await mergeIntoStore(store, [arxivPaper()]);
    expect(result.counts).toEqual({ added: 0, updated: 0, unchanged: 1 });
    const [paper] = (await readStore(store)).papers;
    expect(paper).toMatchObject({ id: "2408.01234", upvotes: 42, keywords: ["sparse attention"], links: { code: ["https://github.com/example-lab/sparse-routers"] } });
  });

  it("fills in what the poorer record alone knows, and unions code links", async () => {
    await mergeIntoStore(store, [hfPaper()]);
    const result = await mergeIntoStore(store, [arxivPaper({ venue: "TMLR", code: ["https://github.com/mei/fork"] })]);
    expect(result.counts.updated).toBe(1);
    expect(result.papers[0]).toMatchObject({ upvotes: 42, venue: "TMLR", links: { code: ["https://github.com/example-lab/sparse-routers", "https://github.com/mei/fork"] } });
  });

  it("matches a title-only record by title, and takes the arXiv id", async () => {
    await mergeIntoStore(store, [makePaper({ title: "Sparse attention routers for long context retrieval", listed: "--08-05", source: "page" })]);
    const result = await mergeIntoStore(store, [hfPaper()]);
    expect(result.counts).toEqual({ added: 0, updated: 1, unchanged: 0 });
    expect((await readStore(store)).papers.map((paper) => paper.id)).toEqual(["2408.01234"]);
  });

  it("never merges two different arXiv papers that share a title", async () => {
    await mergeIntoStore(store, [arxivPaper({ id: "2401.00001", title: "Attention Is All You Need" })]);
    const result = await mergeIntoStore(store, [arxivPaper({ id: "2402.00002", title: "Attention Is All You Need" })]);
    expect(result.counts.added).toBe(1);
  });

  it("keeps a line it cannot read exactly as it was, and fields it does not know", async () => {
    await writeFile(store, ['{"id":"2408.01234","title":"Sparse Attention Routers for Long-Context Retrieval","project":"https://p.example/","note":"hand-added"}', "{broken", ""].join("\n"));
    const result = await mergeIntoStore(store, [arxivPaper({ venue: "TMLR" })]);
    expect(result.unreadable).toEqual([{ line: 2, reason: expect.stringMatching(/invalid JSON/) }]);
    const lines = (await readFile(store, "utf8")).split("\n");
    expect(lines[1]).toBe("{broken");
    expect(JSON.parse(lines[0]!)).toMatchObject({ id: "2408.01234", venue: "TMLR", project: "https://p.example/", note: "hand-added" });
  });

  it("is picked up by loadCorpus with the rest of the folder; leftovers of a crashed write are not", async () => {
    await writeFile(join(dir, "other.jsonl"), '{"id":"x-1","title":"A Paper From Elsewhere"}\n');
    await mergeIntoStore(store, [hfPaper()]);
    await writeFile(join(dir, ".ingested.jsonl.999999.deadbeef.tmp"), '{"id":"half","title":"Half Writ');
    const corpus = await loadCorpus(dir);
    expect(corpus.papers.map((paper) => paper.id).sort()).toEqual(["2408.01234", "x-1"]);
    expect(corpus.problems).toEqual([]);
    // The next write, holding the lock, clears the leftover.
    await mergeIntoStore(store, [arxivPaper({ id: "2408.05555", title: "New" })]);
    expect((await readdir(dir)).sort()).toEqual([".ingested.jsonl.lock", "ingested.jsonl", "other.jsonl"]);
  });

  it("two ingests at once both land: the lock serializes them", async () => {
    await Promise.all([
      mergeIntoStore(store, [arxivPaper({ id: "2408.00001", title: "One" })]),
      mergeIntoStore(store, [arxivPaper({ id: "2408.00002", title: "Two" })]),
      mergeIntoStore(store, [arxivPaper({ id: "2408.00003", title: "Three" })]),
    ]);
    expect((await readStore(store)).papers.map((paper) => paper.id).sort()).toEqual(["2408.00001", "2408.00002", "2408.00003"]);
  });
});

describe("lock and atomic write", () => {
  it("waits for a live holder (another process), within a bound, and takes the lock the moment the holder dies", async () => {
    const lock = join(dir, "s.lock");
    const holder = spawn(process.execPath, ["--import", "tsx", HOLDER, lock], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((resolve) => holder.on("exit", resolve));
    try {
      await waitForOutput(holder, "HELD");
      let slept = 0;
      const sleep = async (ms: number) => void (slept += ms);
      await expect(withFileLock(lock, async () => "ran", { timeoutMs: 200, retryMs: 50, sleep })).rejects.toThrow(LockTimeoutError);
      expect(slept).toBe(200);
    } finally {
      holder.kill("SIGKILL");
    }
    await exited;
    expect(await withFileLock(lock, async () => "ran", { timeoutMs: 0 })).toBe("ran");
  });

  it("several processes ingesting into one store at once lose nothing", async () => {
    const writers = [0, 1, 2].map((n) => spawn(process.execPath, ["--import", "tsx", MERGE_WRITER, store, String(n * 10), String(n * 10 + 10)], { cwd: ROOT, stdio: "inherit" }));
    const codes = await Promise.all(writers.map((writer) => new Promise((resolve) => writer.on("exit", resolve))));
    expect(codes).toEqual([0, 0, 0]);
    const titles = (await readStore(store)).papers.map((paper) => paper.title);
    expect(titles).toHaveLength(30);
    expect(new Set(titles).size).toBe(30);
  }, 60_000);

  it("a write that fails before the rename leaves the old file and no temporary file", async () => {
    const path = join(dir, "f.jsonl");
    await writeFile(path, "old\n");
    await expect(
      writeFileAtomic(path, "new\n", {
        beforeRename: () => {
          throw new Error("disk on fire");
        },
      }),
    ).rejects.toThrow("disk on fire");
    expect(await readFile(path, "utf8")).toBe("old\n");
    expect(await readdir(dir)).toEqual(["f.jsonl"]);
  });
});
