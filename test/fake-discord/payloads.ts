// Builders that turn the fake's World into Discord API payloads (v10 shapes, typed with the
// discord-api-types re-exported by discord.js so tsc catches missing required fields).
import type {
  APIApplication,
  APIApplicationCommand,
  APIAttachment,
  APIDMChannel,
  APIEmbed,
  APIGuild,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APITextChannel,
  ChannelFlags,
  GatewayGuildCreateDispatchData,
  GatewayReadyDispatchData,
  GuildMemberFlags,
} from "discord.js";
import {
  ApplicationFlags,
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageType,
  OAuth2Scopes,
} from "discord.js";
import { snowflake } from "./ids.ts";
import type { FakeChannel, FakeGuild, World } from "./world.ts";
import { guildOf, userById } from "./world.ts";

/** A DM channel as Discord returns it: type 1 and the one recipient (the bot is not listed). */
export function dmChannelPayload(world: World, channelId: string): APIDMChannel {
  const userId = world.dmChannels.get(channelId) ?? "";
  const inChannel = [...world.messages.values()].filter((m) => m.channel_id === channelId);
  return {
    id: channelId,
    type: ChannelType.DM,
    name: null,
    flags: 0 as ChannelFlags,
    last_message_id: inChannel.at(-1)?.id ?? null,
    recipients: [userById(world, userId)],
  };
}

export function channelPayload(world: World, ch: FakeChannel): APITextChannel {
  return {
    id: ch.id,
    type: ChannelType.GuildText,
    guild_id: ch.guildId,
    name: ch.name,
    position: ch.position,
    permission_overwrites: ch.permission_overwrites,
    nsfw: false,
    topic: ch.topic,
    parent_id: null,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: 1440,
    flags: 0 as ChannelFlags,
  };
}

/** The user as a member of `guild` (default: the first guild). */
export function memberPayload(world: World, userId: string, guild: FakeGuild = world.guilds[0]!): APIGuildMember {
  return {
    user: userById(world, userId),
    roles: guild.memberRoles.get(userId) ?? [],
    nick: null,
    avatar: null,
    banner: null,
    joined_at: guild.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** Interaction members carry the member's computed permissions in that channel. */
export function interactionMemberPayload(
  world: World,
  userId: string,
  permissions: bigint,
  roles?: string[],
  guild: FakeGuild = world.guilds[0]!,
): APIInteractionGuildMember {
  const member = memberPayload(world, userId, guild);
  return { ...member, roles: roles ?? member.roles, permissions: permissions.toString() };
}

export function guildPayload(world: World, guild: FakeGuild = world.guilds[0]!): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: world.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guild.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.channels[0]?.id ?? null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: Locale.EnglishUS,
    nsfw_level: GuildNSFWLevel.Default,
    hub_type: null,
    max_members: 500000,
    max_video_channel_users: 25,
    incidents_data: null,
  };
}

