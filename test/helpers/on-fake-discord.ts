import type { FakeDiscord } from "../fake-discord/server.ts";
import { startBot, type BotProcess } from "./bot-process.ts";

/** What points the real bot at a fake Discord: its token and API, commands registered in its server, the e2e corpus. */
export function fakeDiscordEnv(fake: FakeDiscord): Record<string, string> {
  return { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId, CORPUS_PATH: "test/fixtures/e2e" };
}

/** The bot on a fake Discord (`extra` settings on top), once connected and its slash commands registered. */
export async function startBotOnFakeDiscord(fake: FakeDiscord, extra: Record<string, string> = {}): Promise<BotProcess> {
  const bot = startBot({ ...fakeDiscordEnv(fake), ...extra });
  await fake.waitForReady(30_000);
  await bot.waitForLog("slash commands registered", 20_000);
  return bot;
}

/** A new member for each call (ids from `first` on), so the per-user rate limit bites only where a test wants it. */
export function newUsers(first: bigint): () => { userId: string } {
  let user = 0n;
  return () => ({ userId: String(first + ++user) });
}

/** The custom ids of the buttons of a message as Discord sends it, in order. */
export function customIds(data: { components?: Array<{ components: Array<{ custom_id?: string }> }> }): string[] {
  return (data.components ?? []).flatMap((row) => row.components.flatMap((component) => component.custom_id ?? []));
}
