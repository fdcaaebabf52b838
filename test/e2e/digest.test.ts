import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PermissionFlagsBits } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DigestStore } from "../../src/digest/store.ts";
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from "../fake-discord/server.ts";
import { savedSubscription } from "../helpers/digests.ts";
import { startBot, type BotProcess } from "../helpers/bot-process.ts";

/**
 * Digests end to end: the real bot process against the fake Discord, with time driven by
 * PAPERBOT_FAKE_NOW (each start pretends to be a few seconds before a slot). Each test has its own fake
 * Discord and database; a subscription "made on an earlier run" is written to the database beforehand,
 * as a previous process would have left it.
 */

let fake: FakeDiscord;
let bot: BotProcess | undefined;
let databasePath: string;
let channelId: string;
const ADMIN = { userId: "200000000000000001", permissions: PermissionFlagsBits.ManageGuild };

const posts = () => fake.requests.filter((request) => request.method === "POST" && request.path === `/channels/${channelId}/messages` && request.status === 200);
const attempts = () => fake.requests.filter((request) => request.method === "POST" && request.path === `/channels/${channelId}/messages`);
const footer = (request: RecordedRequest) => (request.body.embeds as Array<{ footer?: { text: string } }>).at(-1)?.footer?.text;
const waitForPosts = (count: number) => fake.waitFor(() => posts().length >= count, 20_000);

/** A subscription as an earlier run of the bot would have saved it, due next after `subscribedAt`. */
async function subscribed(subscribedAt: string): Promise<void> {
  const store = DigestStore.open(databasePath);
  const at = Date.parse(subscribedAt);
  await savedSubscription(store, { guildId: fake.guildId, channelId, subscribedAt: at, createdBy: ADMIN.userId });
  await store.close();
}

/** (Re)starts the bot pretending it is `fakeNow`; resolves once its digest scheduler has looked for due slots. */
async function startAt(fakeNow: string): Promise<BotProcess> {
  await bot?.stop("SIGTERM");
  const readyBefore = fake.identifyCount + fake.resumeCount;
  bot = startBot({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: fake.guildId,
    CORPUS_PATH: "test/fixtures/e2e",
    DATABASE_PATH: databasePath,
    PAPERBOT_FAKE_NOW: fakeNow,
    LOG_LEVEL: "debug",
  });
  await fake.waitFor(() => fake.identifyCount + fake.resumeCount > readyBefore, 30_000);
  await bot.waitForLog("digest scheduler running", 30_000);
  return bot;
}

beforeEach(async () => {
  fake = await startFakeDiscord();
  channelId = fake.channels[0]!.id;
  databasePath = join(await mkdtemp(join(tmpdir(), "paperbot-digest-")), "paperbot.db");
});

afterEach(async () => {
  await bot?.stop("SIGKILL");
  bot = undefined;
  await fake.close();
});

