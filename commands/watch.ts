import { defineCommandGroup, subcommand, UserInputError } from "../src/command-kit/define.ts";
import { channelOption, integerOption, stringOption } from "../src/command-kit/options.ts";
import { topicsInput } from "../src/command-kit/topics.ts";
import type { CommandContext, Invocation } from "../src/command-kit/types.ts";
import { LIMITS } from "../src/discord-api.ts";
import { truncateMarkdown } from "../src/render/limits.ts";
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

const TITLE = "Watches";
/** The longest footer /watch list writes (its count of watches left out has at most a few digits). */
const FOOTER_MAX = "9999 more not shown (the oldest first) · /watch remove id:N stops one · /watch resume restarts paused ones".length;

/**
 * A watch as a field value within `budget` characters: its query, where it posts, whether it is paused
 * (and why) and what waits. The query and the reason share what the rest leaves, so that a list of 25
 * watches fits Discord's 6000 characters without a field being dropped.
 */
function describe(watch: Watch, waiting: number, budget: number): string {
  const destination = ` → ${where(watch)}`;
  const waits = waiting ? ` · ${waiting} paper${waiting === 1 ? "" : "s"} waiting to be sent` : "";
  const state = watch.status === "paused" ? " · ⏸ paused: " : " · active";
  const room = Math.max(20, budget - destination.length - waits.length - state.length);
  const queryText = escapeMarkdown(watch.query);
  const reasonText = watch.status === "paused" ? escapeMarkdown(watch.pauseReason ?? "") : "";
  // The query takes what the reason leaves, and at least 40% of the room; the reason the rest.
  const query = truncateMarkdown(queryText, Math.max(Math.floor(room * 0.4), room - reasonText.length));
  const reason = truncateMarkdown(reasonText, Math.max(10, room - query.length));
  return truncateMarkdown(`${query}${destination}${state}${reason}${waits}`, Math.min(budget, LIMITS.fieldValue));
}

/**
 * A watch the invoker may change: their own, or one posting into a channel of a server they manage.
 * Without an id, the invoker's only watch.
 */
async function owned(ctx: CommandContext, invocation: Invocation, id: number | undefined): Promise<Watch> {
  if (id === undefined) {
    const mine = await service(ctx).ofUser(invocation.userId);
    if (mine.length === 1) return mine[0]!;
    throw new UserInputError(mine.length ? `Which watch? You have ${mine.length}: give its id (see /watch list).` : "You have no watches. Start one with /watch add.");
  }
  const watch = await service(ctx).get(id);
  const manages = watch?.channelId && watch.guildId === invocation.guildId && invocation.canManageServer;
  if (!watch || (watch.userId !== invocation.userId && !manages)) throw new UserInputError(`You have no watch #${id}. See /watch list.`);
  return watch;
}

/** The list as an embed whose fields all fit: each has a share of Discord's 6000 characters, and those that still do not fit are counted. */
async function listReply(ctx: CommandContext, invocation: Invocation): Promise<Reply> {
  const mine = await service(ctx).ofUser(invocation.userId);
  const server = invocation.guildId && invocation.canManageServer ? (await service(ctx).ofServerChannels(invocation.guildId)).filter((watch) => watch.userId !== invocation.userId) : [];
  if (mine.length + server.length === 0) return ephemeralMessage("You have no watches. Start one with /watch add query:… (new papers come to your DMs).");
  const all = [...mine, ...server];
  const listed = all.slice(0, LIMITS.fields);
  const names = listed.map((watch) => `#${watch.id}${watch.userId === invocation.userId ? "" : " (set by another member)"}`);
  const share = Math.floor((LIMITS.embedTotal - TITLE.length - FOOTER_MAX) / listed.length);
  const fields: Array<{ name: string; value: string }> = [];
  for (const [i, watch] of listed.entries()) fields.push({ name: names[i]!, value: describe(watch, await service(ctx).waiting(watch.id), Math.min(LIMITS.fieldValue, share - names[i]!.length)) });
  // A guard: the shares above keep every field, but a field dropped would be counted, never lost unsaid.
  const size = () => fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0) + TITLE.length + FOOTER_MAX;
  while (fields.length > 1 && size() > LIMITS.embedTotal) fields.pop();
  const more = all.length - fields.length;
  const paused = all.some((watch) => watch.status === "paused" && watch.userId === invocation.userId);
  const footer = `${more ? `${more} more not shown (the oldest first) · ` : ""}/watch remove id:N stops one · ${paused ? "/watch resume restarts paused ones" : "/watch resume id:N restarts a paused one"}`;
  return { ephemeral: true, embeds: [{ title: TITLE, fields, footer }] };
}

export default defineCommandGroup({
  name: "watch",
  description: "Be told about new papers matching a query: by DM, or in a channel",
  examples: ["/watch add query:diffusion models, -survey", "/watch add query:graph neural networks where:#papers", "/watch list", "/watch remove id:3", "/watch resume"],
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
      execute: (ctx, _input, invocation) => listReply(ctx, invocation),
    }),
    remove: subcommand({
      description: "Stop a watch",
      options: { id: integerOption({ description: "Which watch (see /watch list; default: your only one)", min: 1, max: 1_000_000_000, noun: "the watch id" }) },
      async execute(ctx, { id }, invocation) {
        const watch = await owned(ctx, invocation, id);
        await service(ctx).remove(watch.id);
        return ephemeralMessage(`Watch #${watch.id} (${escapeMarkdown(truncate(watch.query, 100))}) is stopped.`);
      },
    }),
    resume: subcommand({
      description: "Restart paused watches (after allowing DMs, or fixing the channel)",
      options: { id: integerOption({ description: "Which watch (see /watch list; default: every paused watch of yours)", min: 1, max: 1_000_000_000, noun: "the watch id" }) },
      async execute(ctx, { id }, invocation) {
        if (id === undefined) {
          const resumed = await service(ctx).resumePaused(invocation.userId);
          if (resumed.length === 0) return ephemeralMessage((await service(ctx).ofUser(invocation.userId)).length ? "None of your watches is paused." : "You have no watches. Start one with /watch add.");
          const ids = resumed.map((watch) => `#${watch.id}`).join(", ");
          return ephemeralMessage(`${resumed.length === 1 ? `Watch ${ids} is` : `Watches ${ids} are`} active again; what ${resumed.length === 1 ? "it" : "they"} found meanwhile is on its way.`);
        }
        const watch = await owned(ctx, invocation, id);
        if (watch.status === "active") return ephemeralMessage(`Watch #${watch.id} is already active.`);
        await service(ctx).resume(watch.id);
        return ephemeralMessage(`Watch #${watch.id} is active again; what it found meanwhile is on its way.`);
      },
    }),
  },
});