export function guildCreatePayload(world: World, guild: FakeGuild = world.guilds[0]!): GatewayGuildCreateDispatchData {
  const memberIds = [...guild.memberRoles.keys()];
  return {
    ...guildPayload(world, guild),
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: memberIds.length,
    voice_states: [],
    members: memberIds.map((id) => memberPayload(world, id, guild)),
    channels: guild.channels.map((c) => channelPayload(world, c)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** READY for one shard: it lists (as unavailable) only the guilds that shard receives. */
export function readyPayload(
  world: World,
  sessionId: string,
  resumeUrl: string,
  shard: [number, number] = [0, 1],
  guilds: FakeGuild[] = world.guilds,
): GatewayReadyDispatchData {
  return {
    v: 10,
    user: { ...world.botUser, verified: true, mfa_enabled: false },
    guilds: guilds.map((g) => ({ id: g.id, unavailable: true as const })),
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard,
    application: {
      id: world.applicationId,
      flags: ApplicationFlags.GatewayPresenceLimited,
      flags_new: String(ApplicationFlags.GatewayPresenceLimited),
    },
  };
}

export function applicationPayload(world: World): APIApplication {
  return {
    id: world.applicationId,
    name: world.botUser.username,
    icon: null,
    description: "",
    summary: "",
    bot_public: true,
    bot_require_code_grant: false,
    bot: world.botUser,
    verify_key: "0".repeat(64),
    team: null,
    flags: ApplicationFlags.GatewayPresenceLimited,
    flags_new: String(ApplicationFlags.GatewayPresenceLimited),
    approximate_guild_count: world.guilds.length,
    install_params: { scopes: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands], permissions: "0" },
  };
}

/** Fields of a message create/edit body that end up on the message object. */
export interface MessageBody {
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  flags?: number;
  tts?: boolean;
  nonce?: string | number;
  message_reference?: { message_id?: string; channel_id?: string };
  poll?: unknown;
  attachments?: AttachmentRequest[];
}

/** An `attachments` entry of a body: `id` is n of a new `files[n]`, or the id of an existing attachment to keep. */
export interface AttachmentRequest {
  id: string | number;
  filename?: string;
  description?: string;
  title?: string;
}

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Discord only shows these in an embed ("Using Attachments within Embeds"); other files stay plain attachments. */
const EMBEDDABLE_IMAGE = /\.(?:jpe?g|png|webp|gif)$/i;

/**
 * Attachments for the uploaded files. `files[n]` takes filename/description/title from the `attachments`
 * entry with id n; on an edit that lists `attachments`, files not listed there are dropped, as on Discord.
 */
function newAttachments(files: UploadedFile[], requests: AttachmentRequest[] | undefined, isEdit: boolean): APIAttachment[] {
  return files.flatMap((f, i) => {
    const n = /^files\[(\d+)\]$/.exec(f.field)?.[1] ?? String(i);
    const request = requests?.find((r) => String(r.id) === n);
    if (isEdit && requests && !request) return [];
    const id = snowflake();
    const filename = request?.filename ?? f.filename;
    const url = `https://cdn.discordapp.invalid/attachments/${id}/${encodeURIComponent(filename)}`;
    const attachment: APIAttachment = { id, filename, size: f.data.length, url, proxy_url: url, content_type: f.contentType };
    if (request?.description !== undefined) attachment.description = request.description;
    if (request?.title !== undefined) attachment.title = request.title;
    return [attachment];
  });
}

/** Replaces `attachment://name` in an embed's image, thumbnail and icons; `use` looks the name up. */
function resolveEmbed(embed: APIEmbed, use: (ref: string | undefined) => APIAttachment | undefined): APIEmbed {
  const resolved: APIEmbed = { ...embed };
  const media = <T extends { url: string; proxy_url?: string }>(m: T): T => {
    const file = use(m.url);
    return file ? { ...m, url: file.url, proxy_url: file.proxy_url } : m;
  };
  const icon = <T extends { icon_url?: string; proxy_icon_url?: string }>(x: T): T => {
    const file = use(x.icon_url);
    return file ? { ...x, icon_url: file.url, proxy_icon_url: file.proxy_url } : x;
  };
  if (resolved.image) resolved.image = media(resolved.image);
  if (resolved.thumbnail) resolved.thumbnail = media(resolved.thumbnail);
  if (resolved.author) resolved.author = icon(resolved.author);
  if (resolved.footer) resolved.footer = icon(resolved.footer);
  return resolved;
}

/**
 * Places a message's files the way Discord does: an embed that references `attachment://name` gets that
 * file's URL, and files shown by an embed are left out of `attachments` (kept in world.embeddedFiles).
 * References are resolved only when the body brought embeds; an edit without embeds keeps the old split.
 */
function placeFiles(world: World, message: APIMessage, files: APIAttachment[], embedsInBody: boolean): APIMessage {
  let embeds = message.embeds;
  let shown: Set<string>;
  if (embedsInBody) {
    const byRef = new Map(files.filter((f) => EMBEDDABLE_IMAGE.test(f.filename)).map((f) => [`attachment://${f.filename}`, f]));
    shown = new Set();
    const use = (ref: string | undefined) => {
      const file = ref === undefined ? undefined : byRef.get(ref);
      if (file) shown.add(file.id);
      return file;
    };
    // Bodies are not validated field by field: leave anything that is not an embed object alone.
    embeds = embeds.map((e) => (e && typeof e === "object" ? resolveEmbed(e, use) : e));
  } else {
    shown = new Set((world.embeddedFiles.get(message.id) ?? []).map((f) => f.id));
  }
  const embedded = files.filter((f) => shown.has(f.id));
  if (embedded.length) world.embeddedFiles.set(message.id, embedded);
  else world.embeddedFiles.delete(message.id);
  return { ...message, embeds, attachments: files.filter((f) => !shown.has(f.id)) };
}

/** Every file on a stored message, including those only an embed shows. */
function allFiles(world: World, message: APIMessage): APIAttachment[] {
  return [...message.attachments, ...(world.embeddedFiles.get(message.id) ?? [])];
}

export function messagePayload(
  world: World,
  channelId: string,
  body: MessageBody,
  extra: { files?: UploadedFile[]; webhookId?: string; interactionUserId?: string; interactionId?: string } = {},
): APIMessage {
  const message: APIMessage = {
    id: snowflake(),
    channel_id: channelId,
    author: world.botUser,
    content: body.content ?? "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts ?? false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: (body.embeds ?? []) as APIMessage["embeds"],
    components: (body.components ?? []) as NonNullable<APIMessage["components"]>,
    pinned: false,
    type: body.message_reference ? MessageType.Reply : MessageType.Default,
    flags: body.flags ?? 0,
  };
  if (body.nonce !== undefined) message.nonce = body.nonce;
  if (extra.webhookId) {
    message.webhook_id = extra.webhookId;
    message.application_id = world.applicationId;
  }
  if (extra.interactionId && extra.interactionUserId) {
    message.type = MessageType.ChatInputCommand;
    message.interaction_metadata = {
      id: extra.interactionId,
      type: 2,
      user: userById(world, extra.interactionUserId),
      authorizing_integration_owners: { 0: guildOf(world, { channelId }).id },
    };
  }
  const requests = Array.isArray(body.attachments) ? body.attachments : undefined;
  return placeFiles(world, message, newAttachments(extra.files ?? [], requests, false), true);
}

/**
 * PATCH semantics: fields present in the body replace the message's; absent fields stay. Files: with an
 * `attachments` list only the listed existing files are kept (Discord's "Editing Message Attachments"),
 * without one all stay; new uploads are added.
 */
export function applyMessageEdit(world: World, message: APIMessage, body: MessageBody, files: UploadedFile[] = []): APIMessage {
  const edited: APIMessage = { ...message, edited_timestamp: new Date().toISOString() };
  if (body.content !== undefined) edited.content = body.content ?? "";
  if (body.embeds !== undefined) edited.embeds = (body.embeds ?? []) as APIMessage["embeds"];
  if (body.components !== undefined) edited.components = (body.components ?? []) as NonNullable<APIMessage["components"]>;
  if (body.flags !== undefined) edited.flags = body.flags;
  const requests = Array.isArray(body.attachments) ? body.attachments : undefined;
  const existing = allFiles(world, message);
  const kept = requests ? existing.filter((f) => requests.some((r) => String(r.id) === f.id)) : existing;
  return placeFiles(world, edited, [...kept, ...newAttachments(files, requests, true)], body.embeds !== undefined);
}

/** Stored command, with the server-assigned fields Discord adds on registration. */
export function commandPayload(
  world: World,
  body: Record<string, unknown>,
  scope: string,
  existingId?: string,
): APIApplicationCommand {
  const command = {
    type: 1,
    description: "",
    default_member_permissions: null,
    nsfw: false,
    integration_types: [0],
    contexts: null,
    ...body,
    id: existingId ?? snowflake(),
    application_id: world.applicationId,
    version: snowflake(),
  } as APIApplicationCommand;
  if (scope !== "global") command.guild_id = scope;
  return command;
}
