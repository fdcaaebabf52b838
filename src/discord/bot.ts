import { setTimeout as delay } from "node:timers/promises";
import { Client, DiscordAPIError, Events, GatewayIntentBits, Partials, Status, type Interaction } from "discord.js";
import { backoffMs } from "../net/http.ts";
import type { Logger } from "pino";
import { createApp, type App } from "../app.ts";
import { cluster } from "../cluster/ownership.ts";
import { Metrics } from "../ops/metrics.ts";
import { startOpsServer } from "../ops/ops-server.ts";
import { DISCORD_RETRY_BASE_MS, DISCORD_RETRY_MAX_MS, resolveShards } from "./shards.ts";
import { ConfigError, type Config } from "../config.ts";
import { RateLimiter } from "../rate-limit.ts";
import { discordTransport } from "./transport.ts";
import { handleInteraction } from "./interactions.ts";
import { handleMessage } from "./messages.ts";
import { NO_MENTIONS } from "./payload.ts";
import { syncCommands } from "./sync-commands.ts";

/** How long shutdown waits for replies already being answered before it closes the connection anyway. */
const DRAIN_MS = 3000;
const SHUTDOWN_DEADLINE_MS = 4500;

/**
 * The bot on Discord: a thin adapter that logs in, keeps the slash commands registered, and hands every
 * interaction to the same runner the console uses. On SIGINT/SIGTERM it stops taking interactions,
 * finishes the ones in flight, closes the connection and exits 0.
 */
export async function runBot(options: { config: Config; logger: Logger; token: string }): Promise<void> {
  const { config, logger } = options;
  let app: App | undefined;
  let client: Client | undefined;
  let shardIds: readonly number[] = [];
  const shardsReady = () => shardIds.map((id) => ({ id, ready: client?.ws.shards.get(id)?.status === Status.Ready }));
  const metrics = config.METRICS_PORT === undefined ? undefined : new Metrics({ indexPapers: () => app?.engine.size ?? 0, shards: shardsReady });
  // The operations port first: /healthz answers while Discord is asked for the shard count and the index loads.
  if (metrics) {
    await startOpsServer({
      port: config.METRICS_PORT!,
      host: config.METRICS_HOST,
      metrics,
      logger,
      readiness: () => {
        const reasons = [
          ...(shardIds.length ? [] : ["the shards are not known yet"]),
          ...(app ? [] : ["the search index is loading"]),
          ...shardsReady().flatMap((shard) => (shard.ready ? [] : [`gateway shard ${shard.id} is not connected`])),
        ];
        return { ready: reasons.length === 0, reasons };
      },
    });
  }
  const resolved = await resolveShards(config, options.token, logger);
  const shardCount = resolved.shardCount;
  shardIds = resolved.shardIds;
  metrics?.registry.setDefaultLabels({ shards: shardIds.join(",") });
  client = new Client({
    shards: [...shardIds],
    shardCount,
    // No privileged intents: Guilds gives the channels digests post to; Guild Messages and Direct Messages
    // deliver the messages that mention the bot and DMs (with their text, as Discord does for those).
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    // A DM channel the bot has not seen yet arrives as a partial: without this its messages are dropped.
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    rest: config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {},
  });
  app = await createApp({ config, logger, transport: discordTransport(client), observer: metrics, cluster: cluster(shardIds, shardCount) });
  const { runner } = app;
  const started = app;
  const limiter = new RateLimiter(config.RATE_LIMIT_PER_MINUTE, 60_000);
  const autocompleteLimiter = new RateLimiter(config.RATE_LIMIT_PER_MINUTE * 10, 60_000);
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (stopping) return;
    const work = handleInteraction(interaction, { runner, limiter, autocompleteLimiter, logger, observer: metrics })
      .catch((error: unknown) => logger.error({ err: error, interaction: interaction.id }, "could not answer an interaction"))
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  client.on(Events.MessageCreate, (message) => {
    if (stopping || !client.user) return;
    const work = handleMessage(message, { runner, limiter, logger, botId: client.user.id })
      .catch((error: unknown) => logger.error({ err: error, message: message.id }, "could not answer a message"))
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  client.once(Events.ClientReady, (ready) => {
    logger.info({ user: ready.user.tag, applicationId: ready.application.id, guilds: ready.guilds.cache.size }, "connected to Discord");
    // Digests start once the channel cache is filled, so permission checks and posts see the server.
    started.start();
    syncCommands({
      rest: ready.rest,
      applicationId: ready.application.id,
      guildId: config.DISCORD_GUILD_ID,
      definitions: runner.commands.map((command) => command.definition),
      logger,
    }).catch((error: unknown) => logger.error({ err: error }, "could not register slash commands"));
  });
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ code: event.code, shard }, "gateway disconnected"));
  client.on(Events.ShardReconnecting, (shard) => logger.warn({ shard }, "gateway reconnecting"));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, "gateway resumed"));
  client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: inFlight.size }, "shutting down");
    // Whatever hangs (a gateway mid-reconnect, a slow REST call), the process is gone within 5 s.
    setTimeout(() => {
      logger.warn("shutdown took too long: exiting anyway");
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await Promise.race([Promise.allSettled([...inFlight, started.stop()]), delay(DRAIN_MS)]);
    await client.destroy();
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  // A token Discord refuses is a configuration error: stop with one clear line. Discord out of reach (the
  // network down, DNS, an outage) is not: keep trying, with backoff, until it answers or we are stopped.
  for (let attempt = 1; !stopping; attempt++) {
    try {
      await client.login(options.token);
      return;
    } catch (error) {
      if (isRefusal(error)) throw new ConfigError(`DISCORD_TOKEN: Discord refused to log in (${(error as Error).message}).`);
      const waitMs = backoffMs(attempt, DISCORD_RETRY_BASE_MS, DISCORD_RETRY_MAX_MS, Math.random);
      logger.warn({ err: error, attempt, waitMs }, "cannot reach Discord: trying again");
      await client.destroy().catch(() => undefined);
      await delay(waitMs);
    }
  }
}

/** Discord's own "no" to a login: a bad token or intents the application may not use. */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (code === "TokenInvalid" || code === "DisallowedIntents" || code === "TokenMissing") return true;
  return error instanceof DiscordAPIError && (error.status === 401 || error.status === 403);
}
