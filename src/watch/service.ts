import type { Logger } from "pino";
import type { Observer } from "../ops/observer.ts";
import { doublingDelayMs } from "../net/http.ts";
import type { Clock } from "../clock.ts";
import type { Paper } from "../corpus/paper.ts";
import { SendError, type Transport } from "../delivery/transport.ts";
import { alertMarker, alertReply } from "../render/alert.ts";
import { fitReply } from "../render/limits.ts";
import { pauser } from "../responsiveness.ts";
import type { SearchEngine } from "../search/engine.ts";
import { isBackfill, matchWatches } from "./match.ts";
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
/** After a failure, a destination waits 1, 2, 4 … minutes, at most an hour, before it is tried again. */
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_MAX_MS = 60 * 60_000;
/** Alerts Discord refuses ("fail": a 400, a 404) this many times in a row pause the destination's watches. */
export const FAILS_BEFORE_PAUSE = 3;
/** Paper ids looked up in the database between turns of the event loop. */
const SEEN_LOOKUP = 2000;

/** Why a new watch was refused, for the person who asked. */
export class WatchLimitError extends Error {
  override name = "WatchLimitError";
}

/** A destination that failed: not tried again before `retryAt`; `fails` counts Discord's refusals in a row. */
interface Trouble {
  attempts: number;
  fails: number;
  retryAt: number;
}

/**
 * Watches: saved queries whose new papers are delivered to their owner by DM or to a server channel.
 * Papers are new when the bot first sees them: after each scheduled ingest, and at start-up for those added
 * while it was down; a paper dated more than a week before it is first seen (an old corpus file, a past
 * range ingested) is a backfill, noted and not alerted. Delivery is claim-then-send, like digests: the
 * papers of an alert are bound to it in the database before it is sent, with a nonce Discord deduplicates,
 * and a claimed alert found unsent later is looked for in the channel and sent only if known to be absent.
 * So each paper reaches each watch once. A destination has at most one claimed alert at a time.
 */
export class WatchService {
  private timer: NodeJS.Timeout | undefined;
  /** When this process first met a hit whose paper its index lacked (bounded by the alerts it handles). */
  private readonly missingSince = new Map<string, number>();
  private delivering: Promise<void> = Promise.resolve();
  /** Destinations backing off after failures (in memory: a restart tries them at once). */
  private readonly troubles = new Map<Destination, Trouble>();
  readonly options: WatchOptions;

  constructor(private readonly deps: { store: WatchStore; engine: SearchEngine; transport: Transport; clock: Clock; logger: Logger; observer?: Observer; owns?: (guildId: string | undefined) => boolean; options?: Partial<WatchOptions> }) {
    this.options = { ...DEFAULT_WATCH_OPTIONS, ...deps.options };
  }

  /** Saves a watch within the limits; a channel watch only where the bot can post. */
  async add(request: { userId: string; guildId?: string; channelId?: string; query: string }): Promise<Watch> {
    const { store, transport, clock } = this.deps;
    if ((await store.countOfUser(request.userId)) >= this.options.perUser) throw new WatchLimitError(`You have ${this.options.perUser} watches, the most one may have. Remove one with /watch remove first.`);
    if (request.guildId && (await store.countInServer(request.guildId)) >= this.options.perServer) throw new WatchLimitError(`This server has ${this.options.perServer} watches, the most it may have. Make this one in a DM with me, or remove one.`);
    if (request.channelId) {
      const problem = await transport.checkChannel(request.guildId ?? "", request.channelId);
      if (problem) throw new WatchLimitError(`I cannot post in <#${request.channelId}>: ${problem}.`);
    }
    const watch = await store.add({ ...request, createdAt: clock.now() });
    this.deps.logger.info({ watch: watch.id, user: watch.userId, channel: watch.channelId ?? "dm" }, "watch added");
    return watch;
  }

  ofUser(userId: string): Promise<Watch[]> {
    return this.deps.store.ofUser(userId);
  }

