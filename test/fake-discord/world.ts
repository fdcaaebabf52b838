// The fake Discord's in-memory state: one application, one bot, one guild with a few text
// channels, DM channels, registered commands and every message sent. REST and gateway both read
// and mutate this object, so what the bot sends over REST is what it can read back later.
import type { APIApplicationCommand, APIAttachment, APIMessage, APIOverwrite, APIRole, APIUser, RoleFlags, UserFlags } from "discord.js";
import { PermissionFlagsBits } from "discord.js";
import { randomToken, snowflake } from "./ids.ts";

export interface FakeChannel {
  id: string;
  name: string;
  topic: string | null;
  position: number;
  permission_overwrites: APIOverwrite[];
}

export interface WorldOptions {
  /** Names of the guild's text channels (default: general, papers, bot-log). */
  channelNames?: string[];
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
  /** Owner is a third user who never interacts, so the default user's permissions come only from roles. */
  ownerId: string;
  guildId: string;
  guildName: string;
  botRoleId: string;
  roles: APIRole[];
  channels: FakeChannel[];
  /** Every user the fake knows, guild member or not (GET /users/{id} answers for these). */
  users: Map<string, APIUser>;
  /** Guild members: userId -> role ids (without @everyone). */
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

export function createWorld(opts: WorldOptions = {}): World {
  const applicationId = snowflake();
  const botUser = makeUser(applicationId, "paperbot", true); // bot user id == application id, as on Discord
  const defaultUser = makeUser(snowflake(), "tester");
  const owner = makeUser(snowflake(), "guild-owner");
  const guildId = snowflake();
  const botRoleId = snowflake();
  const roles = [
    makeRole(guildId, "@everyone", 0, opts.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS),
    makeRole(botRoleId, "paperbot", 1, opts.botPermissions ?? DEFAULT_BOT_PERMISSIONS, botUser.id),
  ];
  const channels = (opts.channelNames ?? ["general", "papers", "bot-log"]).map((name, position) => ({
    id: snowflake(),
    name,
    topic: null,
    position,
    permission_overwrites: [],
  }));
  return {
    token: randomToken("fake-bot-token.", 18),
    applicationId,
    botUser,
    defaultUser,
    ownerId: owner.id,
    guildId,
    guildName: "Paper Reading Group",
    botRoleId,
    roles,
    channels,
    users: new Map([botUser, defaultUser, owner].map((u) => [u.id, u])),
    memberRoles: new Map([
      [botUser.id, [botRoleId]],
      [defaultUser.id, []],
      [owner.id, []],
    ]),
    joinedAt: new Date().toISOString(),
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

export function channelById(world: World, id: string): FakeChannel | undefined {
  return world.channels.find((c) => c.id === id);
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
