/**
 * Digest state in SQLite (better-sqlite3): subscriptions, one row per run ("slot") and the papers each
 * subscription has posted. WAL mode, foreign keys on, migrations versioned by PRAGMA user_version and
 * applied in one transaction when the file is opened; the file (and its directory) is created on first
 * start.
 *
 * Exactly once per slot: the scheduler claims (subscription, local date) in a transaction before it sends
 * (claimSlot), with the papers chosen and a deterministic Discord nonce, and marks it sent in another
 * transaction after Discord confirms (markSent). A slot still "claimed" after a restart (unfinishedSlots)
 * was claimed but never confirmed: resend it with the same nonce and papers, or give it up.
 */
import { createHash } from "node:crypto";
import { NONCE_MAX_LENGTH } from "../discord-api.ts";
import { openDatabase, type Database, type OpenOptions } from "../store/sqlite.ts";
import { toSlot, toSubscription, type SlotRow, type SubscriptionRow } from "./rows.ts";
import type { Schedule } from "./calendar.ts";

export const DIGEST_SORTS = ["newest", "upvotes"] as const;
export type DigestSort = (typeof DIGEST_SORTS)[number];

export interface Subscription {
  id: number;
  guildId: string;
  channelId: string;
  schedule: Schedule;
  /** Papers per post (1-10). */
  count: number;
  /** The topics as typed ("" if none); parse with parseTopics. */
  topics: string;
  /** With nothing new: repost the oldest posted papers (true) or say so once (false). */
  cycle: boolean;
  /** Which new papers first: the newest, or the most upvoted of the last week's. */
  sort: DigestSort;
  status: "active" | "paused";
  /** Why it was paused (shown in /digest list). */
  pauseReason?: string;
  /** Epoch ms of the next scheduled run. */
  nextRunAt: number;
  lastPostAt?: number;
  lastResult?: string;
  /** Whether "nothing new" has been said since the last post (so it is said once). */
  nothingNewNotified: boolean;
  createdBy: string;
  createdAt: number;
}

export type NewSubscription = Omit<Subscription, "id" | "status" | "pauseReason" | "lastPostAt" | "lastResult" | "nothingNewNotified" | "sort"> & { sort?: DigestSort };

export type SlotState = "claimed" | "sent" | "skipped" | "failed";

export interface Slot {
  subscriptionId: number;
  /** The run's local date in the subscription's time zone (slotKey), or any other key the caller chooses. */
  slotKey: string;
  /** Epoch ms the run was scheduled for. */
  scheduledAt: number;
  state: SlotState;
  /** The Discord message nonce used for every send attempt of this slot (slotNonce). */
  nonce: string;
  /** The papers chosen when the slot was claimed, in posting order. */
  paperIds: string[];
  messageId?: string;
  claimedAt: number;
  finishedAt?: number;
  reason?: string;
}

export interface ClaimInput {
  subscriptionId: number;
  slotKey: string;
  scheduledAt: number;
  nonce: string;
  paperIds: string[];
  claimedAt: number;
}

/** What a sent slot posted, as /digest list and /digest now say it. */
export function postedResult(papers: number): string {
  return papers === 0 ? "posted: nothing new" : `posted ${papers} paper${papers === 1 ? "" : "s"}`;
}

/**
 * The Discord message nonce of a slot: deterministic (the same slot gives the same nonce on every attempt
 * and after a restart), at most 25 characters. "pb12-2026-03-29" when that fits, else "pbh" and a hash.
 */
export function slotNonce(subscriptionId: number, slotKey: string): string {
  const readable = `pb${subscriptionId}-${slotKey}`;
  if (readable.length <= NONCE_MAX_LENGTH && /^[\w:.-]+$/.test(slotKey)) return readable;
  const hash = createHash("sha256").update(`${subscriptionId}\u0000${slotKey}`).digest("base64url");
  return `pbh${hash.slice(0, NONCE_MAX_LENGTH - 3)}`;
}

export class DigestStore {
  private readonly statements: ReturnType<DigestStore["prepare"]>;

  constructor(private readonly db: Database.Database) {
    this.statements = this.prepare();
  }