  ofServerChannels(guildId: string): Promise<Watch[]> {
    return this.deps.store.ofServerChannels(guildId);
  }

  get(id: number): Promise<Watch | undefined> {
    return this.deps.store.get(id);
  }

  remove(id: number): Promise<boolean> {
    return this.deps.store.remove(id);
  }

  /** Active again, tried at once (whatever back-off its destination was in), and what it found meanwhile is sent. */
  async resume(id: number): Promise<void> {
    await this.resumeAll([id]);
  }

  /** Resumes every paused watch of a person (say, after they allowed DMs again); returns those resumed. */
  async resumePaused(userId: string): Promise<Watch[]> {
    const paused = (await this.deps.store.ofUser(userId)).filter((watch) => watch.status === "paused");
    await this.resumeAll(paused.map((watch) => watch.id));
    return paused;
  }

  private async resumeAll(ids: readonly number[]): Promise<void> {
    for (const id of ids) {
      const watch = await this.deps.store.get(id);
      if (!watch) continue;
      await this.deps.store.resume(id);
      this.troubles.delete(destinationOf(watch));
    }
    if (ids.length) void this.deliver();
  }

  /** Papers found and not sent yet (waiting for the hour between DMs, or for the watch to resume). */
  waiting(id: number): Promise<number> {
    return this.deps.store.waiting(id);
  }

  /** Destinations backing off after a failure, and until when (for logs and tests). */
  backingOff(): ReadonlyMap<Destination, Readonly<Trouble>> {
    return this.troubles;
  }

  /**
   * At start-up: papers added while the bot was down are matched (on the very first start, the corpus it
   * has is only noted, not alerted), alerts left claimed by a crash are finished, waiting ones sent, and
   * the schedule starts.
   */
  async start(): Promise<void> {
    const { store, engine, logger } = this.deps;
    if (await store.hasSeenAny()) await this.papersArrived([...engine.all()]);
    else await store.record([], engine.all().map((paper) => paper.id), this.deps.clock.now());
    this.timer = setInterval(() => void this.deliver(), this.options.tickMs);
    this.timer.unref();
    logger.info({ active: (await store.active()).length }, "watches running");
    await this.deliver();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.delivering;
  }

  /**
   * New papers (after an ingest): those the bot had not seen are matched against every watch (a paused
   * one keeps what it finds for when it resumes), then alerts go out. Backfills (dated more than a week
   * before now, see isBackfill) are only noted as seen. Returns the hits found.
   */
  async papersArrived(papers: readonly Paper[]): Promise<number> {
    const { store, engine, clock, logger } = this.deps;
    // Looking up a big arrival (the whole corpus, at a start) gives the event loop its turns.
    const pause = pauser();
    const fresh = new Set<string>();
    for (let at = 0; at < papers.length; at += SEEN_LOOKUP) {
      for (const id of await store.unseen(papers.slice(at, at + SEEN_LOOKUP).map((paper) => paper.id))) fresh.add(id);
      await pause();
    }
    if (fresh.size === 0) return 0;
    const now = clock.now();
    const arrivals = papers.filter((paper) => fresh.has(paper.id));
    const alertable = arrivals.filter((paper) => !isBackfill(paper, now));
    const watches = await store.all();
    const hits = [];
    for (let at = 0; at < alertable.length; at += 100) {
      hits.push(...matchWatches(engine, watches, alertable.slice(at, at + 100)));
      await pause();
    }
    const found = await store.record(hits, [...fresh], now);
    logger.info({ arrived: arrivals.length, backfill: arrivals.length - alertable.length, watches: watches.length, found }, "new papers matched against watches");
    await this.deliver();
    return found;
  }

  /** Sends what is waiting, one alert per destination; DMs at most once per dmIntervalMs. Runs one at a time. */
  deliver(): Promise<void> {
    this.delivering = this.delivering.then(() => this.deliverWaiting()).catch((error: unknown) => this.deps.logger.error({ err: error }, "watch alerts failed; trying again at the next tick"));
    return this.delivering;
  }

