import { nextRun } from "../../src/digest/calendar.ts";
import type { DigestStore, Subscription } from "../../src/digest/store.ts";

export const BERLIN_9AM = { time: "09:00", timezone: "Europe/Berlin", days: [] };

/**
 * A daily 09:00 Berlin digest written to the store as an earlier run of the bot would have left it,
 * subscribed at `subscribedAt` (epoch ms) and so due next at the first 09:00 after it.
 */
export function savedSubscription(store: DigestStore, s: { guildId: string; channelId: string; subscribedAt: number; count?: number; createdBy?: string }): Promise<Subscription> {
  const { guildId, channelId, subscribedAt, count = 3, createdBy = "u" } = s;
  return store.addSubscription({ guildId, channelId, schedule: BERLIN_9AM, count, topics: "", cycle: false, createdBy, createdAt: subscribedAt, nextRunAt: nextRun(BERLIN_9AM, new Date(subscribedAt)).getTime() });
}
