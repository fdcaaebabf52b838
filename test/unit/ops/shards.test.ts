import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config.ts";
import { resolveShards } from "../../../src/discord/shards.ts";
import { startFakeDiscord, type FakeDiscord } from "../../fake-discord/server.ts";

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const logger = pino({ level: "silent" });

describe("which shards a process runs", () => {
  it("asks Discord's /gateway/bot for SHARD_COUNT=auto, and runs SHARD_IDS of them", async () => {
    fake = await startFakeDiscord({ shards: 3, maxConcurrency: 2 });
    const config = (env: Record<string, string>) => parseConfig({ DISCORD_API_URL: fake!.apiUrl, ...env });
    expect(await resolveShards(config({ SHARD_COUNT: "auto" }), fake.token, logger)).toEqual({ shardIds: [0, 1, 2], shardCount: 3, maxConcurrency: 2 });
    expect(await resolveShards(config({ SHARD_COUNT: "auto", SHARD_IDS: "1-2" }), fake.token, logger)).toMatchObject({ shardIds: [1, 2], shardCount: 3 });
    await expect(resolveShards(config({ SHARD_COUNT: "auto", SHARD_IDS: "3" }), fake.token, logger)).rejects.toThrow("SHARD_IDS: shard 3 does not exist: Discord recommends 3 shard(s)");
    // Without SHARD_COUNT: shard 0 of 1, and Discord is not asked.
    const before = fake.requests.length;
    expect(await resolveShards(config({}), fake.token, logger)).toEqual({ shardIds: [0], shardCount: 1, maxConcurrency: 1 });
    expect(fake.requests.length).toBe(before);
  });
});
