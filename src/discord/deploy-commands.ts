import { REST, Routes } from "discord.js";
import { loadCommands } from "../command-kit/registry.ts";
import { ConfigError } from "../config.ts";
import { exitWith, startup } from "../startup.ts";
import { syncCommands } from "./sync-commands.ts";

/**
 * `npm run deploy-commands`: registers the slash commands with Discord, in DISCORD_GUILD_ID when set
 * (instant) or globally. Idempotent: nothing is sent when Discord already has these definitions.
 */
const { config, logger } = startup();
try {
  if (!config.DISCORD_TOKEN) throw new ConfigError("DISCORD_TOKEN is required to register commands. See .env.example.");
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(config.DISCORD_TOKEN);
  // The application id comes from Discord itself, never from parsing the token.
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  const definitions = (await loadCommands()).map((command) => command.definition);
  const outcome = await syncCommands({ rest, applicationId: application.id, guildId: config.DISCORD_GUILD_ID, definitions, logger });
  console.log(`${definitions.length} commands ${outcome === "updated" ? "registered" : "already up to date"} ${config.DISCORD_GUILD_ID ? `in server ${config.DISCORD_GUILD_ID}` : "globally"}.`);
} catch (error) {
  exitWith(error);
}
