import type { Slot, SlotState, Subscription } from "./store.ts";

/** The digest tables' rows (src/store/schema.ts) and the store's types they map to. */

export interface SubscriptionRow {
  id: number;
  guild_id: string;
  channel_id: string;
  time: string;
  timezone: string;
  days: string;
  count: number;
  topics: string;
  cycle: number;
  sort: "newest" | "upvotes";
  status: "active" | "paused";
  pause_reason: string | null;
  next_run_at: number;
  last_post_at: number | null;
  last_result: string | null;
  nothing_new_notified: number;
  created_by: string;
  created_at: number;
}

export interface SlotRow {
  subscription_id: number;
  slot_key: string;
  scheduled_at: number;
  state: SlotState;
  nonce: string;
  paper_ids: string;
  message_id: string | null;
  claimed_at: number;
  finished_at: number | null;
  reason: string | null;
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    schedule: { time: row.time, timezone: row.timezone, days: JSON.parse(row.days) as number[] },
    count: row.count,
    topics: row.topics,
    cycle: row.cycle !== 0,
    sort: row.sort,
    status: row.status,
    pauseReason: row.pause_reason ?? undefined,
    nextRunAt: row.next_run_at,
    lastPostAt: row.last_post_at ?? undefined,
    lastResult: row.last_result ?? undefined,
    nothingNewNotified: row.nothing_new_notified !== 0,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export function toSlot(row: SlotRow): Slot {
  return {
    subscriptionId: row.subscription_id,
    slotKey: row.slot_key,
    scheduledAt: row.scheduled_at,
    state: row.state,
    nonce: row.nonce,
    paperIds: JSON.parse(row.paper_ids) as string[],
    messageId: row.message_id ?? undefined,
    claimedAt: row.claimed_at,
    finishedAt: row.finished_at ?? undefined,
    reason: row.reason ?? undefined,
  };
}
