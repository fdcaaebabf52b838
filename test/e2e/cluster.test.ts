import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DigestStore } from "../../src/digest/store.ts";
import { PostgresSql } from "../../src/store/postgres.ts";
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from "../fake-discord/server.ts";
import { startBot, type BotProcess } from "../helpers/bot-process.ts";
import { freshPostgresUrl } from "../helpers/databases.ts";
import { freePort } from "../helpers/ports.ts";
import { until } from "../helpers/until.ts";
import { savedSubscription } from "../helpers/digests.ts";
import { type LocalServer, fixture, startDailyPapers } from "../unit/ingest/helpers.ts";

/**
 * Cluster mode end to end: two real bot processes, one gateway shard each, one real PostgreSQL, against a
 * fake Discord with two servers (one per shard) and a local "Hugging Face" the test feeds.
 */

let fake: FakeDiscord | undefined;
let hf: LocalServer | undefined;
const bots: BotProcess[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop("SIGKILL");
  await hf?.close();
  await fake?.close().catch(() => undefined);
  fake = hf = undefined;
});



async function cluster(options: { days: string[] } = { days: [] }) {
  const discord = (fake = await startFakeDiscord({ shards: 2, maxConcurrency: 2, extraGuilds: 1 }));
  const [first, second] = discord.guilds;
  expect([discord.shardOf(first!.id, 2), discord.shardOf(second!.id, 2)]).toEqual([0, 1]);
  const feeds = await Promise.all(options.days.map((day) => fixture(`hf/${day}.json`)));
  const serving = { day: -1 };
  hf = await startDailyPapers(() => feeds[serving.day]);
  const databaseUrl = await freshPostgresUrl();
  const folder = await mkdtemp(join(tmpdir(), "paperbot-cluster-"));
  const start = async (shard: number, extra: Record<string, string> = {}) => {
    const bot = startBot({
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      CORPUS_PATH: "test/fixtures/e2e",
      DATABASE_URL: databaseUrl,
      SHARD_COUNT: "2",
      SHARD_IDS: String(shard),
      HF_API_URL: hf!.url,
      INGEST_CRON: "* * * * * *",
      INGEST_SOURCES: `hf --date ${options.days[0] ?? "2024-08-05"}`,
      INGEST_STORE: join(folder, `ingested-${shard}.jsonl`),
      ...extra,
    });
    bots.push(bot);
    await bot.waitForLog("connected to Discord", 30_000);
    return bot;
  };
  const posts = (channelId: string) => discord.requests.filter((request: RecordedRequest) => request.method === "POST" && request.path === `/channels/${channelId}/messages` && request.status === 200);
  return { discord, first: first!, second: second!, serving, databaseUrl, start, posts };
}

describe("two processes, two shards, one PostgreSQL", () => {
  it("post each server's digest once, from the process of its shard, even when one is killed mid-slot", async () => {
    const c = await cluster();
    const subscribedAt = Date.parse("2026-03-30T06:00:00Z");
    const store = new DigestStore(await PostgresSql.connect(c.databaseUrl));
    for (const guild of [c.first, c.second]) {
      await savedSubscription(store, { guildId: guild.id, channelId: guild.channels[0]!.id, subscribedAt });
    }
    await store.close();
    const [channel0, channel1] = [c.first.channels[0]!.id, c.second.channels[0]!.id];
    // Shard 1's channel fails its first sends: the slot is claimed, then its process is killed.
    const unavailable = c.discord.setRouteOverride("POST", new RegExp(`^/channels/${channel1}/messages$`), () => ({ status: 503, body: { message: "Service Unavailable", code: 0 } }));
    const fakeNow = { PAPERBOT_FAKE_NOW: "2026-03-30T06:59:58Z" };
    const first = await c.start(0, fakeNow);
    const second = await c.start(1, fakeNow);
    await c.discord.waitFor(() => c.posts(channel0).length === 1, 30_000);
    await c.discord.waitFor(() => c.discord.requests.some((request) => request.path === `/channels/${channel1}/messages`), 30_000);
    await second.stop("SIGKILL");
    unavailable();
    const restarted = await c.start(1, { PAPERBOT_FAKE_NOW: "2026-03-30T07:01:00Z" });
    await c.discord.waitFor(() => c.posts(channel1).length >= 1, 30_000);
    await restarted.waitForLog("digest scheduler running", 30_000);
    expect(c.posts(channel0)).toHaveLength(1);
    expect(c.posts(channel1)).toHaveLength(1);
    expect(JSON.stringify(c.posts(channel1)[0]!.body)).toContain("Digest #2 · 2026-03-30");
    // Each from the process running its server's shard.
    const postedBy = (bot: BotProcess) => bot.logs().split("\n").filter((line) => line.includes('"digest posted"')).map((line) => JSON.parse(line).channel as string);
    expect(postedBy(first)).toEqual([channel0]);
    expect(postedBy(restarted)).toEqual([channel1]);
  }, 120_000);

  it("ingest in one leader; killed, another takes over, and its new paper reaches /search on both", async () => {
    const c = await cluster({ days: ["2024-08-05", "2024-08-06"] });
    const metricsPort = await freePort();
    const leader = await c.start(0);
    await leader.waitForLog("this process is the ingest leader", 15_000);
    const follower = await c.start(1, { METRICS_PORT: String(metricsPort), METRICS_HOST: "127.0.0.1" });
    let users = 0;
    const search = async (guild: { id: string; channels: { id: string }[] }, query: string) => {
      // A new member each time, so that polling never meets the per-user rate limit.
      const userId = String(400000000000000000n + BigInt(++users));
      const reply = await (await c.discord.slashCommand("search", [{ name: "query", type: 3, value: query }], { userId, guildId: guild.id, channelId: guild.channels[0]!.id })).callback();
      return String(reply.data.embeds?.[0]?.description ?? reply.data.content);
    };
    c.serving.day = 0;
    await follower.waitForLog("shared papers added to the index", 20_000);
    expect(await search(c.second, "sparse attention routers")).toContain("Sparse Attention Routers for Long-Context Retrieval");
    expect(await search(c.first, "sparse attention routers")).toContain("Sparse Attention Routers for Long-Context Retrieval");
    const about = await (await c.discord.slashCommand("about", [], { guildId: c.second.id, channelId: c.second.channels[0]!.id })).callback();
    expect(JSON.stringify(about.data.embeds[0].fields)).toMatch(/Shards.*1 of 2.*Ingest leader/);

    // The leader dies; the follower takes the lead and ingests the next day itself.
    await leader.stop("SIGKILL");
    await follower.waitForLog("this process is the ingest leader", 20_000);
    c.serving.day = 1;
    // Searched for until found (the new leader ingests each second), a /search every 250 ms.
    let last = "";
    const found = async () => (last = await search(c.second, "tokenizer free speech")).includes("Tokenizer-Free Speech Models");
    await until(() => `/search to find "Tokenizer-Free Speech Models"; last reply: ${last.slice(0, 300)}`, found, 30_000, 250);
    // The killed process, started again, has it too: from the database, before it serves.
    await c.start(0);
    expect(await search(c.first, "tokenizer free speech")).toContain("Tokenizer-Free Speech Models");

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/paperbot_interactions_total\{command="search",outcome="ok",shards="1"\} [1-9]/);
    expect(metrics).toContain('paperbot_gateway_shard_ready{shard="1",shards="1"} 1');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(200);
  }, 150_000);
});
