import { pino, type Logger } from "pino";

/**
 * Structured logs on stderr, so that stdout stays free for the console's and the CLI's output; pretty in a
 * terminal, JSON otherwise. The token is redacted by key and, wherever else it might appear (an error
 * message, a URL), by value.
 */
export function createLogger(options: { level: string; secrets?: string[] }): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
  const scrub = (text: string) => secrets.reduce((out, secret) => out.split(secret).join("[REDACTED]"), text);
  const pretty = process.stderr.isTTY && !process.env.CI;
  return pino(
    {
      level: options.level,
      redact: { paths: ["token", "*.token", "DISCORD_TOKEN", "*.DISCORD_TOKEN", "headers.authorization", "*.headers.authorization"], censor: "[REDACTED]" },
      hooks: {
        streamWrite: secrets.length ? scrub : undefined,
      },
    },
    pretty ? pino.transport({ target: "pino-pretty", options: { destination: 2, colorize: true } }) : pino.destination(2),
  );
}
