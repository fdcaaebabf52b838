// Id and token generators for the fake Discord.
// Snowflakes are real-looking (timestamp << 22) so discord.js' createdAt/createdTimestamp work.
import { randomBytes } from "node:crypto";

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** Opaque random token (interaction tokens, session ids). */
export function randomToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}
