import { createHash } from "node:crypto";
import { closeSync, openSync, readSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusFiles, loadCorpus, type Corpus } from "../corpus/load.ts";
import { SearchEngine } from "./engine.ts";
import { readSnapshot, writeSnapshot, type SnapshotContents } from "./index/snapshot.ts";

/**
 * Start-up: the corpus and its search engine, from a snapshot when one matches the corpus (warm start),
 * else parsed and indexed (cold start) and then snapshotted in the background for next time.
 *
 * A snapshot is keyed by a hash of the corpus files' bytes and of the code that turns them into an index
 * (src/corpus, src/search, the FlexSearch version): any change to either makes it stale, and a stale or
 * damaged snapshot is logged and ignored, never served.
 */

/** What it logs with: a pino Logger fits. */
export interface SearchLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface OpenSearchOptions {
  /** Where snapshots live (created when missing); without it, no snapshot is read or written. */
  snapshotDir?: string;
  logger?: SearchLogger;
  /** Index from the corpus even when a valid snapshot exists, and write a fresh one (`paperbot index`). */
  rebuild?: boolean;
}

export interface OpenedSearch {
  corpus: Corpus;
  engine: SearchEngine;
  /** How the engine was made: read from a snapshot, or built from the corpus. */
  source: "snapshot" | "built";
  /** Where the snapshot is (or would be); undefined without snapshotDir. */
  snapshotPath: string | undefined;
  /** Settles once a snapshot has been written after a build (at once otherwise); never rejects: failures are logged. */
  snapshotWritten: Promise<void>;
}

export async function openSearch(corpusPath: string, options: OpenSearchOptions = {}): Promise<OpenedSearch> {
  const { logger } = options;
  const started = performance.now();
  const snapshotPath = options.snapshotDir ? snapshotPathFor(corpusPath, options.snapshotDir) : undefined;
  const key = snapshotPath ? await contentKey(corpusPath) : "";
  const keyMs = performance.now() - started;

  if (snapshotPath) await removeCrashLeftovers(snapshotPath);
  if (snapshotPath && !options.rebuild) {
    const read = readSnapshot(snapshotPath, key);
    // A snapshot that passes its checksums can still be inconsistent (written by a bug): then rebuild.
    const restored = read.ok ? restoreSafely(read.contents) : { reason: read.reason };
    if ("engine" in restored && read.ok) {
      const readMs = performance.now() - started - keyMs;
      const { papers, corpus } = read.contents;
      const { engine } = restored;
      const loadMs = performance.now() - started;
      const timings = { keyMs: Math.round(keyMs), readMs: Math.round(readMs), restoreMs: Math.round(loadMs - keyMs - readMs) };
      logger?.info({ snapshot: snapshotPath, papers: papers.length, ms: Math.round(loadMs), ...timings }, "search index loaded from snapshot");
      prepareSoon(engine);
      return { corpus: { ...corpus, papers, loadMs }, engine, source: "snapshot", snapshotPath, snapshotWritten: Promise.resolve() };
    }
    logger?.info({ snapshot: snapshotPath, reason: "reason" in restored ? restored.reason : "" }, "snapshot not used: indexing the corpus");
  }

  const corpus = await loadCorpus(corpusPath);
  const indexStarted = performance.now();
  const engine = new SearchEngine(corpus.papers);
  logger?.info({ papers: corpus.papers.length, loadMs: Math.round(corpus.loadMs), indexMs: Math.round(performance.now() - indexStarted) }, "search index built");
  prepareSoon(engine);
  const snapshotWritten = snapshotPath ? saveSnapshot(snapshotPath, key, corpus, engine, logger) : Promise.resolve();
  return { corpus, engine, source: "built", snapshotPath, snapshotWritten };
}

function restoreSafely(contents: SnapshotContents): { engine: SearchEngine } | { reason: string } {
  try {
    const engine = SearchEngine.restore(contents.papers, contents.state);
    if (engine.size !== contents.papers.length) return { reason: `inconsistent: ${engine.size} papers indexed, ${contents.papers.length} stored` };
    return { engine };
  } catch (error) {
    return { reason: `inconsistent: ${(error as Error).message}` };
  }
}

/**
 * Temporary files of snapshots whose writer died (".tmp-<pid>-<time>" beside the snapshot): removed, unless
 * their process still runs (it may be writing it now).
 */
async function removeCrashLeftovers(snapshotPath: string): Promise<void> {
  const dir = dirname(snapshotPath);
  const prefix = `${basename(snapshotPath)}.tmp-`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split("-")[0]);
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) continue;
    await rm(join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Right after start-up, before the first user's prefix query would have to. */
function prepareSoon(engine: SearchEngine): void {
  setImmediate(() => engine.prepare()).unref();
}

/** One snapshot file per corpus path, so two corpora sharing a folder do not overwrite each other's. */
export function snapshotPathFor(corpusPath: string, snapshotDir: string): string {
  const id = createHash("sha256").update(resolve(corpusPath)).digest("hex").slice(0, 12);
  return join(snapshotDir, `search-${id}.snapshot`);
}

async function saveSnapshot(path: string, key: string, corpus: Corpus, engine: SearchEngine, logger: OpenSearchOptions["logger"]): Promise<void> {
  const started = performance.now();
  try {
    await mkdir(join(path, ".."), { recursive: true });
    const { files, problems, duplicatesMerged } = corpus;
    await writeSnapshot(path, { key, corpus: { files, problems, duplicatesMerged }, papers: corpus.papers, state: engine.exportState() });
    logger?.info({ snapshot: path, ms: Math.round(performance.now() - started) }, "search snapshot written");
  } catch (error) {
    logger?.warn({ snapshot: path, err: error }, "search snapshot not written");
  }
}

/** A hash of the corpus files (names and bytes) and of the indexing code. */
export async function contentKey(corpusPath: string): Promise<string> {
  const hash = createHash("sha256").update(codeFingerprint());
  // One reused buffer: a stream's fresh chunks cost more (page faults) than hashing them.
  const buffer = Buffer.allocUnsafe(1 << 22);
  for (const file of await corpusFiles(corpusPath)) {
    const { size } = await stat(file);
    hash.update(`\0${relative(resolve(corpusPath), resolve(file))}\0${size}\0`);
    const fd = openSync(file, "r");
    try {
      for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
    } finally {
      closeSync(fd);
    }
  }
  return hash.digest("hex");
}

let fingerprint: string | undefined;

/** Packages whose behaviour shapes the index: a new version makes old snapshots stale. */
const INDEXING_PACKAGES = ["flexsearch", "stemmer"];

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(fileURLToPath(new URL(`../../node_modules/${name}/package.json`, import.meta.url)), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

/** The indexing code's own hash: src/text, src/corpus, src/search and the versions of the packages they index with. */
function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash("sha256");
  for (const folder of ["../text", "../corpus", "."]) {
    const root = fileURLToPath(new URL(folder, import.meta.url));
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith(".ts")).sort();
    for (const file of files) hash.update(`\0${folder}/${file}\0`).update(readFileSync(join(root, file)));
  }
  for (const name of INDEXING_PACKAGES) hash.update(`\0${name}@${packageVersion(name)}`);
  return (fingerprint = hash.digest("hex"));
}
