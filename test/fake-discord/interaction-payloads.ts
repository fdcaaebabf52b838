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
import type { World } from "./world.ts";
import { channelById, userById } from "./world.ts";

/** Who/where an interaction comes from. Defaults: the world's default user in the first channel. */
export interface InteractionContext {
  userId?: string;
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

/** Fields common to every guild interaction. */
function base(world: World, ctx: InteractionContext) {
  const userId = ctx.userId ?? world.defaultUser.id;
  const channelId = ctx.channelId ?? world.channels[0]?.id ?? world.guildId;
  const fakeChannel = channelById(world, channelId);
  const memberPerms =
    ctx.permissions !== undefined ? BigInt(ctx.permissions) : computePermissions(world, userId, channelId);
  const channel = fakeChannel
    ? (({ permission_overwrites: _ignored, ...rest }) => ({ ...rest, permissions: memberPerms.toString() }))(
        channelPayload(world, fakeChannel),
      )
    : { id: channelId, type: ChannelType.GuildText as const, guild_id: world.guildId };
  return {
    id: snowflake(),
    application_id: world.applicationId,
    token: randomToken("fake-interaction-token.", 48),
    version: 1 as const,
    guild_id: world.guildId,
    guild: { id: world.guildId, locale: Locale.EnglishUS, features: [] },
    channel,
    channel_id: channelId,
    member: interactionMemberPayload(world, userId, memberPerms, ctx.roles),
    app_permissions: computePermissions(world, world.botUser.id, channelId).toString(),
    locale: ctx.locale ?? Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { 0: world.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

/** Discord resolves user/channel/role option values into `data.resolved`; mimic that for known ids. */
function resolvedFor(world: World, options: CommandOptionInput[]): APIInteractionDataResolved | undefined {
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
      const role = world.roles.find((r) => r.id === id);
      if (wantsRole && role) {
        resolved.roles[id] = role;
        any = true;
      } else if (wantsUser) {
        const { user: _u, deaf: _d, mute: _m, ...member } = memberPayload(world, id);
        resolved.users[id] = userById(world, id);
        resolved.members[id] = { ...member, permissions: computePermissions(world, id).toString() };
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

function commandData(world: World, name: string, options: CommandOptionInput[]) {
  // Reuse the registered command's id so `interaction.command` resolves like in production.
  const registered = [...(world.commands.get(world.guildId) ?? []), ...(world.commands.get("global") ?? [])].find(
    (c) => c.name === name,
  );
  const resolved = resolvedFor(world, options);
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
  return { ...base(world, ctx), type: InteractionType.ApplicationCommand, data: commandData(world, name, options) };
}

export function autocompletePayload(
  world: World,
  name: string,
  options: CommandOptionInput[],
  ctx: InteractionContext,
): APIApplicationCommandAutocompleteGuildInteraction {
  return {
    ...base(world, ctx),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      ...commandData(world, name, options),
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
