import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { InteractionOutcome, Observer } from "./observer.ts";

/** The figures the shells know and the core does not: read at each scrape. */
export interface Gauges {
  /** Papers in the live index. */
  indexPapers(): number;
  /** Each gateway shard this process runs, and whether it is connected and ready. */
  shards(): Array<{ id: number; ready: boolean }>;
}

/**
 * Prometheus metrics for one process (prom-client, its own registry so tests can make many): interactions
 * by command and outcome with a latency histogram, digests and watch alerts by outcome, ingest runs and
 * papers, index size, gateway shard status, and Node's own (event loop lag, heap, GC).
 */
export class Metrics implements Observer {
  readonly registry = new Registry();
  private readonly interactions: Counter<"command" | "outcome">;
  private readonly latency: Histogram<"command">;
  private readonly digests: Counter<"outcome">;
  private readonly alerts: Counter<"outcome">;
  private readonly ingests: Counter<"outcome">;
  private readonly ingested: Counter<"change">;

  constructor(gauges: Gauges, labels: Record<string, string> = {}) {
    const registers = [this.registry];
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry, prefix: "paperbot_" });
    this.interactions = new Counter({ name: "paperbot_interactions_total", help: "Interactions answered, by command and outcome", labelNames: ["command", "outcome"], registers });
    this.latency = new Histogram({
      name: "paperbot_interaction_duration_seconds",
      help: "Time to answer an interaction (the handler, from receipt to reply)",
      labelNames: ["command"],
      // Discord's deadline to acknowledge is 3 s: the buckets resolve well below it.
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.digests = new Counter({ name: "paperbot_digests_total", help: "Digest slots by outcome (posted, nothing_new, paused, failed)", labelNames: ["outcome"], registers });
    this.alerts = new Counter({ name: "paperbot_watch_alerts_total", help: "Watch alert messages by outcome", labelNames: ["outcome"], registers });
    this.ingests = new Counter({ name: "paperbot_ingest_runs_total", help: "Scheduled ingest runs by outcome", labelNames: ["outcome"], registers });
    this.ingested = new Counter({ name: "paperbot_ingested_papers_total", help: "Papers added or updated by scheduled ingests", labelNames: ["change"], registers });
    new Gauge({
      name: "paperbot_index_papers",
      help: "Papers in the live search index",
      registers,
      collect() {
        this.set(gauges.indexPapers());
      },
    });
    new Gauge({
      name: "paperbot_gateway_shard_ready",
      help: "1 when the gateway shard is connected and ready, else 0",
      labelNames: ["shard"],
      registers,
      collect() {
        this.reset();
        for (const shard of gauges.shards()) this.set({ shard: String(shard.id) }, shard.ready ? 1 : 0);
      },
    });
  }

  interaction(command: string, outcome: InteractionOutcome, seconds: number): void {
    this.interactions.inc({ command, outcome });
    if (outcome !== "rate_limited") this.latency.observe({ command }, seconds);
  }

  digest(outcome: "posted" | "nothing_new" | "paused" | "failed"): void {
    this.digests.inc({ outcome });
  }

  watchAlert(outcome: "sent" | "paused" | "failed"): void {
    this.alerts.inc({ outcome });
  }

  ingest(outcome: "ok" | "failed", counts?: { added: number; updated: number }): void {
    this.ingests.inc({ outcome });
    if (counts) {
      this.ingested.inc({ change: "added" }, counts.added);
      this.ingested.inc({ change: "updated" }, counts.updated);
    }
  }
}
