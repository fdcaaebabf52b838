import { statSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { IngestOptions } from "./ingest.ts";
import { DEFAULT_STORE_PATH } from "./store.ts";

/** The store ingest writes to: inside CORPUS_PATH when it is a folder, so the next start loads it too. */
export function ingestStorePath(config: Config): string {
  if (config.INGEST_STORE) return config.INGEST_STORE;
  try {
    return statSync(config.CORPUS_PATH).isDirectory() ? join(config.CORPUS_PATH, "ingested.jsonl") : DEFAULT_STORE_PATH;
  } catch {
    return DEFAULT_STORE_PATH;
  }
}

/** Ingest as the configuration says: the store, the API bases, the logger. */
export function ingestOptions(config: Config, logger: Logger): IngestOptions {
  return { storePath: ingestStorePath(config), hfApiUrl: config.HF_API_URL, arxivApiUrl: config.ARXIV_API_URL, logger, http: { maxBytes: config.HTTP_MAX_BYTES } };
}
