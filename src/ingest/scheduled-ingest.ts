import { Cron } from "croner";
import type { Logger } from "pino";
import type { Observer } from "../ops/observer.ts";
import type { Config } from "../config.ts";
import { ConfigError } from "../config.ts";
import type { SearchEngine } from "../search/engine.ts";
import type { Paper } from "../corpus/paper.ts";
import { addLive } from "../search/add-live.ts";
import { parseIngestSources } from "./args.ts";
import { ingestOptions } from "./configure.ts";
import { describeSource, formatIngestReport, ingest } from "./ingest.ts";

/** A sharded bot's ingest: only the leader runs it, and it shares what it ingested (src/cluster/). */
export interface ClusterIngest {
  isLeader(): boolean;
  publish(papers: readonly Paper[]): Promise<void>;
}

/** The last ingest's outcome, one line, for /about. */
export interface IngestStatus {
  last?: string;
}

/**
 * INGEST_CRON in the running bot: each run ingests INGEST_SOURCES (parsed again, so "today" moves on) and
 * adds the new papers to the live index without a restart. A failing source is logged and never stops
 * the bot; a run still going when the next is due is skipped (croner's protect). Made paused: `start`
 * begins the schedule once the bot is up.
 */
export class ScheduledIngest {
  readonly status: IngestStatus = {};
  /** Ingested here, not yet in the shared database (a failed publication), by id. */
  private readonly unpublished = new Map<string, Paper>();
  private readonly cron: Cron;

  constructor(private readonly deps: { config: Config & { INGEST_CRON: string }; logger: Logger; engine: SearchEngine; /** What else new papers go to, once searchable (watches, embeddings). */ arrived?: (papers: readonly Paper[]) => Promise<void>; observer?: Observer; cluster?: ClusterIngest }) {
    const problem = parseIngestSources(deps.config.INGEST_SOURCES);
    if (typeof problem === "string") throw new ConfigError(`Invalid configuration: INGEST_SOURCES ${problem}`);
    try {
      this.cron = new Cron(deps.config.INGEST_CRON, { paused: true, protect: true, catch: (error: unknown) => deps.logger.error({ err: error }, "ingest run failed") }, () => this.run());
    } catch (error) {
      throw new ConfigError(`Invalid configuration: INGEST_CRON ${(error as Error).message}`);
    }
  }

  start(): void {
    this.cron.resume();
  }

  stop(): void {
    this.cron.stop();
  }

  /** One run now, outside the schedule (what the schedule runs). */
  runNow(): Promise<void> {
    return this.run();
  }

  private async run(): Promise<void> {
    const { config, logger, engine, cluster } = this.deps;
    // In a sharded bot one process ingests for all; the others receive its papers through the database.
    if (cluster && !cluster.isLeader()) return;
    // Papers a failed publication left behind go first (they are in this process's store already, so the
    // next ingest would call them unchanged and never send them).
    if (cluster && this.unpublished.size > 0) {
      const waiting = [...this.unpublished.values()];
      await cluster.publish(waiting).then(
        () => waiting.forEach((paper) => this.unpublished.delete(paper.id)),
        (error: unknown) => logger.error({ err: error, papers: waiting.length }, "ingested papers still not shared with the other processes; trying at the next run"),
      );
    }
    const sources = parseIngestSources(config.INGEST_SOURCES);
    if (typeof sources === "string") return;
    for (const source of sources) {
      try {
        const result = await ingest(source, ingestOptions(config, logger));
        await addLive(engine, result.papers);
        if (result.papers.length) await cluster?.publish(result.papers).catch((error: unknown) => {
          for (const paper of result.papers) this.unpublished.set(paper.id, paper);
          logger.error({ err: error, papers: result.papers.length }, "ingested papers not shared with the other processes; trying again at the next run");
        });
        await this.deps.arrived?.(result.papers);
        this.status.last = `${new Date(result.finishedAt).toISOString().slice(0, 16).replace("T", " ")} UTC · ${formatIngestReport(result).split("\n")[0]}`;
        logger.info({ source: describeSource(source), ...result.counts, errors: result.errors.length, live: result.papers.length }, "ingest finished");
        this.deps.observer?.ingest("ok", result.counts);
      } catch (error) {
        this.status.last = `${describeSource(source)} failed: ${(error as Error).message}`;
        logger.error({ err: error, source: describeSource(source) }, "ingest failed");
        this.deps.observer?.ingest("failed");
      }
    }
  }
}
