import { config as loadDotenv } from "dotenv";
import type { Logger } from "pino";
import { ConfigError, parseConfig, type Config } from "./config.ts";
import { CorpusError } from "./corpus/load.ts";
import { StoreError } from "./store/sqlite.ts";
import { inspect } from "node:util";
import { createLogger, scrubSecrets, SECRET_VARIABLES } from "./logger.ts";

/** Reads .env and the environment, or exits with one clear line naming the bad variable. */
export function startup(defaults: { logLevel?: string } = {}): { config: Config; logger: Logger } {
  loadDotenv({ quiet: true });
  try {
    const config = parseConfig({ LOG_LEVEL: defaults.logLevel, ...process.env });
    const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretsOf(process.env) });
    return { config, logger };
  } catch (error) {
    exitWith(error);
  }
}

/**
 * Known start-up failures are one line on stderr and exit code 1; anything else is a bug and shows its
 * stack. Either way secrets are scrubbed, as in the logs: an error message can quote a token.
 */
export function exitWith(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof CorpusError || error instanceof StoreError;
  const text = known ? `paperbot: ${error.message}` : inspect(error);
  process.stderr.write(`${scrubSecrets(text, secretsOf(process.env))}\n`);
  process.exit(1);
}

function secretsOf(env: NodeJS.ProcessEnv): string[] {
  return SECRET_VARIABLES.flatMap((name) => env[name]?.trim() || []);
}