  /** The store over a connection of its own to the database at `path` (tests; the app shares one). */
  static open(path: string, options: OpenOptions = {}): DigestStore {
    return new DigestStore(openDatabase(path, options));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private prepare() {
    const db = this.db;
    return {
      insertSubscription: db.prepare(`
        INSERT INTO subscriptions (guild_id, channel_id, time, timezone, days, count, topics, cycle, sort, next_run_at, created_by, created_at)
        VALUES (@guildId, @channelId, @time, @timezone, @days, @count, @topics, @cycle, @sort, @nextRunAt, @createdBy, @createdAt)`),
      getSubscription: db.prepare<[number], SubscriptionRow>(`SELECT * FROM subscriptions WHERE id = ?`),
      listSubscriptions: db.prepare<[string], SubscriptionRow>(`SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY id`),
      allActive: db.prepare<[], SubscriptionRow>(`SELECT * FROM subscriptions WHERE status = 'active' ORDER BY next_run_at, id`),
      due: db.prepare<[number], SubscriptionRow>(`SELECT * FROM subscriptions WHERE status = 'active' AND next_run_at <= ? ORDER BY next_run_at, id`),
      deleteSubscription: db.prepare<[string, number]>(`DELETE FROM subscriptions WHERE guild_id = ? AND id = ?`),
      setNextRun: db.prepare<[number, number]>(`UPDATE subscriptions SET next_run_at = ? WHERE id = ?`),
      pause: db.prepare<[string, number]>(`UPDATE subscriptions SET status = 'paused', pause_reason = ? WHERE id = ?`),
      resume: db.prepare<[number]>(`UPDATE subscriptions SET status = 'active', pause_reason = NULL WHERE id = ?`),
      setFailed: db.prepare<[string, number]>(`UPDATE subscriptions SET last_result = ? WHERE id = ?`),
      insertSlot: db.prepare(`
        INSERT INTO slots (subscription_id, slot_key, scheduled_at, state, nonce, paper_ids, claimed_at)
        VALUES (@subscriptionId, @slotKey, @scheduledAt, 'claimed', @nonce, @paperIds, @claimedAt)
        ON CONFLICT (subscription_id, slot_key) DO NOTHING`),
      getSlot: db.prepare<[number, string], SlotRow>(`SELECT * FROM slots WHERE subscription_id = ? AND slot_key = ?`),
      markSent: db.prepare<[string, number, number, string]>(
        `UPDATE slots SET state = 'sent', message_id = ?, finished_at = ?, reason = NULL WHERE subscription_id = ? AND slot_key = ?`,
      ),
      markFinished: db.prepare<[string, string, number, number, string]>(
        `UPDATE slots SET state = ?, reason = ?, finished_at = ? WHERE subscription_id = ? AND slot_key = ?`,
      ),
      recordPosted: db.prepare<[number, string, number, number]>(`
        INSERT INTO posted_papers (subscription_id, paper_id, posted_at, position) VALUES (?, ?, ?, ?)
        ON CONFLICT (subscription_id, paper_id) DO UPDATE SET posted_at = excluded.posted_at, position = excluded.position`),
      setPosted: db.prepare<[number, string, number, number]>(
        `UPDATE subscriptions SET last_post_at = ?, last_result = ?, nothing_new_notified = ? WHERE id = ?`,
      ),
      unfinished: db.prepare<[], SlotRow>(`SELECT * FROM slots WHERE state = 'claimed' ORDER BY scheduled_at, subscription_id, slot_key`),
      slots: db.prepare<[number, number], SlotRow>(`SELECT * FROM slots WHERE subscription_id = ? ORDER BY scheduled_at DESC, slot_key DESC LIMIT ?`),
      pruneSlots: db.prepare<[number]>(`DELETE FROM slots WHERE state <> 'claimed' AND finished_at < ?`),
      prunePosted: db.prepare<[number]>(`DELETE FROM posted_papers WHERE posted_at < ?`),
      posted: db.prepare<[number], { paper_id: string }>(
        `SELECT paper_id FROM posted_papers WHERE subscription_id = ? ORDER BY posted_at, position, paper_id`,
      ),
    };
  }

  addSubscription(input: NewSubscription): Subscription {
    const result = this.statements.insertSubscription.run({
      guildId: input.guildId,
      channelId: input.channelId,
      time: input.schedule.time,
      timezone: input.schedule.timezone,
      days: JSON.stringify([...new Set(input.schedule.days)].sort((a, b) => a - b)),
      count: input.count,
      topics: input.topics,
      cycle: input.cycle ? 1 : 0,
      sort: input.sort ?? "newest",
      nextRunAt: input.nextRunAt,
      createdBy: input.createdBy,
      createdAt: input.createdAt,
    });
    return this.getSubscription(Number(result.lastInsertRowid))!;
  }

  getSubscription(id: number): Subscription | undefined {
    const row = this.statements.getSubscription.get(id);
    return row && toSubscription(row);
  }

  /** The guild's subscriptions, oldest first. */
  listSubscriptions(guildId: string): Subscription[] {
    return this.statements.listSubscriptions.all(guildId).map(toSubscription);
  }

  /** Every active subscription, next to run first. */
  allActive(): Subscription[] {
    return this.statements.allActive.all().map(toSubscription);
  }

  /** Deletes the subscription, only if it belongs to the guild; its slots and posted history go with it (ON DELETE CASCADE). */
  removeSubscription(guildId: string, id: number): boolean {
    return this.statements.deleteSubscription.run(guildId, id).changes > 0;
  }

  /** Active subscriptions whose next run is at or before `now`, earliest first. */
  dueSubscriptions(now: number): Subscription[] {
    return this.statements.due.all(now).map(toSubscription);
  }

  setNextRun(id: number, at: number): void {
    this.statements.setNextRun.run(at, id);
  }

  pause(id: number, reason: string): void {
    this.statements.pause.run(reason, id);
  }

  /** Active again, reason cleared; nextRunAt is left as it is (set it with setNextRun). */
  resume(id: number): void {
    this.statements.resume.run(id);
  }

  /**
   * In one transaction: inserts the slot as "claimed" unless (subscriptionId, slotKey) exists. Returns the
   * stored slot (the existing one, unchanged, when it was there) and whether this call claimed it.
   * Throws if the subscription does not exist.
   */
  claimSlot(slot: ClaimInput): { slot: Slot; claimedNow: boolean } {
    return this.db.transaction(() => {
      const inserted = this.statements.insertSlot.run({ ...slot, paperIds: JSON.stringify(slot.paperIds) }).changes > 0;
      const row = this.statements.getSlot.get(slot.subscriptionId, slot.slotKey)!;
      return { slot: toSlot(row), claimedNow: inserted };
    }).immediate();
  }

  getSlot(subscriptionId: number, slotKey: string): Slot | undefined {
    const row = this.statements.getSlot.get(subscriptionId, slotKey);
    return row && toSlot(row);
  }

  /** The subscription's latest slots, newest first. */
  recentSlots(subscriptionId: number, limit = 10): Slot[] {
    return this.statements.slots.all(subscriptionId, limit).map(toSlot);
  }

  /**
   * In one transaction: the slot becomes "sent" with the message id; each of its papers is recorded as
   * posted at `at` (a repost moves it to the newest end); the subscription's lastPostAt becomes `at` and
   * its lastResult says what was posted; a post of no papers ("nothing new") is remembered so that it is
   * said once. Throws if the slot does not exist.
   */
  markSent(subscriptionId: number, slotKey: string, messageId: string, at: number): void {
    this.db.transaction(() => {
      const row = this.statements.getSlot.get(subscriptionId, slotKey);
      if (!row) throw new Error(`No digest slot ${slotKey} for subscription ${subscriptionId}`);
      this.statements.markSent.run(messageId, at, subscriptionId, slotKey);
      const paperIds = JSON.parse(row.paper_ids) as string[];
      paperIds.forEach((paperId, position) => this.statements.recordPosted.run(subscriptionId, paperId, at, position));
      this.statements.setPosted.run(at, postedResult(paperIds.length), paperIds.length === 0 ? 1 : 0, subscriptionId);
    }).immediate();
  }

  /**
   * The slot ends without a post ("skipped": e.g. missed beyond the grace window; "failed": gave up, which
   * becomes the subscription's lastResult); with `consumePapers`, its papers count as posted. Throws if it
   * does not exist.
   */
  markFinished(subscriptionId: number, slotKey: string, state: "skipped" | "failed", reason: string, at: number, options: { consumePapers?: boolean } = {}): void {
    this.db.transaction(() => {
      const changes = this.statements.markFinished.run(state, reason, at, subscriptionId, slotKey).changes;
      if (changes === 0) throw new Error(`No digest slot ${slotKey} for subscription ${subscriptionId}`);
      if (state === "failed") this.statements.setFailed.run(`failed: ${reason}`, subscriptionId);
      if (options.consumePapers) {
        // Counted as posted, so that the next post picks other papers.
        const row = this.statements.getSlot.get(subscriptionId, slotKey)!;
        (JSON.parse(row.paper_ids) as string[]).forEach((paperId, position) => this.statements.recordPosted.run(subscriptionId, paperId, at, position));
      }
    }).immediate();
  }

  /** Slots claimed but never confirmed sent or finished (a crash between claim and confirmation), oldest first. */
  unfinishedSlots(): Slot[] {
    return this.statements.unfinished.all().map(toSlot);
  }

  /**
   * Forgets finished slots older than `slotsBefore` and posted papers older than `postedBefore`, so the
   * history does not grow forever. A paper forgotten this way could be posted again only if it is still
   * among the newest for its digest, which after a year it is not.
   */
  prune(slotsBefore: number, postedBefore: number): { slots: number; posted: number } {
    return this.db.transaction(() => ({
      slots: this.statements.pruneSlots.run(slotsBefore).changes,
      posted: this.statements.prunePosted.run(postedBefore).changes,
    })).immediate();
  }

  /** The ids this subscription has posted, the one posted longest ago first. */
  postedPaperIds(subscriptionId: number): string[] {
    return this.statements.posted.all(subscriptionId).map((row) => row.paper_id);
  }
}
