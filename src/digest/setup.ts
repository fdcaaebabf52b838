import type { Logger } from "pino";
import { clockStartingAt, systemClock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { SearchEngine } from "../search/engine.ts";
import { DigestService } from "./service.ts";
import { DigestStore } from "./store.ts";
import type { DigestTransport } from "./transport.ts";

/**
 * Digests over an already opened store (open it first thing at start-up: a corrupt or locked file is one
 * clear error then, before the corpus loads); the service is made once the adapter has its transport.
 */
export function prepareDigests(config: Config, store: DigestStore, engine: SearchEngine, logger: Logger) {
  const clock = config.PAPERBOT_FAKE_NOW ? clockStartingAt(Date.parse(config.PAPERBOT_FAKE_NOW)) : systemClock;
  return {
    store,
    create: (transport: DigestTransport) =>
      new DigestService({ store, engine, transport, clock, logger, options: { graceMs: config.DIGEST_GRACE_HOURS * 3600_000 } }),
  };
}

export type PreparedDigests = ReturnType<typeof prepareDigests>;
