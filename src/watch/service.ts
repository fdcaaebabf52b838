import type { Logger } from "pino";
import type { Observer } from "../ops/observer.ts";
import type { Clock } from "../clock.ts";
import type { Paper } from "../corpus/paper.ts";
import { SendError, type Transport } from "../delivery/transport.ts";
import { alertMarker, alertReply } from "../render/alert.ts";
import { fitReply } from "../render/limits.ts";
import { pauser } from "../responsiveness.ts";
import type { SearchEngine } from "../search/engine.ts";
import { matchWatches } from "./match.ts";
import { destinationOf, type Batch, type Destination, type Watch, type WatchStore } from "./store.ts";

export interface WatchOptions {
  /** Watches one person may have. */
  perUser: number;
  /** Watches made in one server (alerts by DM and into its channels). */
  perServer: number;
  /** At most one alert per person per this long: a broad watch cannot flood anyone's DMs. */
  dmIntervalMs: number;
  /** How often waiting alerts are looked at. */
  tickMs: number;
}

export const DEFAULT_WATCH_OPTIONS: WatchOptions = { perUser: 20, perServer: 100, dmIntervalMs: 3600_000, tickMs: 60_000 };

/** Discord forgets an `enforce_nonce` after a few minutes: an older claimed alert is looked for before it is sent again. */
const NONCE_MEMORY_MS = 5 * 60_000;

/** Why a new watch was refused, for the person who asked. */
export class WatchLimitError extends Error {
  override name = "WatchLimitError";
}

/**
 * Watches: saved queries whose new papers are delivered to their owner by DM or to a server channel.
 * Papers are new when the bot first sees them: after each scheduled ingest, and at start-up for those added
 * while it was down. Delivery is claim-then-send, like digests: the papers of an alert are bound to it in
 * SQLite before it is sent, with a nonce Discord deduplicates, and a claimed alert found unsent at
 * start-up is looked for in the channel and sent only if absent. So each paper reaches each watch once.
 */
export class WatchService {
  private timer: NodeJS.Timeout | undefined;
  private delivering: Promise<void> = Promise.resolve();
  readonly options: WatchOptions;

  constructor(private readonly deps: { store: WatchStore; engine: SearchEngine; transport: Transport; clock: Clock; logger: Logger; observer?: Observer; owns?: (guildId: string | undefined) => boolean; options?: Partial<WatchOptions> }) {
    this.options = { ...DEFAULT_WATCH_OPTIONS, ...deps.options };
  }

  /** Saves a watch within the limits; a channel watch only where the bot can post. */
  async add(request: { userId: string; guildId?: string; channelId?: string; query: string }): Promise<Watch> {
    const { store, transport, clock } = this.deps;
    if (store.countOfUser(request.userId) >= this.options.perUser) throw new WatchLimitError(`You have ${this.options.perUser} watches, the most one may have. Remove one with /watch remove first.`);
    if (request.guildId && store.countInServer(request.guildId) >= this.options.perServer) throw new WatchLimitError(`This server has ${this.options.perServer} watches, the most it may have. Make this one in a DM with me, or remove one.`);
    if (request.channelId) {
      const problem = await transport.checkChannel(request.guildId ?? "", request.channelId);
      if (problem) throw new WatchLimitError(`I cannot post in <#${request.channelId}>: ${problem}.`);
    }
    const watch = store.add({ ...request, createdAt: clock.now() });
    this.deps.logger.info({ watch: watch.id, user: watch.userId, channel: watch.channelId ?? "dm" }, "watch added");
    return watch;
  }

  ofUser(userId: string): Watch[] {
    return this.deps.store.ofUser(userId);
  }

  ofServerChannels(guildId: string): Watch[] {
    return this.deps.store.ofServerChannels(guildId);
  }

  get(id: number): Watch | undefined {
    return this.deps.store.get(id);
  }

  remove(id: number): boolean {
    return this.deps.store.remove(id);
  }

  /** Active again, and what it found meanwhile is sent. */
  resume(id: number): void {
    this.deps.store.resume(id);
    void this.deliver();
  }

  /** Papers found and not sent yet (waiting for the hour between DMs, or for the watch to resume). */
  waiting(id: number): number {
    return this.deps.store.waiting(id);
  }

  /**
   * At start-up: papers added while the bot was down are matched (on the very first start, the corpus it
   * has is only noted, not alerted), alerts left claimed by a crash are finished, waiting ones sent, and
   * the schedule starts.
   */
  async start(): Promise<void> {
    const { store, engine, logger } = this.deps;
    if (store.hasSeenAny()) await this.papersArrived([...engine.all()]);
    else store.record([], engine.all().map((paper) => paper.id), this.deps.clock.now());
    this.timer = setInterval(() => void this.deliver(), this.options.tickMs);
    this.timer.unref();
    logger.info({ active: store.active().length }, "watches running");
    await this.deliver();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.delivering;
  }

