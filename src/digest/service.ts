import type { Logger } from "pino";
import type { Observer } from "../ops/observer.ts";
import { doublingDelayMs } from "../net/http.ts";
import type { Clock } from "../clock.ts";
import type { Paper } from "../corpus/paper.ts";
import { digestMarker, digestReply } from "../render/digest.ts";
import { fitReply } from "../render/limits.ts";
import type { Reply } from "../render/reply.ts";
import type { SearchEngine } from "../search/engine.ts";
import { nextRun, slotKey } from "./calendar.ts";
import { parseTopics, topicTest } from "../search/query/topics.ts";
import { selectPapers, upvotedFirst } from "./select.ts";
import { postedResult, slotNonce, type DigestStore, type NewSubscription, type Slot, type Subscription } from "./store.ts";
import { SendError, type Transport } from "../delivery/transport.ts";

export interface DigestOptions {
  /** A slot missed while the bot was down is still posted at start-up if it is at most this old. */
  graceMs: number;
  /** Waits between attempts after a passing failure; their count bounds the attempts. */
  retryDelaysMs: number[];
  /** How long Discord remembers a nonce: a crashed send younger than this is simply sent again. */
  nonceWindowMs: number;
  /** How often due subscriptions are looked for. */
  tickMs: number;
  /** Digests one server may have: anyone can add the bot to a server of their own. */
  maxPerServer: number;
  /** Digests being prepared or posted at once: the others wait their turn, the bot keeps answering. */
  concurrency: number;
}

/** A digest whose slot could not even be claimed (the database failing): retried later, not every second. */
export interface DigestTrouble {
  reason: string;
  attempts: number;
  /** When it is tried again. */
  retryAt: number;
}

/** Waiting before retrying a digest that failed in the database: from 30 s, doubling, up to an hour. */
const TROUBLE_BASE_MS = 30_000;
const TROUBLE_MAX_MS = 3600_000;

const DAY = 86_400_000;

export const DEFAULT_DIGEST_OPTIONS: DigestOptions = {
  graceMs: 6 * 3600_000,
  retryDelaysMs: [2_000, 10_000, 30_000],
  nonceWindowMs: 4 * 60_000,
  tickMs: 1000,
  maxPerServer: 10,
  concurrency: 2,
};

/** What a subscriber chooses; the service adds when it runs next and when it was made. */
export type SubscriptionRequest = Omit<NewSubscription, "nextRunAt" | "createdAt">;

/**
 * Scheduled digests, posted exactly once per slot: a slot is claimed in the database (with the papers it
 * will carry) before anything is sent and marked sent after; a send is retried with the same nonce, so
 * Discord keeps one message; after a crash, a claimed slot is looked for in the channel before it is sent
 * again. Everything it does is logged; nothing is retried forever.
 */
export class DigestService {
  private timer: NodeJS.Timeout | undefined;
  private readonly busy = new Set<number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly troubles = new Map<number, DigestTrouble>();
  private prunedAt = 0;
  /** A claimed slot could not be checked (its channel unreadable): recover() runs again at the next tick. */
  private recoverPending = false;
  private recoveredAt = 0;

  constructor(
    private readonly deps: {
      store: DigestStore;
      engine: SearchEngine;
      transport: Transport;
      clock: Clock;
      logger: Logger;
      observer?: Observer;
      /** Whether this process posts this server's digests (its shard is ours); default: every server. */
      owns?: (guildId: string) => boolean;
      options?: Partial<DigestOptions>;
      sleep?: (ms: number) => Promise<void>;
    },
  ) {}

  private get options(): DigestOptions {
    return { ...DEFAULT_DIGEST_OPTIONS, ...this.deps.options };
  }

  /** How many more digests a server may have. */
  async roomIn(guildId: string): Promise<number> {
    return Math.max(0, this.options.maxPerServer - (await this.deps.store.listSubscriptions(guildId)).length);
  }

  get maxPerServer(): number {
    return this.options.maxPerServer;
  }

