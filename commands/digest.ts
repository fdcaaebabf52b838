import { Permission } from "../src/discord-api.ts";
import { defineCommandGroup, subcommand, UserInputError } from "../src/command-kit/define.ts";
import { booleanOption, channelOption, choiceOption, integerOption, stringOption } from "../src/command-kit/options.ts";
import { topicsInput } from "../src/command-kit/topics.ts";
import type { CommandContext, Invocation } from "../src/command-kit/types.ts";
import { formatDays, normalizeTimezone, parseDays, parseTime, timezoneChoices } from "../src/digest/calendar.ts";
import type { DigestTrouble } from "../src/digest/service.ts";
import { DIGEST_SORTS, type Subscription } from "../src/digest/store.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";

function service(ctx: CommandContext) {
  if (!ctx.digest) throw new UserInputError("Digests are not available in this session.");
  return ctx.digest;
}

function inServer(invocation: Invocation, change: boolean): string {
  if (!invocation.guildId) throw new UserInputError("Digests belong to a server: use this command in one.");
  if (change && !invocation.canManageServer) throw new UserInputError("Changing digests needs the Manage Server permission.");
  return invocation.guildId;
}

function when(at: number | undefined, timezone: string): string {
  if (at === undefined) return "never";
  const format = new Intl.DateTimeFormat("en", { weekday: "short", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: timezone });
  return `${format.format(at)} (${timezone})`;
}

function describe(subscription: Subscription, trouble?: DigestTrouble): string {
  const { schedule } = subscription;
  const parts = [
    `${schedule.time} ${schedule.timezone}, ${formatDays(schedule.days)} · ${subscription.count} paper(s)`,
    subscription.topics ? `topics: ${escapeMarkdown(truncate(subscription.topics, 100))}` : "all topics",
    subscription.cycle ? "cycles through the archive" : "new papers only",
    subscription.sort === "upvotes" ? "most upvoted of the week first" : "newest first",
    subscription.status === "paused" ? `⏸ paused: ${escapeMarkdown(subscription.pauseReason ?? "")}` : `next: ${when(subscription.nextRunAt, schedule.timezone)}`,
    ...(trouble ? [`⚠ could not run (${escapeMarkdown(truncate(trouble.reason, 120))}); trying again ${when(trouble.retryAt, schedule.timezone)}`] : []),
    `last post: ${when(subscription.lastPostAt, schedule.timezone)}${subscription.lastResult ? ` (${escapeMarkdown(subscription.lastResult)})` : ""}`,
  ];
  return parts.join("\n");
}

/** The subscription a command names, or the server's only one when it names none. */
async function pick(ctx: CommandContext, guildId: string, id: number | undefined): Promise<Subscription> {
  const subscriptions = await service(ctx).list(guildId);
  if (id === undefined && subscriptions.length === 1) return subscriptions[0]!;
  const found = subscriptions.find((subscription) => subscription.id === id);
  if (found) return found;
  if (!subscriptions.length) throw new UserInputError("This server has no digest yet. Start one with /digest subscribe.");
  throw new UserInputError(id === undefined ? "Which digest? Give its id (see /digest list)." : `There is no digest #${id} in this server. See /digest list.`);
}

const idOption = () => integerOption({ description: "Which digest (see /digest list)", min: 1, max: 1_000_000_000, noun: "the digest id" });