describe("daily digests on (fake) Discord", () => {
  it("subscribing needs Manage Server and a channel the bot can post in; a good subscription is saved", async () => {
    await startAt("2026-03-28T07:00:00Z");
    const denied = await (await fake.slashCommand("digest", [{ name: "list", type: 1, options: [] }], { userId: "200000000000000002" })).callback();
    expect(denied.data.content).toContain("no digest yet");
    const options = [
      { name: "channel", type: 7, value: channelId },
      { name: "time", type: 3, value: "09:00" },
      { name: "timezone", type: 3, value: "Europe/Berlin" },
      { name: "count", type: 4, value: 3 },
    ];
    const notAdmin = await (await fake.slashCommand("digest", [{ name: "subscribe", type: 1, options }], { userId: "200000000000000003", permissions: 0n })).callback();
    expect(notAdmin.data).toMatchObject({ flags: 64, content: expect.stringContaining("Manage Server") });
    const zone = await (await fake.slashCommand("digest", [{ name: "subscribe", type: 1, options: [...options.slice(0, 2), { name: "timezone", type: 3, value: "Mars/Base" }] }], ADMIN)).callback();
    expect(zone.data.content).toContain("Unknown time zone");
    const answer = await (await fake.slashCommand("digest", [{ name: "subscribe", type: 1, options }], ADMIN)).callback();
    expect(answer.data).toMatchObject({ flags: 64, content: expect.stringContaining("Digest #1 will post") });
    expect(answer.data.content).toContain("next: Sat, Mar 28, 09:00 (Europe/Berlin)");
    const registered = fake.registeredCommands(fake.guildId).find((command) => command.name === "digest")!;
    expect(registered.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
  }, 60_000);

  it("a member who manages the server still cannot send digests into a channel closed to them", async () => {
    const closed = fake.channels[1]!.id;
    fake.setChannelOverwrites(closed, [
      { id: fake.guildId, type: 0, allow: "0", deny: String(PermissionFlagsBits.ViewChannel) },
      { id: fake.botUserId, type: 1, allow: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages), deny: "0" },
    ]);
    await startAt("2026-03-28T07:00:00Z");
    const options = [
      { name: "channel", type: 7, value: closed },
      { name: "time", type: 3, value: "09:00" },
      { name: "timezone", type: 3, value: "Europe/Berlin" },
    ];
    const answer = await (await fake.slashCommand("digest", [{ name: "subscribe", type: 1, options }], ADMIN)).callback();
    expect(answer.data).toMatchObject({ flags: 64, content: expect.stringContaining("You cannot see or post in") });
  }, 60_000);

  it("the digest arrives at POST /channels/{id}/messages at the scheduled time, after a restart", async () => {
    await subscribed("2026-03-28T07:00:00Z");
    await startAt("2026-03-28T07:59:57Z"); // 08:59:57 in Berlin
    await waitForPosts(1);
    const [post] = posts();
    expect(post!.body).toMatchObject({ enforce_nonce: true, allowed_mentions: { parse: [] }, nonce: expect.any(String) });
    expect(post!.body.embeds).toHaveLength(3);
    expect(footer(post!)).toContain("Digest #1 · 2026-03-28");
  }, 60_000);

  it("a restart mid-day posts nothing twice, and the next slot (after the DST switch) still fires", async () => {
    await subscribed("2026-03-28T07:00:00Z");
    await startAt("2026-03-28T07:59:57Z");
    await waitForPosts(1);
    await startAt("2026-03-28T12:00:00Z");
    expect(posts()).toHaveLength(1);
    await startAt("2026-03-29T06:59:57Z"); // 08:59:57 CEST
    await waitForPosts(2);
    expect(footer(posts()[1]!)).toContain("Digest #1 · 2026-03-29");
    const titles = posts().map((request) => (request.body.embeds as Array<{ title: string }>).map((embed) => embed.title));
    expect(new Set(titles.flat()).size).toBe(6); // no paper repeated
  }, 90_000);

  it("killed between claim and send, the restarted bot posts that slot exactly once", async () => {
    await subscribed("2026-03-30T06:00:00Z");
    const unavailable = fake.setRouteOverride("POST", new RegExp(`^/channels/${channelId}/messages$`), () => ({ status: 503, body: { message: "Service Unavailable", code: 0 } }));
    await startAt("2026-03-30T06:59:58Z");
    await fake.waitFor(() => attempts().length > 0, 20_000); // claimed, and the send is failing
    await bot!.stop("SIGKILL");
    unavailable();
    await startAt("2026-03-30T07:01:00Z");
    await waitForPosts(1);
    expect(posts().filter((request) => footer(request)?.includes("2026-03-30"))).toHaveLength(1);
  }, 60_000);

  it("a 403 from Discord pauses the subscription, and /digest list says why", async () => {
    await subscribed("2026-03-31T06:00:00Z");
    fake.setChannelOverwrites(channelId, [{ id: fake.botUserId, type: 1, allow: "0", deny: String(PermissionFlagsBits.SendMessages) }]);
    await startAt("2026-03-31T06:59:58Z");
    await fake.waitFor(() => attempts().length > 0, 20_000);
    await bot!.waitForLog("digest paused");
    const list = await (await fake.slashCommand("digest", [{ name: "list", type: 1, options: [] }], ADMIN)).callback();
    expect(JSON.stringify(list.data.embeds)).toContain("paused: Missing Permissions");
    expect(posts()).toHaveLength(0);
    expect((await bot!.stop("SIGTERM")).code).toBe(0);
  }, 60_000);
});