  /** Saves a subscription after checking the bot can post there; returns the reason when it cannot. */
  async subscribe(input: SubscriptionRequest): Promise<Subscription | string> {
    const problem = await this.deps.transport.checkChannel(input.guildId, input.channelId);
    if (problem) return problem;
    const now = this.deps.clock.now();
    const subscription = await this.deps.store.addSubscription({ ...input, nextRunAt: nextRun(input.schedule, new Date(now)).getTime(), createdAt: now });
    this.deps.logger.info({ subscription: subscription.id, guild: input.guildId, channel: input.channelId, nextRunAt: new Date(subscription.nextRunAt).toISOString() }, "digest subscribed");
    return subscription;
  }

  list(guildId: string): Promise<Subscription[]> {
    return this.deps.store.listSubscriptions(guildId);
  }

  async unsubscribe(guildId: string, id: number): Promise<boolean> {
    const removed = await this.deps.store.removeSubscription(guildId, id);
    if (removed) this.deps.logger.info({ subscription: id, guild: guildId }, "digest unsubscribed");
    return removed;
  }

  /** What the next post would contain, without claiming or sending anything. */
  async preview(subscription: Subscription): Promise<Reply> {
    return this.compose(subscription, slotKey(subscription.schedule, new Date(subscription.nextRunAt)), subscription.nextRunAt, await this.choose(subscription));
  }

  /** Posts a digest at once, outside the schedule; it counts for "no repeats" like any other. */
  async postNow(subscription: Subscription): Promise<string> {
    const now = this.deps.clock.now();
    return this.runSlot(subscription, `now ${new Date(now).toISOString().slice(0, 19)}Z`, now);
  }

  start(): void {
    void this.track(
      this.pruneHistory()
        .then(() => this.recover())
        .then(() => this.tick())
        .then(async () => {
          const active = (await this.deps.store.allActive()).length;
          this.deps.logger[active ? "info" : "debug"]({ active }, "digest scheduler running");
        }),
    );
    this.timer = setInterval(() => void this.track(this.tick()), this.options.tickMs);
    this.timer.unref();
  }

