/** What the CLI and the bot use; the modules behind it are free to change. */
export { INGEST_USAGE, parseIngestArgs, parseIngestSources } from "./args.ts";
export { describeSource, formatIngestReport, ingest, type IngestCounts, type IngestOptions, type IngestResult } from "./ingest.ts";
export { ARXIV_API_URL } from "./sources/arxiv.ts";
export { HF_API_URL } from "./sources/hf.ts";
export { DEFAULT_STORE_PATH, readStore } from "./store.ts";
export type { IngestSource, Rejection, SourceFailure } from "./types.ts";
