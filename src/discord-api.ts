/**
 * Discord's API numbers, named: the one place they are spelled. The command kit builds registration JSON
 * with them and the renderer fits replies to the limits, without importing discord.js (only src/discord/
 * does).
 */

/** Application command option types. */
export const OptionType = { Subcommand: 1, String: 3, Integer: 4, Boolean: 5, Channel: 7 } as const;

/** Channel types a command may ask for. */
export const ChannelType = { GuildText: 0, GuildAnnouncement: 5 } as const;

/** Where a command can be used. */
export const InteractionContext = { Guild: 0, BotDm: 1, PrivateChannel: 2 } as const;

/** How the app can be installed: to a server, or to a user's own account. */
export const IntegrationType = { GuildInstall: 0, UserInstall: 1 } as const;

/** Permission bits, as the decimal strings Discord's API takes. */
export const Permission = { ManageGuild: String(1n << 5n) } as const;

/** A message nonce is at most 25 characters. */
export const NONCE_MAX_LENGTH = 25;

/** Message, embed, component and autocomplete limits. */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  buttonRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** A link button's URL (Discord rejects the whole message otherwise); applied to every URL sent. */
  url: 512,
  /** Files on one message, and the size of each (Discord's upload limit without boosts: 10 MiB). */
  files: 10,
  fileBytes: 10 * 1024 * 1024,
} as const;

/** Which gateway shard a server's events arrive on: Discord's `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
