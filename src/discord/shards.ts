import { REST, Routes } from "discord.js";
import type { Logger } from "pino";
import { setTimeout as delay } from "node:timers/promises";
import { ConfigError, type Config } from "../config.ts";
import { doublingDelayMs } from "../net/http.ts";

/**
 * The shards this process runs, from SHARD_COUNT (a number, or "auto": what Discord's /gateway/bot
 * recommends) and SHARD_IDS (default: all). Without SHARD_COUNT, one shard: shard 0 of 1.
 *
 * Always given to discord.js explicitly: left unset, discord.js reads SHARD_COUNT and SHARDS from the
 * environment itself (they are how its ShardingManager talks to its children), which would make it run
 * every shard in this one process.
 */
export async function resolveShards(config: Config, token: string, logger: Logger): Promise<{ shardIds: number[]; shardCount: number; maxConcurrency: number }> {
  // "auto" needs Discord's answer; with a fixed count it only tells how many shards may identify at once.
  const gateway = config.SHARD_COUNT === "auto" ? await untilAnswered(() => gatewayBot(config, token), logger) : config.SHARD_COUNT === undefined ? undefined : await gatewayBot(config, token).catch(() => undefined);
  const shardCount = config.SHARD_COUNT === "auto" ? gateway!.shards : (config.SHARD_COUNT ?? 1);
  const shardIds = config.SHARD_IDS ?? Array.from({ length: shardCount }, (_, id) => id);
  if (shardIds.at(-1)! >= shardCount) throw new Error(`SHARD_IDS: shard ${shardIds.at(-1)} does not exist: Discord recommends ${shardCount} shard(s), numbered from 0`);
  const maxConcurrency = gateway?.session_start_limit.max_concurrency ?? 1;
  // discord.js holds every event until all of a process's shards are ready, and shards identify at most
  // max_concurrency per 5 s: with more shards than that, interactions arriving meanwhile miss Discord's
  // 3 s deadline. Fewer shards per process (more processes) avoid it.
  if (shardIds.length > maxConcurrency) {
    logger.warn({ shards: shardIds.length, maxConcurrency, readyAfterS: Math.ceil(shardIds.length / maxConcurrency - 1) * 5 }, "this process runs more shards than identify at once: interactions wait until the last is ready");
  }
  return { shardIds, shardCount, maxConcurrency };
}

/** Waiting for Discord to be reachable (asking for the shard count, logging in): from 2 s, doubling, up to a minute. */
export const DISCORD_RETRY_BASE_MS = 2000;
export const DISCORD_RETRY_MAX_MS = 60_000;

/** Asks until Discord answers (from 2 s, doubling, up to a minute); a refused token stops with one clear line. */
async function untilAnswered<T>(ask: () => Promise<T>, logger: Logger): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 401 || status === 403) throw new ConfigError(`DISCORD_TOKEN: Discord refused it when asked for the shard count (${(error as Error).message}).`);
      const waitMs = doublingDelayMs(attempt, DISCORD_RETRY_BASE_MS, DISCORD_RETRY_MAX_MS);
      logger.warn({ err: error, attempt, waitMs }, "cannot ask Discord for the shard count (SHARD_COUNT=auto): trying again");
      await delay(waitMs);
    }
  }
}

interface GatewayBot {
  shards: number;
  session_start_limit: { max_concurrency: number };
}

function gatewayBot(config: Config, token: string): Promise<GatewayBot> {
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(token);
  return rest.get(Routes.gatewayBot()) as Promise<GatewayBot>;
}
