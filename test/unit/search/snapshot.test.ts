import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { readSnapshot, writeSnapshot } from "../../../src/search/index/snapshot.ts";
import { contentKey, openSearch, type OpenSearchOptions } from "../../../src/search/open-search.ts";
import type { SearchEngine } from "../../../src/search/engine.ts";

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

const record = (id: string, title: string, abstract: string, authors: string[] = []) => JSON.stringify({ id, title, abstract, authors }) + "\n";
const CORPUS =
  record("p1", "Graph neural networks for molecules", "We predict molecular properties with message passing.", ["Ada Lovelace"]) +
  record("p2", "Diffusion models beat GANs", "Denoising diffusion probabilistic models for image synthesis — très bien.", ["Zoë Müller"]) +
  record("p3", "Robot grasping with tactile sensing", "Grasping objects with a robot hand and touch sensors.") +
  record("p4", "Attention is all you need", "The Transformer, based solely on attention mechanisms.") +
  record("p5", "Självövervakad inlärning 🦀", "Ein Abstract mit Umlauten: Übung, Größe; 中文摘要。");

const QUERIES = ["graph", "diffusion models", "robot grasping tactile", "attention is all you need", "difusion", "distil", "übung", "grosse", "中文摘要", "transformer mechanisms for sensing"];

/** Everything a user can see of the engine's answers, for comparing two engines. */
function answers(engine: SearchEngine): unknown {
  return {
    size: engine.size,
    search: QUERIES.map((query) => engine.search(query, { pageSize: 10 })),
    suggest: ["gra", "diffusion m", "at", "robot "].map((text) => engine.suggest(text, 5).map((paper) => paper.id)),
    exact: engine.exact("Attention Is All You Need!")?.id,
    get: engine.get("p3")?.title,
  };
}

let dir: string;
let corpusPath: string;
let snapshotDir: string;
const messages: string[] = [];
const logger = { info: (_: object, message: string) => messages.push(message), warn: (_: object, message: string) => messages.push(`warn: ${message}`) };
const options = (): OpenSearchOptions => ({ snapshotDir, logger });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "paperbot-snapshot-"));
  temps.push(dir);
  corpusPath = join(dir, "corpus");
  snapshotDir = join(dir, "data");
  await import("node:fs/promises").then((fs) => fs.mkdir(corpusPath));
  await writeFile(join(corpusPath, "papers.jsonl"), CORPUS);
  messages.length = 0;
});

async function built() {
  const first = await openSearch(corpusPath, options());
  await first.snapshotWritten;
  return first;
}

describe("search snapshots", () => {
  it("builds and writes a snapshot on a cold start, and a warm start answers exactly the same", async () => {
    const cold = await built();
    expect(cold.source).toBe("built");
    expect(messages).toContain("search snapshot written");
    const warm = await openSearch(corpusPath, options());
    expect(warm.source).toBe("snapshot");
    expect(answers(warm.engine)).toEqual(answers(cold.engine));
    expect(warm.corpus.papers).toEqual(cold.corpus.papers);
    expect(warm.corpus).toMatchObject({ files: cold.corpus.files, problems: cold.corpus.problems, duplicatesMerged: cold.corpus.duplicatesMerged });
  });

  it("a warm engine can still add papers", async () => {
    await built();
    const warm = await openSearch(corpusPath, options());
    warm.engine.add({ ...warm.corpus.papers[0]!, id: "p9", title: "Zebrafish larvae tracking" });
    expect(warm.engine.search("zebrafish").hits.map((hit) => hit.paper.id)).toEqual(["p9"]);
    expect(warm.engine.search("graph").hits.map((hit) => hit.paper.id)).toContain("p1");
  });

  it("ignores a stale snapshot when the corpus changed, and indexes the new corpus", async () => {
    await built();
    await appendFile(join(corpusPath, "papers.jsonl"), record("p6", "Quantum annealing schedules", "Annealing on quantum hardware."));
    const next = await openSearch(corpusPath, options());
    expect(next.source).toBe("built");
    expect(next.engine.search("quantum").hits.map((hit) => hit.paper.id)).toEqual(["p6"]);
    await next.snapshotWritten;
    expect((await openSearch(corpusPath, options())).source).toBe("snapshot");
  });

  it("ignores a damaged snapshot: a flipped byte, a cut-short file, garbage", async () => {
    const { snapshotPath } = await built();
    const good = await readFile(snapshotPath!);
    const damaged = [
      Buffer.concat([good.subarray(0, 1000), Buffer.from([good[1000]! ^ 0x01]), good.subarray(1001)]),
      good.subarray(0, good.length - 10),
      good.subarray(0, Math.floor(good.length / 2)),
      Buffer.from("not a snapshot at all"),
      Buffer.alloc(0),
    ];
    for (const bytes of damaged) {
      await writeFile(snapshotPath!, bytes);
      messages.length = 0;
      const opened = await openSearch(corpusPath, options());
      expect(opened.source).toBe("built");
      expect(answers(opened.engine)).toEqual(answers((await built()).engine));
      expect(messages).toContain("snapshot not used: indexing the corpus");
    }
  });

  it("rebuilds, instead of crashing, from a snapshot whose checksums pass but whose contents do not fit", async () => {
    const { snapshotPath } = await built();
    const read = readSnapshot(snapshotPath!, await contentKey(corpusPath));
    if (!read.ok) throw new Error(read.reason);
    // Written whole, with good checksums, by a version with a bug: the field lengths are missing.
    await writeSnapshot(snapshotPath!, { ...read.contents, state: { ...read.contents.state, lengths: undefined as never } });
    messages.length = 0;
    const opened = await openSearch(corpusPath, options());
    expect(opened.source).toBe("built");
    expect(answers(opened.engine)).toEqual(answers((await built()).engine));
  });

  it("removes the temporary files of a snapshot whose writer died, not those of a live writer", async () => {
    const { snapshotPath } = await built();
    const dead = `${snapshotPath}.tmp-999999-1`;
    const live = `${snapshotPath}.tmp-${process.pid}-1`;
    await writeFile(dead, "half a snapshot");
    await writeFile(live, "being written");
    await openSearch(corpusPath, options());
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it("without a snapshot folder, builds and writes nothing", async () => {
    const opened = await openSearch(corpusPath, { logger });
    expect(opened.source).toBe("built");
    expect(opened.snapshotPath).toBeUndefined();
    await opened.snapshotWritten;
    expect(messages).not.toContain("search snapshot written");
  });

  it("rebuild: true ignores a valid snapshot and writes a fresh one", async () => {
    await built();
    const rebuilt = await openSearch(corpusPath, { ...options(), rebuild: true });
    expect(rebuilt.source).toBe("built");
    await rebuilt.snapshotWritten;
    expect((await openSearch(corpusPath, options())).source).toBe("snapshot");
  });
});
