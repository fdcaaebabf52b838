// INTERACTION_CREATE payloads in the shape Discord really sends for guild interactions
// (member + app_permissions + entitlements + authorizing_integration_owners + context ...).
import type {
  APIApplicationCommandAutocompleteGuildInteraction,
  APIApplicationCommandInteractionDataOption,
  APIChatInputApplicationCommandGuildInteraction,
  APIInteractionDataResolved,
  APIInteractionDataResolvedChannel,
  APIMessage,
  APIMessageComponentGuildInteraction,
  APIModalSubmitGuildInteraction,
} from "discord.js";
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
} from "discord.js";
import { randomToken, snowflake } from "./ids.ts";
import { channelPayload, interactionMemberPayload, memberPayload, messagePayload } from "./payloads.ts";
import { computePermissions } from "./permissions.ts";
import type { FakeGuild, World } from "./world.ts";
import { channelById, guildById, userById } from "./world.ts";

/** Who/where an interaction comes from. Defaults: the world's default user in the first channel of the first guild. */
export interface InteractionContext {
  userId?: string;
  /**
   * The guild (one of `fake.guilds`). Default: the guild of `channelId` if that is a known channel, else the
   * first guild. The interaction is dispatched to the session of that guild's shard.
   */
  guildId?: string;
  /** A channel of the guild (default: its first channel). */
  channelId?: string;
  /** Override the member's permissions (default: computed from roles and channel overwrites). */
  permissions?: bigint | string;
  /** Override the member's role ids. */
  roles?: string[];
  locale?: Locale;
}

export interface CommandOptionInput {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOptionInput[];
}

/** The guild an interaction happens in; a known channel of another guild is a test mistake. */
function interactionGuild(world: World, ctx: InteractionContext): FakeGuild {
  const channel = ctx.channelId ? channelById(world, ctx.channelId) : undefined;
  if (ctx.guildId === undefined) return (channel && guildById(world, channel.guildId)) || world.guilds[0]!;
  const guild = guildById(world, ctx.guildId);
  if (!guild) throw new Error(`fake-discord: unknown guild ${ctx.guildId} (known: ${world.guilds.map((g) => g.id).join(", ")})`);
  if (channel && channel.guildId !== guild.id) {
    throw new Error(`fake-discord: channel ${channel.id} belongs to guild ${channel.guildId}, not ${guild.id}`);
  }
  return guild;
}

