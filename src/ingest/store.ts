import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { recordToPaper } from "../corpus/loaders/records.ts";
import { mergeDuplicates } from "../corpus/merge.ts";
import { arxivId, type Paper } from "../corpus/paper.ts";
import { pauser } from "../responsiveness.ts";
import { titleKey } from "../text/words.ts";
import { tempFilePattern, writeFileAtomic, type WriteHooks } from "./atomic-write.ts";
import { withFileLock, type LockOptions } from "./lock.ts";

/**
 * The corpus store: one JSON Lines file of our own records (data/ingested.jsonl), which the corpus loader
 * reads with the rest of data/. Ingested papers are merged in by id (the arXiv id without its version when
 * there is one), falling back to the title only when one side has no arXiv id, so two different arXiv
 * papers that share a title stay two. The file is replaced atomically; a line we cannot read is kept as it
 * is, because an ingest must never be the thing that loses data.
 */

export const DEFAULT_STORE_PATH = "data/ingested.jsonl";

/** One line of the store: exactly the fields recordToPaper reads back. */
export interface StoreRecord {
  id: string;
  title: string;
  abstract?: string;
  authors: string[];
  published?: string;
  listed?: string;
  updated?: string;
  url?: string;
  venue?: string;
  upvotes?: number;
  stars?: number;
  comments?: number;
  keywords?: string[];
  summary?: string;
  code?: string[];
  project?: string;
  thumbnail?: string;
}

export interface MergeCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface MergeResult {
  counts: MergeCounts;
  /** The added and updated papers as the store now holds them, `source` pointing at their line. */
  papers: Paper[];
  /** Lines of the existing store that could not be read; kept verbatim. */
  unreadable: Array<{ line: number; reason: string }>;
  written: boolean;
}

export interface StoreOptions {
  lock?: LockOptions;
  /** For crash tests only. */
  writeHooks?: WriteHooks;
}

/** A paper as a store line. Links other than the page and code are derived from the id when read back. */
export function toRecord(paper: Paper): StoreRecord {
  const record: StoreRecord = {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract || undefined,
    authors: paper.authors,
    published: paper.published,
    listed: paper.listed,
    updated: paper.updated,
    url: paper.links.page,
    venue: paper.venue,
    upvotes: paper.upvotes,
    stars: paper.stars,
    comments: paper.comments,
    keywords: paper.keywords.length ? paper.keywords : undefined,
    summary: paper.summary,
    code: paper.links.code.length ? paper.links.code : undefined,
    project: paper.links.project,
    thumbnail: paper.links.thumbnail,
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as unknown as StoreRecord;
}

interface Entry {
  /** The line as it will be written. */
  text: string;
  paper?: Paper;
  /** The line as parsed: fields recordToPaper does not read are carried over when the line is rewritten. */
  raw?: Record<string, unknown>;
  /** What rewriting the line unchanged would give, to tell an update from no change. */
  baseline?: string;
  status?: "added" | "updated" | "unchanged";
}


const lineFor = (paper: Paper, raw: Record<string, unknown> = {}) => JSON.stringify({ ...raw, ...toRecord(paper) });

async function readEntries(path: string): Promise<{ entries: Entry[]; unreadable: MergeResult["unreadable"] }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], unreadable: [] };
    throw error;
  }
  const entries: Entry[] = [];
  const unreadable: MergeResult["unreadable"] = [];
  const lines = text.split(/\r?\n/);
  // Validating a big store takes a while: the bot answers in between.
  const pause = pauser();
  for (const [index, line] of lines.entries()) {
    await pause();
    if (!line.trim()) continue;
    let raw: unknown;
    let paper: Paper | string;
    try {
      raw = JSON.parse(line);
      paper = recordToPaper(raw, `${path}:${index + 1}`);
    } catch (error) {
      paper = `invalid JSON: ${(error as Error).message}`;
    }
    if (typeof paper === "string") {
      unreadable.push({ line: index + 1, reason: paper });
      entries.push({ text: line });
    } else {
      const fields = raw as Record<string, unknown>;
      entries.push({ text: line, paper, raw: fields, baseline: lineFor(paper, fields) });
    }
  }
  return { entries, unreadable };
}

