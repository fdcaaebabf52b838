import { z } from "zod";

/**
 * The environment, validated once at start-up. A bad value stops the bot with one message naming the
 * variable, instead of failing later somewhere less clear.
 */
const optionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().min(1).optional());

export const ConfigSchema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_GUILD_ID: z.preprocess((value) => (value === "" ? undefined : value), z.string().regex(/^\d{17,20}$/, "must be a Discord server id (17-20 digits)").optional()),
  DISCORD_API_URL: z.preprocess((value) => (value === "" ? undefined : value), z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  CORPUS_PATH: z.string().trim().min(1).default("data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(`Invalid configuration: ${issue.path.join(".")} ${issue.message}. See .env.example.`);
}