/** Fields common to every guild interaction. */
function base(world: World, ctx: InteractionContext) {
  const guild = interactionGuild(world, ctx);
  const userId = ctx.userId ?? world.defaultUser.id;
  const channelId = ctx.channelId ?? guild.channels[0]?.id ?? guild.id;
  const fakeChannel = channelById(world, channelId);
  const memberPerms =
    ctx.permissions !== undefined ? BigInt(ctx.permissions) : computePermissions(world, userId, channelId, guild.id);
  const channel = fakeChannel
    ? (({ permission_overwrites: _ignored, ...rest }) => ({ ...rest, permissions: memberPerms.toString() }))(
        channelPayload(world, fakeChannel),
      )
    : { id: channelId, type: ChannelType.GuildText as const, guild_id: guild.id };
  return {
    id: snowflake(),
    application_id: world.applicationId,
    token: randomToken("fake-interaction-token.", 48),
    version: 1 as const,
    guild_id: guild.id,
    guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
    channel,
    channel_id: channelId,
    member: interactionMemberPayload(world, userId, memberPerms, ctx.roles, guild),
    app_permissions: computePermissions(world, world.botUser.id, channelId, guild.id).toString(),
    locale: ctx.locale ?? Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { 0: guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

/** Discord resolves user/channel/role option values into `data.resolved`; mimic that for known ids. */
function resolvedFor(world: World, guild: FakeGuild, options: CommandOptionInput[]): APIInteractionDataResolved | undefined {
  const resolved: Required<Pick<APIInteractionDataResolved, "users" | "members" | "channels" | "roles">> = {
    users: {},
    members: {},
    channels: {},
    roles: {},
  };
  let any = false;
  const visit = (opts: CommandOptionInput[]) => {
    for (const o of opts) {
      if (o.options) visit(o.options);
      if (typeof o.value !== "string") continue;
      const id = o.value;
      const wantsUser = o.type === ApplicationCommandOptionType.User || o.type === ApplicationCommandOptionType.Mentionable;
      const wantsRole = o.type === ApplicationCommandOptionType.Role || o.type === ApplicationCommandOptionType.Mentionable;
      const role = guild.roles.find((r) => r.id === id);
      if (wantsRole && role) {
        resolved.roles[id] = role;
        any = true;
      } else if (wantsUser) {
        const { user: _u, deaf: _d, mute: _m, ...member } = memberPayload(world, id, guild);
        resolved.users[id] = userById(world, id);
        resolved.members[id] = { ...member, permissions: computePermissions(world, id, undefined, guild.id).toString() };
        any = true;
      } else if (o.type === ApplicationCommandOptionType.Channel) {
        const ch = channelById(world, id);
        if (ch) {
          const resolvedChannel: APIInteractionDataResolvedChannel = {
            id,
            name: ch.name,
            type: ChannelType.GuildText,
            permissions: computePermissions(world, world.botUser.id, id).toString(),
          };
          resolved.channels[id] = resolvedChannel;
          any = true;
        }
      }
    }
  };
  visit(options);
  return any ? resolved : undefined;
}

function commandData(world: World, guildId: string, name: string, options: CommandOptionInput[]) {
  // Reuse the registered command's id so `interaction.command` resolves like in production.
  const registered = [...(world.commands.get(guildId) ?? []), ...(world.commands.get("global") ?? [])].find(
    (c) => c.name === name,
  );
  const guild = guildById(world, guildId) ?? world.guilds[0]!;
  const resolved = resolvedFor(world, guild, options);
  return {
    id: registered?.id ?? snowflake(),
    name,
    type: ApplicationCommandType.ChatInput as const,
    ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
    ...(options.length ? { options: options as APIApplicationCommandInteractionDataOption[] } : {}),
    ...(resolved ? { resolved } : {}),
  };
}

export function slashCommandPayload(
  world: World,
  name: string,
  options: CommandOptionInput[],
  ctx: InteractionContext,
): APIChatInputApplicationCommandGuildInteraction {
  const b = base(world, ctx);
  return { ...b, type: InteractionType.ApplicationCommand, data: commandData(world, b.guild_id, name, options) };
}

export function autocompletePayload(
  world: World,
  name: string,
  options: CommandOptionInput[],
  ctx: InteractionContext,
): APIApplicationCommandAutocompleteGuildInteraction {
  const b = base(world, ctx);
  return {
    ...b,
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      ...commandData(world, b.guild_id, name, options),
      options: options as APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommandAutocomplete>[],
    },
  };
}

/** The message a component sits on: a stored bot message, or a plausible one carrying the component. */
function componentMessage(world: World, channelId: string, customId: string, message?: Partial<APIMessage>): APIMessage {
  const stored = message?.id ? world.messages.get(message.id) : undefined;
  if (stored) return { ...stored, ...message };
  const fallback = messagePayload(world, channelId, {
    content: "",
    components: [
      { type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: 1, label: customId, custom_id: customId }] },
    ],
  });
  return { ...fallback, ...message };
}

export interface ComponentContext extends InteractionContext {
  /** The message carrying the component; pass `{ id }` of a message the bot sent to use the stored one. */
  message?: Partial<APIMessage>;
}

export function buttonPayload(world: World, customId: string, ctx: ComponentContext): APIMessageComponentGuildInteraction {
  const b = base(world, ctx);
  return {
    ...b,
    type: InteractionType.MessageComponent,
    message: componentMessage(world, b.channel_id, customId, ctx.message),
    data: { custom_id: customId, component_type: ComponentType.Button },
  };
}

export function stringSelectPayload(
  world: World,
  customId: string,
  values: string[],
  ctx: ComponentContext,
): APIMessageComponentGuildInteraction {
  const b = base(world, ctx);
  return {
    ...b,
    type: InteractionType.MessageComponent,
    message: componentMessage(world, b.channel_id, customId, ctx.message),
    data: { custom_id: customId, component_type: ComponentType.StringSelect, values },
  };
}

/** Modal submit with one text input per field, each in its own action row (the classic layout). */
export function modalSubmitPayload(
  world: World,
  customId: string,
  fields: Record<string, string>,
  ctx: InteractionContext,
): APIModalSubmitGuildInteraction {
  return {
    ...base(world, ctx),
    type: InteractionType.ModalSubmit,
    data: {
      custom_id: customId,
      components: Object.entries(fields).map(([fieldId, value], i) => ({
        type: ComponentType.ActionRow as const,
        id: i * 2 + 1,
        components: [{ type: ComponentType.TextInput as const, id: i * 2 + 2, custom_id: fieldId, value }],
      })),
    },
  };
}