/** Merges papers into the entries in place; an incoming record wins a tie, so fresh upvotes replace old ones. */
async function mergeInto(entries: Entry[], incoming: Paper[]): Promise<void> {
  const byId = new Map<string, number>();
  const byTitle = new Map<string, number>();
  const remember = (index: number) => {
    const paper = entries[index]!.paper!;
    byId.set(paper.id, index);
    byTitle.set(titleKey(paper.title), index);
  };
  entries.forEach((entry, index) => entry.paper && remember(index));
  const pause = pauser();
  for (const paper of incoming) {
    await pause();
    let index = byId.get(paper.id);
    const sameTitle = byTitle.get(titleKey(paper.title));
    if (index === undefined && sameTitle !== undefined && !(arxivId(paper.id) && arxivId(entries[sameTitle]!.paper!.id))) index = sameTitle;
    if (index === undefined) {
      entries.push({ text: lineFor(paper), paper, status: "added" });
      remember(entries.length - 1);
      continue;
    }
    const entry = entries[index]!;
    const merged = mergeDuplicates([paper, entry.paper!]).papers[0]!;
    const text = lineFor(merged, entry.raw);
    entry.paper = merged;
    if (entry.status === "added") entry.text = text;
    else if (text === entry.baseline && entry.status !== "updated") entry.status = "unchanged";
    else {
      entry.text = text;
      entry.status = "updated";
    }
    remember(index);
  }
}

/** The store's lock file: hidden beside it, like its temporary files, so the corpus loader passes it by. */
const lockPathOf = (path: string) => join(dirname(path), `.${basename(path)}.lock`);

/** Removes temporary files a crashed write left behind; only called while holding the lock. */
async function removeLeftovers(path: string): Promise<void> {
  const pattern = tempFilePattern(path);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => pattern.test(name)).map((name) => rm(join(dirname(path), name), { force: true })));
}

/**
 * Merges papers into the store at `path` (created if missing) and rewrites it only when something changed.
 * Counts are per distinct paper: the same paper listed on two days is one paper.
 */
export async function mergeIntoStore(path: string, incoming: Paper[], options: StoreOptions = {}): Promise<MergeResult> {
  await mkdir(dirname(path), { recursive: true });
  return withFileLock(lockPathOf(path), async () => {
    const { entries, unreadable } = await readEntries(path);
    const before = entries.length;
    await mergeInto(entries, incoming);
    const count = (status: Entry["status"]) => entries.filter((entry) => entry.status === status).length;
    const counts = { added: count("added"), updated: count("updated"), unchanged: count("unchanged") };
    const changed = entries.filter((entry) => entry.status === "added" || entry.status === "updated");
    if (changed.length === 0) return { counts, papers: [], unreadable, written: false };
    // Never write a store that holds less than it did: merging only adds or replaces.
    if (entries.length < before) throw new Error(`refusing to shrink ${path} from ${before} to ${entries.length} records`);
    // Every line we write must read back, or the next start-up would skip what we just reported as added.
    const pause = pauser();
    for (const entry of changed) {
      await pause();
      const back = recordToPaper(JSON.parse(entry.text), path);
      if (typeof back === "string") throw new Error(`refusing to write an unreadable record for ${entry.paper!.id}: ${back}`);
    }
    await removeLeftovers(path);
    await writeFileAtomic(path, entries.map((entry) => entry.text).join("\n") + "\n", options.writeHooks);
    const papers = entries.flatMap((entry, index) => (entry.status === "added" || entry.status === "updated" ? [{ ...entry.paper!, source: `${path}:${index + 1}` }] : []));
    return { counts, papers, unreadable, written: true };
  }, options.lock);
}

/** The store's papers, as the corpus loader will see them. */
export async function readStore(path: string): Promise<{ papers: Paper[]; unreadable: MergeResult["unreadable"] }> {
  const { entries, unreadable } = await readEntries(path);
  return { papers: entries.flatMap((entry) => (entry.paper ? [entry.paper] : [])), unreadable };
}
