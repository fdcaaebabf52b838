/**
 * Digest state, in SQLite or PostgreSQL (src/store/sql.ts): subscriptions, one row per run ("slot") and
 * the papers each subscription has posted. The schemas are src/store/schema.ts and
 * src/store/postgres-schema.ts, migrated when the database is opened.
 *
 * Exactly once per slot: the scheduler claims (subscription, local date) in a transaction before it sends
 * (claimSlot), with the papers chosen and a deterministic Discord nonce, and marks it sent in another
 * transaction after Discord confirms (markSent). A slot still "claimed" after a restart (unfinishedSlots)
 * was claimed but never confirmed: resend it with the same nonce and papers, or give it up.
 */
import { createHash } from "node:crypto";
import { NONCE_MAX_LENGTH } from "../discord-api.ts";
import type { Sql } from "../store/sql.ts";
import { openDatabase, type OpenOptions } from "../store/sqlite.ts";
import { SqliteSql } from "../store/sqlite-sql.ts";
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
  constructor(private readonly sql: Sql) {}

  /** The store over a SQLite connection of its own to the file at `path` (tests; the app shares one Sql). */
  static open(path: string, options: OpenOptions = {}): DigestStore {
    return new DigestStore(new SqliteSql(openDatabase(path, options)));
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  async addSubscription(input: NewSubscription): Promise<Subscription> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO subscriptions (guild_id, channel_id, time, timezone, days, count, topics, cycle, sort, next_run_at, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        input.guildId,
        input.channelId,
        input.schedule.time,
        input.schedule.timezone,
        JSON.stringify([...new Set(input.schedule.days)].sort((a, b) => a - b)),
        input.count,
        input.topics,
        input.cycle ? 1 : 0,
        input.sort ?? "newest",
        input.nextRunAt,
        input.createdBy,
        input.createdAt,
      ],
    );
    return (await this.getSubscription(row!.id))!;
  }

  async getSubscription(id: number): Promise<Subscription | undefined> {
    const row = await this.sql.get<SubscriptionRow>(`SELECT * FROM subscriptions WHERE id = ?`, [id]);
    return row && toSubscription(row);
  }

  /** The guild's subscriptions, oldest first. */
  async listSubscriptions(guildId: string): Promise<Subscription[]> {
    return (await this.sql.all<SubscriptionRow>(`SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY id`, [guildId])).map(toSubscription);
  }

  /** Every active subscription, next to run first. */
  async allActive(): Promise<Subscription[]> {
    return (await this.sql.all<SubscriptionRow>(`SELECT * FROM subscriptions WHERE status = 'active' ORDER BY next_run_at, id`)).map(toSubscription);
  }

  /** Deletes the subscription, only if it belongs to the guild; its slots and posted history go with it (ON DELETE CASCADE). */
  async removeSubscription(guildId: string, id: number): Promise<boolean> {
    return (await this.sql.run(`DELETE FROM subscriptions WHERE guild_id = ? AND id = ?`, [guildId, id])) > 0;
  }

  /** Active subscriptions whose next run is at or before `now`, earliest first. */
  async dueSubscriptions(now: number): Promise<Subscription[]> {
    return (await this.sql.all<SubscriptionRow>(`SELECT * FROM subscriptions WHERE status = 'active' AND next_run_at <= ? ORDER BY next_run_at, id`, [now])).map(toSubscription);
  }

  async setNextRun(id: number, at: number): Promise<void> {
    await this.sql.run(`UPDATE subscriptions SET next_run_at = ? WHERE id = ?`, [at, id]);
  }

  async pause(id: number, reason: string): Promise<void> {
    await this.sql.run(`UPDATE subscriptions SET status = 'paused', pause_reason = ? WHERE id = ?`, [reason, id]);
  }

  /** Active again, reason cleared; nextRunAt is left as it is (set it with setNextRun). */
  async resume(id: number): Promise<void> {
    await this.sql.run(`UPDATE subscriptions SET status = 'active', pause_reason = NULL WHERE id = ?`, [id]);
  }

  /**
   * In one transaction: inserts the slot as "claimed" unless (subscriptionId, slotKey) exists. Returns the
   * stored slot (the existing one, unchanged, when it was there) and whether this call claimed it. The
   * primary key decides between processes too: of two inserting the same slot, one inserts, the other
   * waits for it and then finds it. Throws if the subscription does not exist.
   */
  claimSlot(slot: ClaimInput): Promise<{ slot: Slot; claimedNow: boolean }> {
    return this.sql.transaction(async (tx) => {
      const inserted = await tx.run(
        `INSERT INTO slots (subscription_id, slot_key, scheduled_at, state, nonce, paper_ids, claimed_at)
         VALUES (?, ?, ?, 'claimed', ?, ?, ?) ON CONFLICT (subscription_id, slot_key) DO NOTHING`,
        [slot.subscriptionId, slot.slotKey, slot.scheduledAt, slot.nonce, JSON.stringify(slot.paperIds), slot.claimedAt],
      );
      const row = await tx.get<SlotRow>(`SELECT * FROM slots WHERE subscription_id = ? AND slot_key = ?`, [slot.subscriptionId, slot.slotKey]);
      return { slot: toSlot(row!), claimedNow: inserted > 0 };
    });
  }

  async getSlot(subscriptionId: number, slotKey: string): Promise<Slot | undefined> {
    const row = await this.sql.get<SlotRow>(`SELECT * FROM slots WHERE subscription_id = ? AND slot_key = ?`, [subscriptionId, slotKey]);
    return row && toSlot(row);
  }

  /** The subscription's latest slots, newest first. */
  async recentSlots(subscriptionId: number, limit = 10): Promise<Slot[]> {
    return (await this.sql.all<SlotRow>(`SELECT * FROM slots WHERE subscription_id = ? ORDER BY scheduled_at DESC, slot_key DESC LIMIT ?`, [subscriptionId, limit])).map(toSlot);
  }

  /**
   * In one transaction: the slot becomes "sent" with the message id; each of its papers is recorded as
   * posted at `at` (a repost moves it to the newest end); the subscription's lastPostAt becomes `at` and
   * its lastResult says what was posted; a post of no papers ("nothing new") is remembered so that it is
   * said once. Throws if the slot does not exist.
   */
  markSent(subscriptionId: number, slotKey: string, messageId: string, at: number): Promise<void> {
    return this.sql.transaction(async (tx) => {
      const row = await tx.get<SlotRow>(`SELECT * FROM slots WHERE subscription_id = ? AND slot_key = ?`, [subscriptionId, slotKey]);
      if (!row) throw new Error(`No digest slot ${slotKey} for subscription ${subscriptionId}`);
      await tx.run(`UPDATE slots SET state = 'sent', message_id = ?, finished_at = ?, reason = NULL WHERE subscription_id = ? AND slot_key = ?`, [messageId, at, subscriptionId, slotKey]);
      const paperIds = JSON.parse(row.paper_ids) as string[];
      await recordPosted(tx, subscriptionId, paperIds, at);
      await tx.run(`UPDATE subscriptions SET last_post_at = ?, last_result = ?, nothing_new_notified = ? WHERE id = ?`, [at, postedResult(paperIds.length), paperIds.length === 0 ? 1 : 0, subscriptionId]);
    });
  }

  /**
   * The slot ends without a post ("skipped": e.g. missed beyond the grace window; "failed": gave up, which
   * becomes the subscription's lastResult); with `consumePapers`, its papers count as posted. Throws if it
   * does not exist.
   */
  markFinished(subscriptionId: number, slotKey: string, state: "skipped" | "failed", reason: string, at: number, options: { consumePapers?: boolean } = {}): Promise<void> {
    return this.sql.transaction(async (tx) => {
      const exists = await tx.get<{ state: SlotState }>(`SELECT state FROM slots WHERE subscription_id = ? AND slot_key = ?`, [subscriptionId, slotKey]);
      if (!exists) throw new Error(`No digest slot ${slotKey} for subscription ${subscriptionId}`);
      // A slot another process has meanwhile sent stays sent: its failure here does not undo that post.
      if (exists.state !== "claimed") return;
      await tx.run(`UPDATE slots SET state = ?, reason = ?, finished_at = ? WHERE subscription_id = ? AND slot_key = ?`, [state, reason, at, subscriptionId, slotKey]);
      if (state === "failed") await tx.run(`UPDATE subscriptions SET last_result = ? WHERE id = ?`, [`failed: ${reason}`, subscriptionId]);
      if (options.consumePapers) {
        // Counted as posted, so that the next post picks other papers.
        const row = await tx.get<SlotRow>(`SELECT * FROM slots WHERE subscription_id = ? AND slot_key = ?`, [subscriptionId, slotKey]);
        await recordPosted(tx, subscriptionId, JSON.parse(row!.paper_ids) as string[], at);
      }
    });
  }

  /** Slots claimed but never confirmed sent or finished (a crash between claim and confirmation), oldest first. */
  async unfinishedSlots(): Promise<Slot[]> {
    return (await this.sql.all<SlotRow>(`SELECT * FROM slots WHERE state = 'claimed' ORDER BY scheduled_at, subscription_id, slot_key`)).map(toSlot);
  }

  /**
   * Forgets finished slots older than `slotsBefore` and posted papers older than `postedBefore`, so the
   * history does not grow forever. A paper forgotten this way could be posted again only if it is still
   * among the newest for its digest, which after a year it is not.
   */
  prune(slotsBefore: number, postedBefore: number): Promise<{ slots: number; posted: number }> {
    return this.sql.transaction(async (tx) => ({
      slots: await tx.run(`DELETE FROM slots WHERE state <> 'claimed' AND finished_at < ?`, [slotsBefore]),
      posted: await tx.run(`DELETE FROM posted_papers WHERE posted_at < ?`, [postedBefore]),
    }));
  }

  /** The ids this subscription has posted, the one posted longest ago first. */
  async postedPaperIds(subscriptionId: number): Promise<string[]> {
    return (await this.sql.all<{ paper_id: string }>(`SELECT paper_id FROM posted_papers WHERE subscription_id = ? ORDER BY posted_at, position, paper_id`, [subscriptionId])).map((row) => row.paper_id);
  }
}

/** Each paper as posted at `at`, in its place; a paper posted before moves to the newest end. */
async function recordPosted(tx: Sql, subscriptionId: number, paperIds: readonly string[], at: number): Promise<void> {
  for (const [position, paperId] of paperIds.entries()) {
    await tx.run(
      `INSERT INTO posted_papers (subscription_id, paper_id, posted_at, position) VALUES (?, ?, ?, ?)
       ON CONFLICT (subscription_id, paper_id) DO UPDATE SET posted_at = excluded.posted_at, position = excluded.position`,
      [subscriptionId, paperId, at, position],
    );
  }
}
