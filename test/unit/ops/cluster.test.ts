import { describe, expect, it } from "vitest";
import { cluster, WHOLE } from "../../../src/cluster/ownership.ts";
import { parseConfig } from "../../../src/config.ts";
import { guildOnShard } from "../../helpers/snowflakes.ts";
import { shardOf } from "../../../src/discord-api.ts";


describe("sharding settings", () => {
  it("reads SHARD_COUNT (a number or auto) and SHARD_IDS (numbers and ranges)", () => {
    expect(parseConfig({}).SHARD_COUNT).toBeUndefined();
    expect(parseConfig({ SHARD_COUNT: "auto" }).SHARD_COUNT).toBe("auto");
    expect(parseConfig({ SHARD_COUNT: "8", SHARD_IDS: "0-2,5,7" })).toMatchObject({ SHARD_COUNT: 8, SHARD_IDS: [0, 1, 2, 5, 7] });
    expect(parseConfig({ SHARD_COUNT: "auto", SHARD_IDS: "3" }).SHARD_IDS).toEqual([3]);
  });

  it("refuses what cannot be, naming the variable", () => {
    expect(() => parseConfig({ SHARD_IDS: "0-1" })).toThrow("SHARD_IDS needs SHARD_COUNT too");
    expect(() => parseConfig({ SHARD_COUNT: "2", SHARD_IDS: "0-2" })).toThrow("SHARD_IDS must be below SHARD_COUNT (2)");
    expect(() => parseConfig({ SHARD_COUNT: "2", SHARD_IDS: "1-0" })).toThrow("SHARD_IDS has a backwards or too long range: 1-0");
    expect(() => parseConfig({ SHARD_COUNT: "two" })).toThrow("SHARD_COUNT");
    expect(() => parseConfig({ SHARD_COUNT: "0" })).toThrow("SHARD_COUNT must be at least 1");
    expect(() => parseConfig({ SHARD_COUNT: "2", SHARD_IDS: "a" })).toThrow("SHARD_IDS must be shard numbers and ranges");
    expect(() => parseConfig({ METRICS_PORT: "70000" })).toThrow("METRICS_PORT must be from 1 to 65535");
    // A number too large to count up to used to hang the parse (review finding).
    expect(() => parseConfig({ SHARD_COUNT: "2", SHARD_IDS: "100000000000000000000" })).toThrow("SHARD_IDS has a shard number above 100000");
  });
});

describe("which process schedules a server", () => {
  it("is the one running the server's shard, as Discord computes it", () => {
    expect(shardOf("41771983423143937", 1)).toBe(0);
    expect(shardOf(guildOnShard(3, 4), 4)).toBe(3);
    const [first, second] = [cluster([0, 1], 4), cluster([2, 3], 4)];
    for (let shard = 0; shard < 4; shard++) {
      const guild = guildOnShard(shard, 4, 7);
      expect([first.owns(guild), second.owns(guild)]).toEqual([shard < 2, shard >= 2]);
    }
  });

  it("gives DMs (no server) to shard 0's process, and everything to an unsharded one", () => {
    expect(cluster([0], 2).owns(undefined)).toBe(true);
    expect(cluster([1], 2).owns(undefined)).toBe(false);
    expect(WHOLE.owns(guildOnShard(5, 8))).toBe(true);
  });
});
