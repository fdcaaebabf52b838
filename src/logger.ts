import { pino, type Logger } from "pino";

/**
 * Structured logs on stderr, so that stdout stays free for the console's and the CLI's output; pretty in a
 * terminal, JSON otherwise. The token is redacted by key and, wherever else it might appear (an error
 * message, a URL), by value.
 */
export function createLogger(options: { level: string; secrets?: string[] }): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
  const scrub = (text: string) => scrubSecrets(text, secrets);
  const pretty = process.stderr.isTTY && !process.env.CI;
  return pino(
    {
      level: options.level,
      redact: {
        paths: ["token", "*.token", "DISCORD_TOKEN", "*.DISCORD_TOKEN", "apiKey", "*.apiKey", "headers.authorization", "*.headers.authorization", "headers.Authorization", "*.headers.Authorization"],
        censor: "[REDACTED]",
      },
      hooks: {
        streamWrite: secrets.length ? scrub : undefined,
      },
    },
    pretty ? pino.transport({ target: "pino-pretty", options: { destination: 2, colorize: true } }) : pino.destination(2),
  );
}

/** The variables that hold secrets: never printed, in logs or in a start-up error. */
export const SECRET_VARIABLES = ["DISCORD_TOKEN", "LLM_API_KEY", "EMBEDDINGS_API_KEY"] as const;

/** `text` with every secret (of 8 characters or more) replaced by [REDACTED]. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length >= 8).reduce((out, secret) => out.split(secret).join("[REDACTED]"), text);
}
