import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../fake-discord/server.ts";
import { startBot, type BotProcess } from "../helpers/bot-process.ts";
import { type LocalServer, fixture, startDailyPapers } from "../unit/ingest/helpers.ts";

/** The running bot ingests on its INGEST_CRON schedule from a local "Hugging Face" and serves the new papers at once. */

let fake: FakeDiscord;
let hf: LocalServer;
let bot: BotProcess;

beforeAll(async () => {
  fake = await startFakeDiscord();
  const day = await fixture("hf/2024-08-05.json");
  hf = await startDailyPapers(() => day);
  bot = startBot({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    CORPUS_PATH: "test/fixtures/e2e",
    DATABASE_PATH: ":memory:",
    HF_API_URL: hf.url,
    INGEST_CRON: "* * * * * *",
    INGEST_SOURCES: "hf --date 2024-08-05",
    INGEST_STORE: join(await mkdtemp(join(tmpdir(), "paperbot-ingest-")), "ingested.jsonl"),
  });
  await fake.waitForReady(30_000);
}, 60_000);

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await hf?.close();
  await fake?.close().catch(() => undefined);
});

describe("scheduled ingest in the running bot", () => {
  it("finds a paper ingested a moment ago, and /about tells the last ingest", async () => {
    // test/fixtures/e2e does not hold this paper: only the ingest can bring it.
    await bot.waitForLog("ingest finished", 20_000);
    const after = await (await fake.slashCommand("search", [{ name: "query", type: 3, value: "sparse attention routers" }])).callback();
    expect(after.data.embeds[0].description).toContain("Sparse Attention Routers for Long-Context Retrieval");
    const about = await (await fake.slashCommand("about", [])).callback();
    expect(JSON.stringify(about.data.embeds[0].fields)).toMatch(/Last ingest.*hf 2024-08-05.*added/);
    expect(hf.requests[0]!.headers["user-agent"]).toMatch(/^paperbot\//);
  });

  it("exits 0 on its own on SIGTERM even when Discord has gone away mid-session", async () => {
    await fake.close();
    await bot.waitForLog("gateway reconnecting", 10_000);
    // The helper SIGKILLs after 10 s (code null): 0 is the bot's own exit, by its 4.5 s deadline at worst.
    expect((await bot.stop("SIGTERM")).code).toBe(0);
  });
});