  /** Stops scheduling and waits (bounded by the caller) for posts already under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs every due subscription's slot; a slot older than the grace window is skipped and logged. */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.prunedAt > DAY) await this.pruneHistory();
    // Slots left claimed while this process runs (another process stopped mid-send at a rolling restart,
    // a channel that could not be read): looked at again every few minutes, once Discord's nonce memory
    // for them is over, so that a recovery never races a send still under way.
    if (this.recoverPending || now - this.recoveredAt > this.options.nonceWindowMs) await this.recover(this.options.nonceWindowMs);
    const due = (await this.deps.store.dueSubscriptions(now))
      .filter((subscription) => this.owns(subscription) && !this.busy.has(subscription.id) && (this.troubles.get(subscription.id)?.retryAt ?? 0) <= now);
    // A few at a time, with a turn of the event loop in between: a server with many digests due at one
    // minute must not stall the answers to everyone else.
    const { concurrency } = this.options;
    for (let at = 0; at < due.length; at += concurrency) {
      await Promise.all(due.slice(at, at + concurrency).map((subscription) => this.runGuarded(subscription, now)));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Whether this process posts the subscription's digests (its server is on our shards). */
  private owns(subscription: Subscription): boolean {
    return this.deps.owns?.(subscription.guildId) ?? true;
  }

  /** Digests that failed in the database and wait to be tried again, by subscription id. */
  troubled(): ReadonlyMap<number, DigestTrouble> {
    return this.troubles;
  }

  /** Runs a due digest; a failure of the database (not of Discord) backs this digest off, logged once a try. */
  private async runGuarded(subscription: Subscription, now: number): Promise<void> {
    try {
      await this.runDue(subscription, now);
      this.troubles.delete(subscription.id);
    } catch (error) {
      const attempts = (this.troubles.get(subscription.id)?.attempts ?? 0) + 1;
      const retryAt = now + doublingDelayMs(attempts, TROUBLE_BASE_MS, TROUBLE_MAX_MS);
      this.troubles.set(subscription.id, { reason: (error as Error).message, attempts, retryAt });
      this.deps.logger.error({ err: error, subscription: subscription.id, attempts, retryAt: new Date(retryAt).toISOString() }, "digest could not run: trying again later");
    }
  }

  /**
   * Slots claimed before a crash and never confirmed (of this process's servers): found in the channel,
   * or sent (once) now. One whose channel cannot be read stays claimed and is looked at again next tick.
   */
  async recover(minAgeMs = 0): Promise<void> {
    this.recoverPending = false;
    this.recoveredAt = this.deps.clock.now();
    for (const slot of await this.deps.store.unfinishedSlots()) {
      const subscription = await this.deps.store.getSubscription(slot.subscriptionId);
      if (!subscription || this.busy.has(subscription.id) || !this.owns(subscription)) continue;
      const age = this.deps.clock.now() - slot.claimedAt;
      if (age < minAgeMs) continue;
      if (age > this.options.nonceWindowMs) {
        const found = await this.deps.transport.findPosted(subscription.channelId, digestMarker(subscription.id, slot.slotKey)).then(
          (id) => ({ id }),
          (error: unknown) => {
            this.deps.logger.warn({ subscription: subscription.id, slot: slot.slotKey, err: error }, "digest claimed before a restart: cannot tell whether it was posted; looking again later");
            return undefined;
          },
        );
        if (!found) {
          this.recoverPending = true;
          continue;
        }
        if (found.id) {
          const posted = found.id;
          await this.deps.store.markSent(subscription.id, slot.slotKey, posted, this.deps.clock.now());
          this.deps.logger.info({ subscription: subscription.id, slot: slot.slotKey, message: posted }, "digest found already posted after a restart");
          continue;
        }
      }
      this.deps.logger.info({ subscription: subscription.id, slot: slot.slotKey }, "digest claimed before a restart: sending it now");
      await this.deliver(subscription, slot, this.compose(subscription, slot.slotKey, slot.scheduledAt, this.papersOf(slot)));
    }
  }

  private async runDue(subscription: Subscription, now: number): Promise<void> {
    const scheduledAt = subscription.nextRunAt;
    const key = slotKey(subscription.schedule, new Date(scheduledAt));
    const advance = () => this.deps.store.setNextRun(subscription.id, nextRun(subscription.schedule, new Date(Math.max(now, scheduledAt))).getTime());
    if (now - scheduledAt > this.options.graceMs) {
      const { claimedNow } = await this.deps.store.claimSlot({ subscriptionId: subscription.id, slotKey: key, scheduledAt, nonce: slotNonce(subscription.id, key), paperIds: [], claimedAt: now });
      if (claimedNow) await this.deps.store.markFinished(subscription.id, key, "skipped", "missed while the bot was down, past the grace window", now);
      await advance();
      this.deps.logger.warn({ subscription: subscription.id, slot: key, scheduledAt: new Date(scheduledAt).toISOString() }, "digest slot missed and skipped: older than the grace window");
      return;
    }
    await this.runSlot(subscription, key, scheduledAt, advance);
  }

  /** Claims the slot (or finds it claimed), then delivers it unless it is already done. Returns the outcome. */
  private async runSlot(subscription: Subscription, key: string, scheduledAt: number, afterClaim?: () => Promise<void>): Promise<string> {
    this.busy.add(subscription.id);
    try {
      const choice = await this.choose(subscription);
      const nothingNew = choice.papers.length === 0;
      const { slot, claimedNow } = await this.deps.store.claimSlot({
        subscriptionId: subscription.id,
        slotKey: key,
        scheduledAt,
        nonce: slotNonce(subscription.id, key),
        paperIds: choice.papers.map((paper) => paper.id),
        claimedAt: this.deps.clock.now(),
      });
      await afterClaim?.();
      if (!claimedNow && slot.state !== "claimed") return `already ${slot.state}`;
      if (claimedNow && nothingNew && subscription.nothingNewNotified) {
        await this.deps.store.markFinished(subscription.id, key, "skipped", "nothing new (already said so)", this.deps.clock.now());
        this.deps.logger.info({ subscription: subscription.id, slot: key }, "digest skipped: nothing new");
        this.deps.observer?.digest("nothing_new");
        return "nothing new";
      }
      return await this.deliver(subscription, slot, this.compose(subscription, key, scheduledAt, claimedNow ? choice : this.papersOf(slot)));
    } finally {
      this.busy.delete(subscription.id);
    }
  }

  private async deliver(subscription: Subscription, slot: Slot, reply: Reply): Promise<string> {
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const log = { subscription: subscription.id, slot: slot.slotKey, channel: subscription.channelId };
    for (let attempt = 0; ; attempt++) {
      try {
        const { messageId } = await this.deps.transport.send(subscription.channelId, reply, slot.nonce);
        await this.deps.store.markSent(subscription.id, slot.slotKey, messageId, this.deps.clock.now());
        this.deps.logger.info({ ...log, message: messageId, papers: slot.paperIds.length }, "digest posted");
        this.deps.observer?.digest("posted");
        return postedResult(slot.paperIds.length);
      } catch (error) {
        const failure = error instanceof SendError ? error.failure : "retry";
        const reason = (error as Error).message;
        if (failure === "retry" && attempt < this.options.retryDelaysMs.length) {
          this.deps.logger.warn({ ...log, attempt: attempt + 1, err: error }, "digest send failed, retrying");
          await sleep(this.options.retryDelaysMs[attempt]!);
          continue;
        }
        // A post Discord refuses for what it holds must not be tried with the same papers forever.
        await this.deps.store.markFinished(subscription.id, slot.slotKey, "failed", reason, this.deps.clock.now(), { consumePapers: failure === "fail" });
        if (failure === "pause") {
          await this.deps.store.pause(subscription.id, reason);
          this.deps.logger.warn({ ...log, reason }, "digest paused: the bot cannot post in this channel");
          this.deps.observer?.digest("paused");
          return `paused: ${reason}`;
        }
        this.deps.logger.error({ ...log, err: error }, "digest failed");
        this.deps.observer?.digest("failed");
        return `failed: ${reason}`;
      }
    }
  }

  private async choose(subscription: Subscription): Promise<{ papers: Paper[]; recycled: boolean }> {
    const posted = await this.deps.store.postedPaperIds(subscription.id);
    const { engine } = this.deps;
    return selectPapers(subscription.sort === "upvotes" ? { [Symbol.iterator]: () => upvotedFirst(engine.newestFirstDated()) } : engine.newestFirst(), {
      onTopic: topicTest(this.deps.engine, parseTopics(subscription.topics)),
      count: subscription.count,
      posted: new Set(posted),
      cycle: subscription.cycle,
      postedOrder: posted,
    });
  }

  /** A claimed slot's papers, as they were chosen at claim time (those still in the corpus). */
  private papersOf(slot: Slot): { papers: Paper[]; recycled: boolean } {
    const papers = slot.paperIds.map((id) => this.deps.engine.get(id)).filter((paper): paper is Paper => paper !== undefined);
    return { papers, recycled: false };
  }

  private compose(subscription: Subscription, key: string, at: number, choice: { papers: Paper[]; recycled: boolean }): Reply {
    const dateLabel = new Intl.DateTimeFormat("en", { weekday: "short", month: "short", day: "numeric", timeZone: subscription.schedule.timezone }).format(at);
    // Posts skip the command runner, so they are fitted to Discord's limits here.
    return fitReply(digestReply({ subscriptionId: subscription.id, slotKey: key, dateLabel, papers: choice.papers, topics: subscription.topics, recycled: choice.recycled }));
  }

  /** Keeps 90 days of slots and a year of posted papers (DigestStore.prune), checked daily. */
  private async pruneHistory(): Promise<void> {
    const now = this.deps.clock.now();
    this.prunedAt = now;
    try {
      const pruned = await this.deps.store.prune(now - 90 * DAY, now - 365 * DAY);
      if (pruned.slots || pruned.posted) this.deps.logger.info(pruned, "digest history pruned");
    } catch (error) {
      this.deps.logger.warn({ err: error }, "digest history not pruned");
    }
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work
      .catch((error: unknown) => this.deps.logger.error({ err: error }, "digest scheduler error"))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return tracked;
  }
}