export default defineCommandGroup({
  name: "digest",
  description: "Scheduled paper digests posted in a channel",
  examples: ["/digest subscribe channel:#papers time:09:00 timezone:Europe/Berlin", "/digest list", "/digest preview"],
  defaultMemberPermissions: Permission.ManageGuild,
  guildOnly: true,
  subcommands: {
    subscribe: subcommand({
      description: "Post a digest of new papers in a channel on a schedule",
      options: {
        channel: channelOption({ description: "Where to post", noun: "a channel" }),
        time: stringOption({ description: "Local time, HH:MM (24 h)", required: true, maxLength: 5, noun: "a time" }),
        timezone: stringOption({ description: "Time zone, e.g. Europe/Berlin", required: true, maxLength: 64, autocomplete: true, noun: "a time zone" }),
        count: integerOption({ description: "Papers per post (default 5)", min: 1, max: 10, noun: "the count" }),
        topics: stringOption({ description: "Only papers on these, comma-separated; -word excludes", maxLength: 200, noun: "topics" }),
        days: stringOption({ description: "Days to post: weekdays, weekends, or e.g. mon,wed,fri (default every day)", maxLength: 60, noun: "days" }),
        cycle: booleanOption({ description: "When nothing is new, repost older papers instead of saying so (default off)" }),
        sort: choiceOption({ description: "Which new papers first (default: newest)", values: DIGEST_SORTS, names: { newest: "Newest first", upvotes: "Most upvoted of the week first" }, noun: "the order" }),
      },
      async execute(ctx, input, invocation) {
        const guildId = inServer(invocation, true);
        // Managing the server is not enough: a member cannot send digests into a channel closed to them.
        if (invocation.canPostIn?.(input.channel) === false) throw new UserInputError(`You cannot see or post in <#${input.channel}> yourself, so you cannot send a digest there.`);
        const time = parseTime(input.time);
        if (!time) throw new UserInputError(`“${escapeMarkdown(truncate(input.time, 10))}” is not a time: use HH:MM in 24-hour form, e.g. 09:00.`);
        const timezone = normalizeTimezone(input.timezone);
        if (!timezone) throw new UserInputError(`Unknown time zone “${escapeMarkdown(truncate(input.timezone, 64))}”. Pick one of the suggestions, e.g. Europe/Berlin or UTC.`);
        const days = parseDays(input.days);
        if (!days) throw new UserInputError("Days must be weekdays, weekends, every day, or day names such as mon,wed,fri.");
        if ((await service(ctx).roomIn(guildId)) === 0) throw new UserInputError(`This server has ${service(ctx).maxPerServer} digests, the most it may have. Stop one with /digest unsubscribe first.`);
        topicsInput(input.topics);
        const result = await service(ctx).subscribe({
          guildId,
          channelId: input.channel,
          schedule: { time, timezone, days },
          count: input.count ?? 5,
          topics: input.topics ?? "",
          cycle: input.cycle ?? false,
          sort: input.sort ?? "newest",
          createdBy: invocation.userId,
        });
        if (typeof result === "string") return ephemeralMessage(`I cannot post in <#${input.channel}>: ${result}. Nothing was saved.`);
        return ephemeralMessage(`Digest #${result.id} will post in <#${result.channelId}>:\n${describe(result)}`);
      },
    }),
    list: subcommand({
      description: "This server's digests: schedule, next post, last post, status",
      options: {},
      async execute(ctx, _input, invocation): Promise<Reply> {
        const subscriptions = await service(ctx).list(inServer(invocation, false));
        if (!subscriptions.length) return ephemeralMessage("This server has no digest yet. Start one with /digest subscribe.");
        return {
          ephemeral: true,
          embeds: [
            {
              title: "Paper digests",
              fields: subscriptions.slice(0, 25).map((subscription) => ({ name: `#${subscription.id} in <#${subscription.channelId}>`, value: describe(subscription, service(ctx).troubled().get(subscription.id)) })),
            },
          ],
        };
      },
    }),
    unsubscribe: subcommand({
      description: "Stop a digest",
      options: { id: idOption() },
      async execute(ctx, input, invocation) {
        const guildId = inServer(invocation, true);
        const subscription = await pick(ctx, guildId, input.id);
        await service(ctx).unsubscribe(guildId, subscription.id);
        return ephemeralMessage(`Digest #${subscription.id} in <#${subscription.channelId}> is stopped.`);
      },
    }),
    preview: subcommand({
      description: "Exactly what the next post would contain (only you see it)",
      options: { id: idOption() },
      async execute(ctx, input, invocation) {
        // Preparing a post costs the bot work: as much a server change as posting one.
        const subscription = await pick(ctx, inServer(invocation, true), input.id);
        const reply = await service(ctx).preview(subscription);
        return { ...reply, ephemeral: true, content: `Preview of digest #${subscription.id}, due ${when(subscription.nextRunAt, subscription.schedule.timezone)}:\n${reply.content ?? ""}` };
      },
    }),
    now: subcommand({
      description: "Post a digest at once",
      options: { id: idOption() },
      async execute(ctx, input, invocation) {
        const subscription = await pick(ctx, inServer(invocation, true), input.id);
        const outcome = await service(ctx).postNow(subscription);
        return ephemeralMessage(`Digest #${subscription.id} in <#${subscription.channelId}>: ${outcome}.`);
      },
    }),
  },
  autocomplete(_ctx, option, value) {
    return option === "timezone" ? timezoneChoices(value, 25).map((zone) => ({ name: zone, value: zone })) : [];
  },
});
