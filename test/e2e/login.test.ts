import { afterEach, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../fake-discord/server.ts";
import { freePort } from "../helpers/ports.ts";
import { startBot, type BotProcess } from "../helpers/bot-process.ts";

/** Finding 13: Discord out of reach is waited for; a token Discord refuses stops the bot with one clear line. */

let fake: FakeDiscord | undefined;
let bot: BotProcess | undefined;
afterEach(async () => {
  await bot?.stop("SIGKILL");
  await fake?.close();
  bot = fake = undefined;
});


describe("logging in", () => {
  it("keeps trying while Discord cannot be reached, and connects once it can", async () => {
    const port = await freePort();
    bot = startBot({ DISCORD_TOKEN: "any-token-that-is-long-enough", DISCORD_API_URL: `http://127.0.0.1:${port}/api`, CORPUS_PATH: "test/fixtures/e2e", DATABASE_PATH: ":memory:" });
    await bot.waitForLog("cannot reach Discord: trying again", 30_000);
    expect(bot.child.exitCode).toBeNull();
    expect(bot.logs()).not.toContain("DISCORD_TOKEN");
    fake = await startFakeDiscord({ port });
    await fake.waitForReady(30_000);
    await bot.waitForLog("connected to Discord", 10_000);
  }, 60_000);

  it("stops with one line naming DISCORD_TOKEN when Discord refuses the token", async () => {
    fake = await startFakeDiscord({ strictToken: true });
    bot = startBot({ DISCORD_TOKEN: "not-the-right-token-at-all", DISCORD_API_URL: fake.apiUrl, CORPUS_PATH: "test/fixtures/e2e", DATABASE_PATH: ":memory:" });
    const { code } = await bot.exited();
    expect(code).toBe(1);
    expect(bot.logs()).toContain("paperbot: DISCORD_TOKEN: Discord refused to log in");
    expect(bot.logs()).not.toContain("not-the-right-token-at-all");
  }, 60_000);
});
