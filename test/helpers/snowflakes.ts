/**
 * A server id (snowflake) on `shard` of `count`, written out from Discord's rule (the shard is the id's
 * timestamp, `id >> 22`, modulo the count) rather than from our shardOf, so tests of shardOf can fail.
 * `n` picks another of the ids on that shard.
 */
export function guildOnShard(shard: number, count: number, n = 1): string {
  return String(((BigInt(n) * BigInt(count) + BigInt(shard)) << 22n) | 12345n);
}
