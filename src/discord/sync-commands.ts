import { REST, Routes } from "discord.js";
import type { Logger } from "pino";
import type { CommandDefinition, OptionDefinition } from "../command-kit/options.ts";

/** Where commands live: one server (instant updates) or global (all servers, slower to propagate). */
export function commandsRoute(applicationId: string, guildId: string | undefined): `/${string}` {
  return guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
}

interface RemoteOption extends Partial<Omit<OptionDefinition, "options">> {
  name: string;
  options?: RemoteOption[];
}

interface RemoteCommand {
  name: string;
  description: string;
  options?: RemoteOption[];
  default_member_permissions?: string | null;
  contexts?: number[] | null;
  integration_types?: number[] | null;
}

/**
 * What matters for equality, subcommands' options included: Discord adds ids and versions and leaves out
 * false and empty fields. Every command sets where it can be used (contexts, installation types), so a
 * change there is a change too.
 */
function comparable(commands: RemoteCommand[]): string {
  const option = (o: RemoteOption): object => ({
    type: o.type,
    name: o.name,
    description: o.description,
    required: o.required ?? false,
    autocomplete: o.autocomplete ?? false,
    min_length: o.min_length,
    max_length: o.max_length,
    min_value: o.min_value,
    max_value: o.max_value,
    channel_types: o.channel_types,
    options: (o.options ?? []).map(option),
  });
  const normalized = commands
    .map((command) => ({
      name: command.name,
      description: command.description,
      default_member_permissions: command.default_member_permissions ?? null,
      contexts: [...(command.contexts ?? [])].sort(),
      integration_types: [...(command.integration_types ?? [])].sort(),
      options: (command.options ?? []).map(option),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return JSON.stringify(normalized);
}

/**
 * Makes Discord's registered commands match ours, with one bulk overwrite, and only when they differ:
 * an unchanged bot restarts without touching its registration.
 */
export async function syncCommands(options: {
  rest: REST;
  applicationId: string;
  guildId?: string;
  definitions: readonly CommandDefinition[];
  logger: Logger;
}): Promise<"unchanged" | "updated"> {
  const route = commandsRoute(options.applicationId, options.guildId);
  const remote = (await options.rest.get(route)) as RemoteCommand[];
  const scope = options.guildId ? `server ${options.guildId}` : "global";
  if (comparable(remote) === comparable([...options.definitions])) {
    options.logger.info({ scope, commands: remote.length }, "slash commands already up to date");
    return "unchanged";
  }
  await options.rest.put(route, { body: options.definitions });
  options.logger.info({ scope, commands: options.definitions.map((command) => command.name) }, "slash commands registered");
  return "updated";
}
