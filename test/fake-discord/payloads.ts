// Builders that turn the fake's World into Discord API payloads (v10 shapes, typed with the
// discord-api-types re-exported by discord.js so tsc catches missing required fields).
import type {
  APIApplication,
  APIApplicationCommand,
  APIAttachment,
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
import type { FakeChannel, World } from "./world.ts";
import { userById } from "./world.ts";

export function channelPayload(world: World, ch: FakeChannel): APITextChannel {
  return {
    id: ch.id,
    type: ChannelType.GuildText,
    guild_id: world.guildId,
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

export function memberPayload(world: World, userId: string): APIGuildMember {
  return {
    user: userById(world, userId),
    roles: world.memberRoles.get(userId) ?? [],
    nick: null,
    avatar: null,
    banner: null,
    joined_at: world.joinedAt,
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
): APIInteractionGuildMember {
  const member = memberPayload(world, userId);
  return { ...member, roles: roles ?? member.roles, permissions: permissions.toString() };
}

export function guildPayload(world: World): APIGuild {
  return {
    id: world.guildId,
    name: world.guildName,
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
    roles: world.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: world.channels[0]?.id ?? null,
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

export function guildCreatePayload(world: World): GatewayGuildCreateDispatchData {
  const memberIds = [...world.memberRoles.keys()];
  return {
    ...guildPayload(world),
    joined_at: world.joinedAt,
    large: false,
    unavailable: false,
    member_count: memberIds.length,
    voice_states: [],
    members: memberIds.map((id) => memberPayload(world, id)),
    channels: world.channels.map((c) => channelPayload(world, c)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function readyPayload(world: World, sessionId: string, resumeUrl: string): GatewayReadyDispatchData {
  return {
    v: 10,
    user: { ...world.botUser, verified: true, mfa_enabled: false },
    guilds: [{ id: world.guildId, unavailable: true }],
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard: [0, 1],
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
    approximate_guild_count: 1,
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
}

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

function attachmentsFor(files: UploadedFile[]): APIAttachment[] {
  return files.map((f) => {
    const id = snowflake();
    const url = `https://cdn.discordapp.invalid/attachments/${id}/${encodeURIComponent(f.filename)}`;
    return { id, filename: f.filename, size: f.data.length, url, proxy_url: url, content_type: f.contentType };
  });
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
    attachments: attachmentsFor(extra.files ?? []),
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
      authorizing_integration_owners: { 0: world.guildId },
    };
  }
  return message;
}

/** PATCH semantics: fields present in the body replace the message's; absent fields stay. */
export function applyMessageEdit(message: APIMessage, body: MessageBody, files: UploadedFile[] = []): APIMessage {
  const edited: APIMessage = { ...message, edited_timestamp: new Date().toISOString() };
  if (body.content !== undefined) edited.content = body.content ?? "";
  if (body.embeds !== undefined) edited.embeds = (body.embeds ?? []) as APIMessage["embeds"];
  if (body.components !== undefined) edited.components = (body.components ?? []) as NonNullable<APIMessage["components"]>;
  if (body.flags !== undefined) edited.flags = body.flags;
  if (files.length) edited.attachments = [...edited.attachments, ...attachmentsFor(files)];
  return edited;
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
