import { defineCommandGroup, subcommand, UserInputError } from "../src/command-kit/define.ts";
import { channelOption, integerOption, stringOption } from "../src/command-kit/options.ts";
import { topicsInput } from "../src/command-kit/topics.ts";
import type { CommandContext, Invocation } from "../src/command-kit/types.ts";
import { LIMITS } from "../src/discord-api.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";
import { formatTopics } from "../src/search/query/topics.ts";
import { WatchLimitError, type WatchService } from "../src/watch/service.ts";
import type { Watch } from "../src/watch/store.ts";

function service(ctx: CommandContext): WatchService {
  if (!ctx.watches) throw new UserInputError("Watches are not available in this session.");
  return ctx.watches;
}

const where = (watch: Watch) => (watch.channelId ? `<#${watch.channelId}>` : "your DMs");

function describe(ctx: CommandContext, watch: Watch): string {
  const waiting = service(ctx).waiting(watch.id);
  return [
    `${escapeMarkdown(truncate(watch.query, 200))} → ${where(watch)}`,
    watch.status === "paused" ? `⏸ paused: ${escapeMarkdown(truncate(watch.pauseReason ?? "", 300))}` : "active",
    ...(waiting ? [`${waiting} paper${waiting === 1 ? "" : "s"} waiting to be sent`] : []),
  ].join(" · ");
}

/**
 * A watch the invoker may change: their own, or one posting into a channel of a server they manage.
 * Without an id, the invoker's only watch.
 */
function owned(ctx: CommandContext, invocation: Invocation, id: number | undefined): Watch {
  if (id === undefined) {
    const mine = service(ctx).ofUser(invocation.userId);
    if (mine.length === 1) return mine[0]!;
    throw new UserInputError(mine.length ? `Which watch? You have ${mine.length}: give its id (see /watch list).` : "You have no watches. Start one with /watch add.");
  }
  const watch = service(ctx).get(id);
  const manages = watch?.channelId && watch.guildId === invocation.guildId && invocation.canManageServer;
  if (!watch || (watch.userId !== invocation.userId && !manages)) throw new UserInputError(`You have no watch #${id}. See /watch list.`);
  return watch;
}

export default defineCommandGroup({
  name: "watch",
  description: "Be told about new papers matching a query: by DM, or in a channel",
  examples: ["/watch add query:diffusion models, -survey", "/watch add query:graph neural networks where:#papers", "/watch list", "/watch remove id:3"],
  subcommands: {
    add: subcommand({
      description: "Be told of new papers on a topic (comma-separated phrases; -word excludes)",
      options: {
        query: stringOption({ description: "What to watch, e.g. diffusion models, -survey", required: true, maxLength: 200, noun: "a query" }),
        where: channelOption({ description: "Post alerts in this channel (needs Manage Server) instead of your DMs", noun: "a channel", required: false }),
      },
      async execute(ctx, { query, where: channelId }, invocation): Promise<Reply> {
        const topics = topicsInput(query);
        if (topics.include.length === 0) throw new UserInputError("A watch needs words to look for, not only words to exclude: e.g. “diffusion, -survey”.");
        if (channelId) {
          if (!invocation.guildId) throw new UserInputError("Alerts can go to a channel of a server: use this command there, or leave out where for DMs.");
          if (!invocation.canManageServer) throw new UserInputError("Alerts in a channel need the Manage Server permission; leave out where to get them by DM.");
          if (invocation.canPostIn?.(channelId) === false) throw new UserInputError(`You cannot see or post in <#${channelId}>, so I will not post your alerts there.`);
        }
        try {
          const watch = await service(ctx).add({ userId: invocation.userId, guildId: invocation.guildId, channelId, query: formatTopics(topics) });
          const minutes = service(ctx).options.dmIntervalMs / 60_000;
          const every = minutes === 60 ? "an hour" : minutes % 60 === 0 ? `every ${minutes / 60} hours` : `every ${minutes} minutes`;
          const cadence = channelId ? "after each ingest of new papers" : `after each ingest, at most one message ${every}`;
          return ephemeralMessage(`Watch #${watch.id} is on: new papers on ${escapeMarkdown(truncate(watch.query, 200))} will be sent to ${where(watch)} ${cadence}, each saying which words it matched.`);
        } catch (error) {
          if (error instanceof WatchLimitError) throw new UserInputError(error.message);
          throw error;
        }
      },
    }),
    list: subcommand({
      description: "Your watches (and, for managers, this server's channel alerts)",
      options: {},
      execute(ctx, _input, invocation): Reply {
        const mine = service(ctx).ofUser(invocation.userId);
        const server = invocation.guildId && invocation.canManageServer ? service(ctx).ofServerChannels(invocation.guildId).filter((watch) => watch.userId !== invocation.userId) : [];
        if (mine.length + server.length === 0) return ephemeralMessage("You have no watches. Start one with /watch add query:… (new papers come to your DMs).");
        const all = [...mine, ...server];
        const fields = all.slice(0, LIMITS.fields).map((watch) => ({ name: `#${watch.id}${watch.userId === invocation.userId ? "" : " (set by another member)"}`, value: describe(ctx, watch) }));
        const more = all.length - fields.length;
        const footer = `${more ? `${more} more not shown (the oldest first) · ` : ""}/watch remove id:N stops one · /watch resume id:N restarts a paused one`;
        return { ephemeral: true, embeds: [{ title: "Watches", fields, footer }] };
      },
    }),
    remove: subcommand({
      description: "Stop a watch",
      options: { id: integerOption({ description: "Which watch (see /watch list; default: your only one)", min: 1, max: 1_000_000_000, noun: "the watch id" }) },
      execute(ctx, { id }, invocation) {
        const watch = owned(ctx, invocation, id);
        service(ctx).remove(watch.id);
        return ephemeralMessage(`Watch #${watch.id} (${escapeMarkdown(truncate(watch.query, 100))}) is stopped.`);
      },
    }),
    resume: subcommand({
      description: "Restart a paused watch (after allowing DMs, or fixing the channel)",
      options: { id: integerOption({ description: "Which watch (see /watch list; default: your only one)", min: 1, max: 1_000_000_000, noun: "the watch id" }) },
      execute(ctx, { id }, invocation) {
        const watch = owned(ctx, invocation, id);
        if (watch.status === "active") return ephemeralMessage(`Watch #${watch.id} is already active.`);
        service(ctx).resume(watch.id);
        return ephemeralMessage(`Watch #${watch.id} is active again; what it found meanwhile is on its way.`);
      },
    }),
  },
});