  /** Whether this process sends to a destination: channel alerts by their server's shard, DMs by shard 0's process. */
  private owns(destination: Destination, guildId: string | undefined): boolean {
    return !this.deps.owns || this.deps.owns(destination.startsWith("dm:") ? undefined : guildId);
  }

  private waitsOut(destination: Destination, now: number): boolean {
    return (this.troubles.get(destination)?.retryAt ?? -Infinity) > now;
  }

  private async deliverWaiting(): Promise<void> {
    const { store, clock } = this.deps;
    await this.finishClaimed();
    for (const { destination, guildId } of await store.waitingDestinations()) {
      if (!this.owns(destination, guildId)) continue;
      const now = clock.now();
      if (this.waitsOut(destination, now)) continue;
      // DMs: at most one per interval, counting a message claimed and not known to be sent (claim checks again, atomically).
      const quietMs = destination.startsWith("dm:") ? this.options.dmIntervalMs : 0;
      if (quietMs && now - ((await store.lastSent(destination)) ?? -Infinity) < quietMs) continue;
      const batch = await store.claim(destination, now, { quietMs });
      if (batch) await this.send(batch);
    }
  }

  /**
   * Alerts claimed and not sent (a crash, a passing failure): found in the channel (then marked sent), or
   * sent again with their nonce. A lookup that fails (Discord down, no Read Message History) says nothing
   * about whether the alert is there: it is tried again later, never sent blind.
   */
  private async finishClaimed(): Promise<void> {
    const { store, clock, transport, logger } = this.deps;
    for (const batch of await store.unfinished()) {
      if (!this.owns(batch.destination, batch.guildId)) continue;
      if (this.waitsOut(batch.destination, clock.now())) continue;
      if (clock.now() - batch.claimedAt > NONCE_MEMORY_MS) {
        let posted: string | undefined;
        try {
          posted = await transport.findPosted(await this.channelOf(batch.destination), alertMarker(batch.id));
        } catch (error) {
          const trouble = this.backOff(batch.destination, "retry");
          // Closed to the bot (no Read Message History, say): the watches say why in /watch list until resumed.
          if (error instanceof SendError && error.failure === "pause") {
            await store.pauseDestination(batch.destination, `I cannot read the recent messages there (${error.message}), which I need to check that an alert was not already posted. Give me Read Message History, then /watch resume.`);
          }
          logger.warn({ batch: batch.id, destination: batch.destination, err: error, retryAt: new Date(trouble.retryAt).toISOString() }, "could not look for an unconfirmed watch alert; trying again later");
          continue;
        }
        if (posted) {
          await store.sent(batch.id, posted, clock.now());
          this.troubles.delete(batch.destination);
          logger.info({ batch: batch.id, destination: batch.destination, message: posted }, "watch alert found already posted");
          continue;
        }
      }
      await this.send(batch);
    }
  }

  private channelOf(destination: Destination): Promise<string> {
    return destination.startsWith("dm:") ? this.deps.transport.directChannel(destination.slice(3)) : Promise.resolve(destination.slice("channel:".length));
  }

  /** Notes a failure: the destination waits 1, 2, 4 … minutes (at most an hour) before the next try. */
  private backOff(destination: Destination, failure: "retry" | "fail"): Trouble {
    const previous = this.troubles.get(destination);
    const attempts = (previous?.attempts ?? 0) + 1;
    const trouble = {
      attempts,
      fails: failure === "fail" ? (previous?.fails ?? 0) + 1 : (previous?.fails ?? 0),
      retryAt: this.deps.clock.now() + doublingDelayMs(attempts, BACKOFF_BASE_MS, BACKOFF_MAX_MS),
    };
    this.troubles.set(destination, trouble);
    return trouble;
  }