  /**
   * New papers (after an ingest): those the bot had not seen are matched against every watch (a paused
   * one keeps what it finds for when it resumes), then alerts go out.
   */
  async papersArrived(papers: readonly Paper[]): Promise<number> {
    const { store, engine, clock, logger } = this.deps;
    const fresh = new Set(store.unseen(papers.map((paper) => paper.id)));
    if (fresh.size === 0) return 0;
    const arrivals = papers.filter((paper) => fresh.has(paper.id));
    const watches = store.all();
    const hits = [];
    // Matching a big arrival (a start after weeks down) gives the event loop its turns.
    const pause = pauser();
    for (let at = 0; at < arrivals.length; at += 100) {
      hits.push(...matchWatches(engine, watches, arrivals.slice(at, at + 100)));
      await pause();
    }
    const found = store.record(hits, [...fresh], clock.now());
    logger.info({ arrived: arrivals.length, watches: watches.length, found }, "new papers matched against watches");
    await this.deliver();
    return found;
  }

  /** Sends what is waiting, one alert per destination; DMs at most once per dmIntervalMs. Runs one at a time. */
  deliver(): Promise<void> {
    this.delivering = this.delivering.then(() => this.deliverWaiting()).catch((error: unknown) => this.deps.logger.error({ err: error }, "watch alerts failed; trying again at the next tick"));
    return this.delivering;
  }

  private async deliverWaiting(): Promise<void> {
    const { store, clock } = this.deps;
    await this.finishClaimed();
    for (const { destination, guildId } of store.waitingDestinations()) {
      // Another process sends what its shards carry: channel alerts by their server, DMs by shard 0's process.
      if (this.deps.owns && !this.deps.owns(destination.startsWith("dm:") ? undefined : guildId)) continue;
      const now = clock.now();
      if (destination.startsWith("dm:") && now - (store.lastSent(destination) ?? -Infinity) < this.options.dmIntervalMs) continue;
      const batch = store.claim(destination, now);
      if (batch) await this.send(batch);
    }
  }

  /**
   * Alerts claimed and not sent (a crash, a passing failure): found in the channel (then marked sent), or
   * sent again with their nonce.
   */
  private async finishClaimed(): Promise<void> {
    const { store, clock, transport } = this.deps;
    for (const batch of store.unfinished()) {
      if (clock.now() - batch.claimedAt > NONCE_MEMORY_MS) {
        const channelId = await this.channelOf(batch.destination).catch(() => undefined);
        const posted = channelId && (await transport.findPosted(channelId, alertMarker(batch.id)).catch(() => undefined));
        if (posted) {
          store.sent(batch.id, posted, clock.now());
          continue;
        }
      }
      await this.send(batch);
    }
  }

  private channelOf(destination: Destination): Promise<string> {
    return destination.startsWith("dm:") ? this.deps.transport.directChannel(destination.slice(3)) : Promise.resolve(destination.slice("channel:".length));
  }

  private async send(batch: Batch): Promise<void> {
    const { store, engine, transport, clock, logger } = this.deps;
    const byWatch = new Map<number, { watchId: number; query: string; papers: Array<{ paper: Paper; matched: string }> }>();
    for (const hit of batch.hits) {
      const paper = engine.get(hit.paperId);
      if (!paper) continue;
      const entry = byWatch.get(hit.watchId) ?? { watchId: hit.watchId, query: hit.query, papers: [] };
      entry.papers.push({ paper, matched: hit.matched });
      byWatch.set(hit.watchId, entry);
    }
    if (byWatch.size === 0) return store.failed(batch.id, "its papers are no longer in the corpus", clock.now(), false);
    const reply = fitReply(alertReply({ batchId: batch.id, watches: [...byWatch.values()] }));
    try {
      const channelId = await this.channelOf(batch.destination);
      const { messageId } = await transport.send(channelId, reply, alertNonce(batch.id));
      store.sent(batch.id, messageId, clock.now());
      logger.info({ batch: batch.id, destination: batch.destination, papers: batch.hits.length }, "watch alert sent");
      this.deps.observer?.watchAlert("sent");
    } catch (error) {
      const failure = error instanceof SendError ? error.failure : "retry";
      const reason = (error as Error).message;
      if (failure === "retry") {
        // Left claimed: the next start or tick sends it again with the same nonce.
        logger.warn({ batch: batch.id, err: error }, "watch alert not sent yet: a passing failure");
        return;
      }
      if (failure === "pause") {
        // The person blocks DMs from the bot, or the channel is closed to it: every watch sending there
        // pauses with the reason, and its papers wait for it to resume.
        const why = batch.destination.startsWith("dm:") ? `I cannot send you direct messages (${reason}). Allow DMs from this server's members, then /watch resume.` : `I cannot post there (${reason}).`;
        for (const watch of store.active().filter((candidate) => destinationOf(candidate) === batch.destination)) store.pause(watch.id, why);
      }
      store.failed(batch.id, reason, clock.now(), failure === "pause");
      logger.warn({ batch: batch.id, destination: batch.destination, failure, reason }, "watch alert not sent");
      this.deps.observer?.watchAlert(failure === "pause" ? "paused" : "failed");
    }
  }
}

/** At most 25 characters, the same for every attempt at one alert. */
const alertNonce = (batchId: number) => `w${batchId}`;
