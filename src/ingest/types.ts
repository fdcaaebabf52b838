import type { Paper } from "../corpus/paper.ts";

/** What to ingest: the CLI's `ingest hf|arxiv|file ...` and the bot's INGEST_SOURCES both come down to one of these. */
export type IngestSource =
  | { kind: "hf"; date: string }
  | { kind: "hf"; from: string; to: string }
  | { kind: "arxiv"; category: string; max: number }
  | { kind: "file"; path: string };

/** The days an hf source covers, whichever way it was given. */
export const hfRange = (source: { date: string } | { from: string; to: string }) => ("date" in source ? { from: source.date, to: source.date } : source);

/** A record a source gave us that failed validation: skipped and reported, never fatal. */
export interface Rejection {
  /** Where it came from: "hf 2024-08-04 #3", "arxiv cs.LG start=100 #7", "path:line". */
  source: string;
  reason: string;
}

/** A request or file that failed as a whole (HTTP 400, malformed JSON, an arXiv error entry...). */
export interface SourceFailure {
  source: string;
  message: string;
}

/** What a source produced: good papers, rejected records and whole-request failures, side by side. */
export interface SourceBatch {
  papers: Paper[];
  rejected: Rejection[];
  errors: SourceFailure[];
}

export const emptyBatch = (): SourceBatch => ({ papers: [], rejected: [], errors: [] });

export function appendBatch(into: SourceBatch, from: SourceBatch): SourceBatch {
  into.papers.push(...from.papers);
  into.rejected.push(...from.rejected);
  into.errors.push(...from.errors);
  return into;
}

/** The one-line message of anything thrown. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
