// The fake Discord's in-memory state: one application, one bot, one or more guilds with a few text
// channels each, DM channels, registered commands and every message sent. REST and gateway both read
// and mutate this object, so what the bot sends over REST is what it can read back later.
//
// Guild ids are chosen for sharding tests: guild i (world.guilds[i]) has a snowflake whose timestamp
// part is a multiple of GUILD_ID_ALIGNMENT plus i, so Discord's shard formula
// `(guild_id >> 22) % shard_count` puts it on shard `i % shard_count` for any count from 1 to 16.
import type { APIApplicationCommand, APIAttachment, APIMessage, APIOverwrite, APIRole, APIUser, RoleFlags, UserFlags } from "discord.js";
import { PermissionFlagsBits } from "discord.js";
import { randomToken, snowflake } from "./ids.ts";

export interface FakeChannel {
  id: string;
  /** The guild the channel belongs to. */
  guildId: string;
  name: string;
  topic: string | null;
  position: number;
  permission_overwrites: APIOverwrite[];
}

/** One guild: its roles (@everyone has the guild's id), text channels and members. */
export interface FakeGuild {
  id: string;
  name: string;
  /** The bot's managed role in this guild. */
  botRoleId: string;
  roles: APIRole[];
  channels: FakeChannel[];
  /** Members: userId -> role ids (without @everyone). */
  memberRoles: Map<string, string[]>;
  joinedAt: string;
}

export interface WorldOptions {
  /** Names of each guild's text channels (default: general, papers, bot-log). */
  channelNames?: string[];
  /**
   * Guilds besides the first one (default 0). Each has the same channel names, roles and permissions, the bot
   * and the default user as members; guild i lands on shard `i % count` (see the note at the top).
   */
  extraGuilds?: number;
  /** Permissions of the @everyone role (default: ordinary member permissions). */
  everyonePermissions?: bigint;
  /** Extra permissions of the bot's managed role (default: send/embed/attach/history). */
  botPermissions?: bigint;
}

export interface World {
  token: string;
  applicationId: string;
  botUser: APIUser;
  /** The human who triggers interactions unless a test passes another userId. */
  defaultUser: APIUser;
  /** Owner (of every guild) is a third user who never interacts, so the default user's permissions come only from roles. */
  ownerId: string;
  /** Every guild, the first one first. The fields below (guildId ... joinedAt) are the first guild's, same objects. */
  guilds: FakeGuild[];
  guildId: string;
  guildName: string;
  botRoleId: string;
  roles: APIRole[];
  channels: FakeChannel[];
  /** Every user the fake knows, guild member or not (GET /users/{id} answers for these). */
  users: Map<string, APIUser>;
  /** Members of the first guild: userId -> role ids (without @everyone). */
  memberRoles: Map<string, string[]>;
  joinedAt: string;
  /** "global" or a guild id -> registered commands. */
  commands: Map<string, APIApplicationCommand[]>;
  /** Every message sent (the bot's channel sends, interaction replies, follow-ups; users' messages), by id. */
  messages: Map<string, APIMessage>;
  /**
   * Files that an embed shows (`attachment://name`), by message id. Discord leaves them out of the message's
   * `attachments` but still has them: an edit that drops the embed brings them back.
   */
  embeddedFiles: Map<string, APIAttachment[]>;
  /** DM channels with users, whoever opened them: channel id -> user id. */
  dmChannels: Map<string, string>;
  /** Users who do not accept DMs from the bot (privacy settings, a block): sends there fail with 50007. */
  refusingDirectMessages: Set<string>;
}

const P = PermissionFlagsBits;

export const DEFAULT_EVERYONE_PERMISSIONS =
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.ReadMessageHistory |
  P.EmbedLinks |
  P.AttachFiles |
  P.AddReactions |
  P.UseExternalEmojis |
  P.UseApplicationCommands |
  P.CreatePublicThreads;

export const DEFAULT_BOT_PERMISSIONS =
  P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory | P.AddReactions;

export function makeUser(id: string, username: string, bot = false): APIUser {
  return {
    id,
    username,
    discriminator: "0",
    global_name: bot ? null : username,
    avatar: null,
    bot,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
  };
}

export function makeRole(id: string, name: string, position: number, permissions: bigint, botId?: string): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: botId !== undefined,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(botId !== undefined ? { tags: { bot_id: botId } } : {}),
  };
}

