import { config as loadDotenv } from "dotenv";
import type { Logger } from "pino";
import { ConfigError, parseConfig, type Config } from "./config.ts";
import { CorpusError } from "./corpus/load.ts";
import { StoreError } from "./store/sqlite.ts";
import { createLogger } from "./logger.ts";

/** Reads .env and the environment, or exits with one clear line naming the bad variable. */
export function startup(defaults: { logLevel?: string } = {}): { config: Config; logger: Logger } {
  loadDotenv({ quiet: true });
  try {
    const config = parseConfig({ LOG_LEVEL: defaults.logLevel, ...process.env });
    const logger = createLogger({ level: config.LOG_LEVEL, secrets: config.DISCORD_TOKEN ? [config.DISCORD_TOKEN] : [] });
    return { config, logger };
  } catch (error) {
    exitWith(error);
  }
}

/** Known start-up failures are one line on stderr and exit code 1; anything else is a bug and shows its stack. */
export function exitWith(error: unknown): never {
  if (error instanceof ConfigError || error instanceof CorpusError || error instanceof StoreError) console.error(`paperbot: ${error.message}`);
  else console.error(error);
  process.exit(1);
}
