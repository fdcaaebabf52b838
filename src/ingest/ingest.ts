import type { Logger } from "pino";
import type { Paper } from "../corpus/paper.ts";
import { MAX_ARXIV_RESULTS } from "./args.ts";
import type { HttpOptions, Sleep } from "../net/http.ts";
import { ARXIV_API_URL, fetchArxivRecent } from "./sources/arxiv.ts";
import { readFileSource } from "./sources/file.ts";
import { fetchHfRange, HF_API_URL } from "./sources/hf.ts";
import { mergeIntoStore, type StoreOptions } from "./store.ts";
import { emptyBatch, hfRange, type IngestSource, type Rejection, type SourceBatch, type SourceFailure } from "./types.ts";

/**
 * The one way in for the CLI and the bot: fetch a source, validate and normalize its records, merge them
 * into the store and say what happened. A failing source never throws: its failures are in `errors`, the
 * store is left as it was, and whatever it did fetch is kept. Only the store itself failing (disk full, a
 * lock held too long) rejects, because then nothing was saved.
 */

export interface IngestOptions {
  storePath: string;
  hfApiUrl?: string;
  arxivApiUrl?: string;
  logger?: Logger;
  /** Tests point these at a local server and a fake clock; nothing else needs them. */
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => number;
  random?: () => number;
  /** Aborts the fetching (bot shutdown): ingest then rejects with the abort reason and writes nothing. */
  signal?: AbortSignal;
  /** Timeouts and retry bounds; defaults: 30 s per attempt, 4 attempts, backoff from 1 s up to 60 s. */
  http?: Pick<HttpOptions, "timeoutMs" | "maxAttempts" | "baseDelayMs" | "maxDelayMs" | "userAgent" | "maxBytes">;
  arxivIntervalMs?: number;
  hfPageSize?: number;
  arxivPageSize?: number;
  store?: StoreOptions;
}

export interface IngestCounts {
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface IngestResult {
  source: IngestSource;
  /** The added and updated papers as stored: add these to the live index. */
  papers: Paper[];
  counts: IngestCounts;
  rejected: Rejection[];
  errors: SourceFailure[];
  /** Lines of the store that could not be read (kept as they are). */
  storeProblems: Array<{ line: number; reason: string }>;
  storePath: string;
  written: boolean;
  startedAt: Date;
  finishedAt: Date;
}

/** "hf 2024-08-04", "hf 2024-08-01..2024-08-04", "arxiv cs.LG (newest 200)", "file papers.jsonl". */
export function describeSource(source: IngestSource): string {
  if (source.kind === "hf") {
    const { from, to } = hfRange(source);
    return `hf ${from === to ? from : `${from}..${to}`}`;
  }
  if (source.kind === "arxiv") return `arxiv ${source.category} (newest ${source.max})`;
  return `file ${source.path}`;
}

async function fetchSource(source: IngestSource, options: IngestOptions): Promise<SourceBatch> {
  const http: HttpOptions = {
    ...options.http,
    fetch: options.fetch,
    sleep: options.sleep,
    now: options.now,
    random: options.random,
    signal: options.signal,
    logger: options.logger,
  };
  if (source.kind === "hf") {
    const { from, to } = hfRange(source);
    return fetchHfRange(from, to, { apiUrl: options.hfApiUrl ?? HF_API_URL, http, pageSize: options.hfPageSize });
  }
  if (source.kind === "arxiv") {
    if (!Number.isInteger(source.max) || source.max < 1 || source.max > MAX_ARXIV_RESULTS) {
      return { ...emptyBatch(), errors: [{ source: describeSource(source), message: `max must be a whole number from 1 to ${MAX_ARXIV_RESULTS}` }] };
    }
    return fetchArxivRecent(source.category, source.max, {
      apiUrl: options.arxivApiUrl ?? ARXIV_API_URL,
      http,
      pageSize: options.arxivPageSize,
      intervalMs: options.arxivIntervalMs,
    });
  }
  return readFileSource(source.path);
}

export async function ingest(source: IngestSource, options: IngestOptions): Promise<IngestResult> {
  const startedAt = new Date(options.now?.() ?? Date.now());
  const log = options.logger;
  log?.info({ source: describeSource(source) }, "ingest started");
  const batch = await fetchSource(source, options);
  options.signal?.throwIfAborted();
  for (const rejection of batch.rejected) log?.warn(rejection, `rejected: ${rejection.reason}`);
  for (const error of batch.errors) log?.error(error, `ingest source failed: ${error.message}`);
  const merged = batch.papers.length
    ? await mergeIntoStore(options.storePath, batch.papers, options.store)
    : { counts: { added: 0, updated: 0, unchanged: 0 }, papers: [], unreadable: [], written: false };
  for (const problem of merged.unreadable) log?.warn({ file: options.storePath, line: problem.line }, `store line kept as is: ${problem.reason}`);
  const result: IngestResult = {
    source,
    papers: merged.papers,
    counts: { ...merged.counts, rejected: batch.rejected.length },
    rejected: batch.rejected,
    errors: batch.errors,
    storeProblems: merged.unreadable,
    storePath: options.storePath,
    written: merged.written,
    startedAt,
    finishedAt: new Date(options.now?.() ?? Date.now()),
  };
  return result;
}

/** The CLI's report: one summary line, then each failure and rejection on its own line. */
export function formatIngestReport(result: IngestResult): string {
  const { added, updated, unchanged, rejected } = result.counts;
  const lines = [
    `${describeSource(result.source)}: ${added} added, ${updated} updated, ${unchanged} unchanged, ${rejected} rejected` +
      (result.errors.length ? `, ${result.errors.length} failed` : "") +
      (result.written ? ` -> ${result.storePath}` : " (store not changed)"),
    ...result.errors.map((error) => `  failed: ${error.source}: ${error.message}`),
    ...result.rejected.map((rejection) => `  rejected: ${rejection.source}: ${rejection.reason}`),
    ...result.storeProblems.map((problem) => `  store line ${problem.line} unreadable (kept): ${problem.reason}`),
  ];
  return lines.join("\n");
}
