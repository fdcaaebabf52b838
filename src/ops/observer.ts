/**
 * What the bot's parts report as they work, for whoever counts it (src/ops/metrics.ts with METRICS_PORT).
 * The core calls these; it never imports a metrics library. The default does nothing.
 */
export interface Observer {
  /** A command, button, form or autocomplete answered: how it ended and how long the handler took. */
  interaction(command: string, outcome: InteractionOutcome, seconds: number): void;
  digest(outcome: "posted" | "nothing_new" | "paused" | "failed"): void;
  watchAlert(outcome: "sent" | "paused" | "failed"): void;
  ingest(outcome: "ok" | "failed", counts?: { added: number; updated: number }): void;
}

export type InteractionOutcome = "ok" | "user_error" | "failed" | "rate_limited";

export const NO_OBSERVER: Observer = {
  interaction: () => undefined,
  digest: () => undefined,
  watchAlert: () => undefined,
  ingest: () => undefined,
};
