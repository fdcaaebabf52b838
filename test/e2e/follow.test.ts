import { cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../fake-discord/server.ts";
import { startBot, type BotProcess } from "../helpers/bot-process.ts";
import { customIds } from "../helpers/on-fake-discord.ts";
import { type LocalServer, fixture, startDailyPapers } from "../unit/ingest/helpers.ts";

/**
 * Following and discovering, end to end: the real bot process against the fake Discord, with scheduled
 * ingest from a local "Hugging Face" whose day of papers the test switches on.
 */

let fake: FakeDiscord | undefined;
let hf: LocalServer | undefined;
let bot: BotProcess | undefined;

afterEach(async () => {
  await bot?.stop("SIGKILL");
  await hf?.close();
  await fake?.close().catch(() => undefined);
  bot = hf = fake = undefined;
});

const ADMIN = { userId: "300000000000000001", permissions: PermissionFlagsBits.ManageGuild };
const READER = { userId: "300000000000000002" };
const NO_DMS = { userId: "300000000000000003" };
const subcommand = (name: string, options: Array<{ name: string; type: number; value: string }> = []) => [{ name, type: 1, options }];

describe("watches on (fake) Discord", () => {
  it("alerts after an ingest by DM and in a channel, exactly once across a crash, and pauses for a person who blocks DMs", async () => {
    const discord = (fake = await startFakeDiscord());
    const channelId = discord.channels[0]!.id;
    const day = await fixture("hf/2024-08-05.json");
    let serving = false;
    hf = await startDailyPapers(() => (serving ? day : undefined));
    const folder = await mkdtemp(join(tmpdir(), "paperbot-watch-"));
    const env = {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guildId,
      CORPUS_PATH: "test/fixtures/e2e",
      DATABASE_PATH: join(folder, "paperbot.db"),
      HF_API_URL: hf.url,
      INGEST_CRON: "* * * * * *",
      INGEST_SOURCES: "hf --date 2024-08-05",
      INGEST_STORE: join(folder, "ingested.jsonl"),
      // The day the fixture's papers were listed: papers dated more than a week before the bot first sees
      // them are backfills, which do not alert.
      PAPERBOT_FAKE_NOW: "2024-08-05T12:00:00Z",
    };
    bot = startBot(env);
    await discord.waitForReady(30_000);
    await bot.waitForLog("watches running", 30_000);

    const query = { name: "query", type: 3, value: "sparse attention" };
    const dm = await (await discord.slashCommand("watch", subcommand("add", [query]), READER)).callback();
    expect(dm.data).toMatchObject({ flags: 64, content: expect.stringContaining("will be sent to your DMs") });
    const inChannel = await (await discord.slashCommand("watch", subcommand("add", [query, { name: "where", type: 7, value: channelId }]), ADMIN)).callback();
    expect(inChannel.data.content).toContain(`will be sent to <#${channelId}>`);
    discord.refuseDirectMessages(NO_DMS.userId);
    await (await discord.slashCommand("watch", subcommand("add", [query]), NO_DMS)).callback();

    serving = true;
    const alerts = () => discord.messages(channelId).filter((message) => message.embeds.some((embed) => embed.footer?.text.includes("Watch alert")));
    await discord.waitFor(() => discord.directMessages(READER.userId).length >= 1 && alerts().length >= 1, 30_000);
    const [letter] = discord.directMessages(READER.userId);
    expect(letter!.embeds[0]!.description).toContain("Sparse Attention Routers for Long-Context Retrieval");
    expect(letter!.embeds[0]!.description).toContain("matched “sparse attention”");
    const sent = discord.requests.find((request) => request.method === "POST" && request.path === `/channels/${letter!.channel_id}/messages` && request.status === 200);
    expect(sent!.body.allowed_mentions).toEqual({ parse: [] });
    expect(alerts()[0]!.embeds[0]!.description).toContain("Sparse Attention Routers");

    await bot!.waitForLog("watch alert not sent", 10_000);
    const paused = await (await discord.slashCommand("watch", subcommand("list"), NO_DMS)).callback();
    expect(JSON.stringify(paused.data.embeds[0].fields)).toContain("paused: I cannot send you direct messages");
    expect(discord.directMessages(NO_DMS.userId)).toEqual([]);

    // A crash, and a new process over the same database: the same papers, ingested again, alert nobody.
    await bot.stop("SIGKILL");
    bot = startBot(env);
    await bot.waitForLog("watches running", 30_000);
    const before = (bot.logs().match(/ingest finished/g) ?? []).length;
    await discord.waitFor(() => (bot!.logs().match(/ingest finished/g) ?? []).length >= before + 2, 30_000);
    expect(discord.directMessages(READER.userId)).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
  }, 120_000);
});

describe("discovering papers on (fake) Discord", () => {
  it("trending, related, a trend chart and saved papers exported as a file", async () => {
    const discord = (fake = await startFakeDiscord());
    // The seed page has no years; dated papers give /trend something to count.
    const corpus = await mkdtemp(join(tmpdir(), "paperbot-corpus-"));
    await cp("test/fixtures/e2e", corpus, { recursive: true });
    const dated = Array.from({ length: 12 }, (_, i) => ({
      id: `dated-${i}`,
      title: `${i < 9 ? "Diffusion" : "Graph"} study number ${i}`,
      abstract: "A paper with a year.",
      authors: ["Test Author"],
      published: String(2022 + (i % 3)),
    }));
    await writeFile(join(corpus, "dated.jsonl"), dated.map((record) => JSON.stringify(record)).join("\n") + "\n");
    bot = startBot({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guildId, CORPUS_PATH: corpus, DATABASE_PATH: join(corpus, "paperbot.db") });
    await discord.waitForReady(30_000);
    await bot.waitForLog("slash commands registered", 30_000);

    const trending = await (await discord.slashCommand("trending", [], READER)).callback();
    expect(trending.data.embeds[0].title).toBe("Trending this week");
    expect(trending.data.allowed_mentions).toMatchObject({ parse: [] });

    const card = await (await discord.slashCommand("paper", [{ name: "paper", type: 3, value: "Grokking as the Transition from Lazy to Rich Training Dynamics" }], READER)).callback();
    const ids = customIds(card.data);
    const related = await (await discord.button(ids.find((id) => id.startsWith("related:"))!, READER)).callback();
    expect(related.data.embeds[0].title).toBe("Related to: Grokking as the Transition from Lazy to Rich Training Dynamics");
    expect(customIds(related.data).filter((id) => id.startsWith("paper:")).length).toBeGreaterThan(0);

    const trend = await discord.slashCommand("trend", [{ name: "topic", type: 3, value: "diffusion" }, { name: "vs", type: 3, value: "graph" }], READER);
    const chart = await trend.callback();
    expect(chart.data.embeds[0]).toMatchObject({ title: "Papers per year: diffusion vs graph", image: { url: "attachment://trend.png" } });
    // The seed page's three year-less diffusion papers are placed in the newest year, as the listing order places them.
    expect(chart.data.embeds[0].description).toContain("diffusion: 2× more papers in 2024 than in 2022 (6 vs 3)");
    const [png] = trend.files();
    expect(png).toMatchObject({ filename: "trend.png", contentType: "image/png" });
    expect(png!.data.subarray(1, 4).toString()).toBe("PNG");

    const save = await (await discord.button(ids.find((id) => id.startsWith("saved:add:"))!, READER)).callback();
    expect(save.data).toMatchObject({ flags: 64, content: expect.stringContaining("Saved “Grokking") });
    const exported = await discord.slashCommand("saved", subcommand("export"), READER);
    expect((await exported.callback()).data).toMatchObject({ flags: 64, content: expect.stringContaining("Your 1 saved paper as BibTeX") });
    const [bib] = exported.files();
    expect(bib!.filename).toBe("paperbot-saved.bib");
    expect(bib!.data.toString()).toMatch(/^@misc\{[a-z0-9]+,\n {2}title = \{Grokking as the Transition/);
    // Another person's saved papers are their own.
    expect((await (await discord.slashCommand("saved", subcommand("list"), ADMIN)).callback()).data.content).toContain("no saved papers");
  }, 120_000);
});
