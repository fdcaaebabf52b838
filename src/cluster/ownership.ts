import { shardOf } from "../discord-api.ts";

/**
 * Which part of the bot this process is: the gateway shards it runs, out of how many. Digests and channel
 * watches are scheduled only by the process whose shards carry their server, so that several processes
 * split the work; a watch made in a DM belongs to shard 0. Without sharding, one process owns everything.
 */
export interface Cluster {
  shardIds: readonly number[];
  shardCount: number;
  /** Whether this process schedules the posts of this server (undefined: a DM, shard 0). */
  owns(guildId: string | undefined): boolean;
}

export function cluster(shardIds: readonly number[], shardCount: number): Cluster {
  const mine = new Set(shardIds);
  return {
    shardIds,
    shardCount,
    owns: (guildId) => mine.has(guildId && /^\d{1,20}$/.test(guildId) ? shardOf(guildId, shardCount) : 0),
  };
}

/** One process with every server: no sharding configured (or the console). */
export const WHOLE = cluster([0], 1);
