import { statSync } from "node:fs";
import { join } from "node:path";
import { Cron } from "croner";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { ConfigError } from "../config.ts";
import type { SearchEngine } from "../search/engine.ts";
import { parseIngestSources } from "./args.ts";
import { describeSource, formatIngestReport, ingest } from "./ingest.ts";
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

export function ingestOptions(config: Config, logger: Logger) {
  return { storePath: ingestStorePath(config), hfApiUrl: config.HF_API_URL, arxivApiUrl: config.ARXIV_API_URL, logger };
}

/** The last ingest's outcome, one line, for /about. */
export interface IngestStatus {
  last?: string;
}

/**
 * INGEST_CRON in the running bot: each run ingests INGEST_SOURCES (parsed again, so "today" moves on) and
 * adds the new papers to the live index without a restart. A failing source is logged and never stops
 * the bot; a run still going when the next is due is skipped (croner's protect).
 */
export function scheduleIngest(options: { config: Config; logger: Logger; engine: SearchEngine; status: IngestStatus }): Cron | undefined {
  const { config, logger, engine, status } = options;
  if (!config.INGEST_CRON) return undefined;
  const problem = parseIngestSources(config.INGEST_SOURCES);
  if (typeof problem === "string") throw new ConfigError(`Invalid configuration: INGEST_SOURCES ${problem}`);
  const run = async () => {
    const sources = parseIngestSources(config.INGEST_SOURCES);
    if (typeof sources === "string") return;
    for (const source of sources) {
      try {
        const result = await ingest(source, ingestOptions(config, logger));
        // Into the live index: a paper with a known id replaces the old one.
        for (const paper of result.papers) engine.add(paper);
        status.last = `${new Date(result.finishedAt).toISOString().slice(0, 16).replace("T", " ")} UTC · ${formatIngestReport(result).split("\n")[0]}`;
        logger.info({ source: describeSource(source), ...result.counts, errors: result.errors.length, live: result.papers.length }, "ingest finished");
      } catch (error) {
        status.last = `${describeSource(source)} failed: ${(error as Error).message}`;
        logger.error({ err: error, source: describeSource(source) }, "ingest failed");
      }
    }
  };
  try {
    return new Cron(config.INGEST_CRON, { protect: true, catch: (error: unknown) => logger.error({ err: error }, "ingest run failed") }, run);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: INGEST_CRON ${(error as Error).message}`);
  }
}