  private async send(batch: Batch): Promise<void> {
    const { store, engine, transport, clock, logger } = this.deps;
    // In a sharded bot another process may have found these papers a moment before this one's index has
    // them: the alert waits (its hits released) rather than going out without them.
    const now = clock.now();
    for (const hit of batch.hits) if (engine.get(hit.paperId)) this.missingSince.delete(hit.paperId);
    const missingIds = batch.hits.filter((hit) => !engine.get(hit.paperId)).map((hit) => hit.paperId);
    const missing = missingIds.length;
    for (const id of missingIds) if (!this.missingSince.has(id)) this.missingSince.set(id, now);
    if (missingIds.some((id) => now - this.missingSince.get(id)! < MISSING_PAPERS_WAIT_MS)) {
      await store.failed(batch.id, `${missing} of its papers are not in this process's index yet`, clock.now(), true);
      logger.info({ batch: batch.id, destination: batch.destination, missing }, "watch alert waits for its papers to reach this process");
      return;
    }
    const byWatch = new Map<number, { watchId: number; query: string; papers: Array<{ paper: Paper; matched: string }> }>();
    for (const hit of batch.hits) {
      const paper = engine.get(hit.paperId);
      if (!paper) continue;
      const entry = byWatch.get(hit.watchId) ?? { watchId: hit.watchId, query: hit.query, papers: [] };
      entry.papers.push({ paper, matched: hit.matched });
      byWatch.set(hit.watchId, entry);
    }
    if (byWatch.size === 0) return store.failed(batch.id, "its papers (or watches) are no longer there", clock.now(), false);
    const reply = fitReply(alertReply({ batchId: batch.id, watches: [...byWatch.values()] }));
    try {
      const channelId = await this.channelOf(batch.destination);
      const { messageId } = await transport.send(channelId, reply, alertNonce(batch.id));
      await store.sent(batch.id, messageId, clock.now());
      this.troubles.delete(batch.destination);
      logger.info({ batch: batch.id, destination: batch.destination, papers: batch.hits.length }, "watch alert sent");
      this.deps.observer?.watchAlert("sent");
    } catch (error) {
      const failure = error instanceof SendError ? error.failure : "retry";
      const reason = (error as Error).message;
      if (failure === "retry") {
        // Left claimed: sent again with the same nonce once the back-off is over (or at the next start).
        const trouble = this.backOff(batch.destination, "retry");
        logger.warn({ batch: batch.id, destination: batch.destination, err: error, retryAt: new Date(trouble.retryAt).toISOString() }, "watch alert not sent yet: a passing failure");
        return;
      }
      let why: string | undefined;
      if (failure === "pause") {
        // The person blocks DMs from the bot, or the channel is closed to it.
        why = batch.destination.startsWith("dm:") ? `I cannot send you direct messages (${reason}). Allow DMs from this server's members, then /watch resume.` : `I cannot post there (${reason}). Fix the channel's permissions, then /watch resume.`;
      } else {
        const trouble = this.backOff(batch.destination, "fail");
        if (trouble.fails >= FAILS_BEFORE_PAUSE) why = `Discord refused its alerts ${trouble.fails} times in a row (${reason}). /watch resume tries again.`;
      }
      if (why) {
        // Every watch sending there pauses with the reason (shown in /watch list); its papers wait for it to resume.
        await store.pauseDestination(batch.destination, why);
        this.troubles.delete(batch.destination);
      }
      // Not sent, and never will be as it is: its papers wait for the next alert (or for the watches to resume).
      await store.failed(batch.id, reason, clock.now(), true);
      logger.warn({ batch: batch.id, destination: batch.destination, failure, reason, paused: Boolean(why) }, "watch alert not sent");
      this.deps.observer?.watchAlert(why ? "paused" : "failed");
    }
  }
}

/** How long an alert waits for papers this process's index lacks; after that they are left out as gone. */
const MISSING_PAPERS_WAIT_MS = 10 * 60_000;

/** At most 25 characters, the same for every attempt at one alert. */
const alertNonce = (batchId: number) => `w${batchId}`;