/** Guild snowflakes' timestamps are multiples of this (lcm of 1..16) plus the guild's index. */
export const GUILD_ID_ALIGNMENT = 720_720n;
const DISCORD_EPOCH = 1_420_070_400_000n;

/** Ids for guild 0..n-1 such that `(id >> 22) % count === i % count` for every count in 1..16. */
function guildIds(n: number): string[] {
  const now = BigInt(Date.now()) - DISCORD_EPOCH;
  const base = (now / GUILD_ID_ALIGNMENT - 1n) * GUILD_ID_ALIGNMENT; // 12-24 minutes ago
  return Array.from({ length: n }, (_, i) => snowflake(Number(DISCORD_EPOCH + base + BigInt(i))));
}

/** Discord's shard formula: the shard (of `count`) that receives a guild's events. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export function createWorld(opts: WorldOptions = {}): World {
  const applicationId = snowflake();
  const botUser = makeUser(applicationId, "paperbot", true); // bot user id == application id, as on Discord
  const defaultUser = makeUser(snowflake(), "tester");
  const owner = makeUser(snowflake(), "guild-owner");
  const joinedAt = new Date().toISOString();
  const extra = Math.max(0, Math.floor(opts.extraGuilds ?? 0));
  const guilds: FakeGuild[] = guildIds(1 + extra).map((id, i) => {
    const botRoleId = snowflake();
    return {
      id,
      name: i === 0 ? "Paper Reading Group" : `Paper Reading Group ${i + 1}`,
      botRoleId,
      roles: [
        makeRole(id, "@everyone", 0, opts.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS),
        makeRole(botRoleId, "paperbot", 1, opts.botPermissions ?? DEFAULT_BOT_PERMISSIONS, botUser.id),
      ],
      channels: (opts.channelNames ?? ["general", "papers", "bot-log"]).map((name, position) => ({
        id: snowflake(),
        guildId: id,
        name,
        topic: null,
        position,
        permission_overwrites: [],
      })),
      memberRoles: new Map([
        [botUser.id, [botRoleId]],
        [defaultUser.id, []],
        [owner.id, []],
      ]),
      joinedAt,
    };
  });
  const first = guilds[0]!;
  return {
    token: randomToken("fake-bot-token.", 18),
    applicationId,
    botUser,
    defaultUser,
    ownerId: owner.id,
    guilds,
    guildId: first.id,
    guildName: first.name,
    botRoleId: first.botRoleId,
    roles: first.roles,
    channels: first.channels,
    users: new Map([botUser, defaultUser, owner].map((u) => [u.id, u])),
    memberRoles: first.memberRoles,
    joinedAt,
    commands: new Map(),
    dmChannels: new Map(),
    refusingDirectMessages: new Set(),
    messages: new Map(),
    embeddedFiles: new Map(),
  };
}

/** Returns the user, inventing one (and making it a guild member) for ids a test made up. */
export function userById(world: World, id: string): APIUser {
  let user = world.users.get(id);
  if (!user) {
    user = makeUser(id, `user-${id.slice(-4)}`);
    world.users.set(id, user);
    world.memberRoles.set(id, []);
  }
  return user;
}

/** A text channel of any guild. */
export function channelById(world: World, id: string): FakeChannel | undefined {
  for (const guild of world.guilds) {
    const channel = guild.channels.find((c) => c.id === id);
    if (channel) return channel;
  }
  return undefined;
}

export function guildById(world: World, id: string): FakeGuild | undefined {
  return world.guilds.find((g) => g.id === id);
}

/** The guild a channel belongs to, the given guild id's, or else the first guild. */
export function guildOf(world: World, where: { channelId?: string; guildId?: string } = {}): FakeGuild {
  const channel = where.channelId ? channelById(world, where.channelId) : undefined;
  return (
    (channel ? guildById(world, channel.guildId) : undefined) ??
    (where.guildId ? guildById(world, where.guildId) : undefined) ??
    world.guilds[0]!
  );
}

/** The DM channel with a user, if either side opened one. */
export function dmChannelOf(world: World, userId: string): string | undefined {
  return [...world.dmChannels].find(([, user]) => user === userId)?.[0];
}

/** Discord keeps one DM channel per user: opening it again (from either side) returns the same channel. */
export function openDmChannel(world: World, userId: string): string {
  const existing = dmChannelOf(world, userId);
  if (existing) return existing;
  const channelId = snowflake();
  world.dmChannels.set(channelId, userId);
  return channelId;
}
