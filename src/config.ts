import { z } from "zod";
import { ARXIV_API_URL } from "./ingest/sources/arxiv.ts";
import { HF_API_URL } from "./ingest/sources/hf.ts";

/**
 * The environment, validated once at start-up. A bad value stops the bot with one message naming the
 * variable, instead of failing later somewhere less clear. A variable set to "" counts as unset, as a
 * blank line copied from .env.example would.
 */
export const ConfigSchema = z.object({
  DISCORD_TOKEN: z.string().trim().min(1).optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{17,20}$/, "must be a Discord server id (17-20 digits)").optional(),
  DISCORD_API_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  CORPUS_PATH: z.string().trim().min(1).default("data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Where search index snapshots are kept for a fast start; "off" disables them. */
  SNAPSHOT_DIR: z.string().trim().min(1).default("data"),
  DATABASE_PATH: z.string().trim().min(1).default("data/paperbot.db"),
  /** PostgreSQL for the state every process of a sharded bot shares (postgres://user:password@host/db); unset: SQLite at DATABASE_PATH. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).optional(),
  /** Connections one process may open to PostgreSQL (its leadership and notifications take one each). */
  DATABASE_POOL_SIZE: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(3, "must be at least 3").max(100, "must be at most 100").default(10),
  /** Digests one server may have. */
  DIGESTS_PER_SERVER: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(1000, "must be at most 1000").default(10),
  /** Watches one person may have, and watches made in one server. */
  WATCHES_PER_USER: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(1000, "must be at most 1000").default(20),
  WATCHES_PER_SERVER: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(100_000, "must be at most 100000").default(100),
  /** At most one watch alert per person per this many minutes (DMs). */
  WATCH_DM_INTERVAL_MINUTES: z.coerce.number({ error: "must be a number of minutes" }).int("must be a whole number").min(1, "must be at least 1").max(10_080, "must be at most 10080 (a week)").default(60),
  DIGEST_GRACE_HOURS: z.coerce.number({ error: "must be a number of hours" }).min(0, "must be 0 or more").max(168, "must be at most 168 (a week)").default(6),
  /** Testing and demos only: the instant the process pretends it started at (ISO 8601). */
  PAPERBOT_FAKE_NOW: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time such as 2026-03-29T08:59:55Z" }).optional(),
  HF_API_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default(HF_API_URL),
  ARXIV_API_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default(ARXIV_API_URL),
  /** Where ingested papers are stored; default: ingested.jsonl in CORPUS_PATH (when it is a folder). */
  INGEST_STORE: z.string().trim().min(1).optional(),
  /** When the running bot ingests (cron, e.g. "0 6 * * *"); unset: never. */
  INGEST_CRON: z.string().trim().min(1).optional(),
  /** What it ingests, sources separated by ";", e.g. "hf --date today; arxiv --category cs.LG --max 100". */
  INGEST_SOURCES: z.string().trim().min(1).default("hf --date today"),
  /** The largest response body read from any outside service, after decompression. */
  HTTP_MAX_BYTES: z.coerce.number({ error: "must be a number of bytes" }).int("must be a whole number").min(1024, "must be at least 1024").default(32 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(1000, "must be at most 1000").default(20),
  /** Hybrid search: an OpenAI-compatible embeddings endpoint (its base, e.g. http://127.0.0.1:11434/v1) and model. */
  EMBEDDINGS_API_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  EMBEDDINGS_MODEL: z.string().trim().min(1).optional(),
  EMBEDDINGS_API_KEY: z.string().trim().min(1).optional(),
  EMBEDDINGS_TIMEOUT_MS: z.coerce.number({ error: "must be a number of milliseconds" }).int("must be a whole number").min(100, "must be at least 100").max(600_000, "must be at most 600000").default(10_000),
  EMBEDDINGS_BATCH_SIZE: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(2048, "must be at most 2048").default(32),
  /** Some models embed questions and documents with a prefix each (e5: "query: " / "passage: "). */
  EMBEDDINGS_QUERY_PREFIX: z.string().optional(),
  EMBEDDINGS_DOCUMENT_PREFIX: z.string().optional(),
  /** How much meaning counts against words in a question's ranking (0.3 by default; more for a strong model). */
  EMBEDDINGS_WEIGHT: z.coerce.number({ error: "must be a number" }).min(0, "must be 0 or more").max(10, "must be at most 10").optional(),
  /** /ask with a model: an OpenAI-compatible chat completions endpoint (its base, e.g. http://127.0.0.1:11434/v1) and model. */
  LLM_API_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  LLM_MODEL: z.string().trim().min(1).optional(),
  LLM_API_KEY: z.string().trim().min(1).optional(),
  LLM_TIMEOUT_MS: z.coerce.number({ error: "must be a number of milliseconds" }).int("must be a whole number").min(1000, "must be at least 1000").max(600_000, "must be at most 600000").default(30_000),
  LLM_MAX_TOKENS: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(50, "must be at least 50").max(8000, "must be at most 8000").default(400),
  /** Edit the reply as the model's text arrives (Discord), rather than once at the end. */
  LLM_STREAM: z.enum(["true", "false"], { error: "must be true or false" }).default("false").transform((value) => value === "true"),
  /** Model calls at once; more questions meanwhile get extracted answers. */
  LLM_MAX_CONCURRENT: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").default(2),
  /** Model answers one person may have per hour; past it, extracted answers. */
  ASK_MODEL_ANSWERS_PER_HOUR: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 or more").max(10_000, "must be at most 10000").default(20),
  /** Prometheus metrics, /healthz and /readyz on this port (and only there); unset: not served. */
  METRICS_PORT: z.coerce.number({ error: "must be a port number" }).int("must be a whole number").min(1, "must be from 1 to 65535").max(65_535, "must be from 1 to 65535").optional(),
  /** The address the metrics port listens on: all interfaces by default, so an orchestrator's probes reach it. */
  METRICS_HOST: z.string().trim().min(1).default("0.0.0.0"),
  /** Gateway sharding: how many shards the bot has in all ("auto": what Discord recommends). */
  SHARD_COUNT: z.union([z.literal("auto"), z.coerce.number({ error: "must be a whole number or auto" }).int("must be a whole number or auto").min(1, "must be at least 1").max(100_000, "must be at most 100000")]).optional(),
  /** Which shards this process runs: "0-3", "4,5" or "7"; default: all of them. */
  SHARD_IDS: z
    .string()
    .trim()
    .regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, "must be shard numbers and ranges such as 0-3 or 0,2,4")
    .transform((text, context) => {
      const ids = new Set<number>();
      for (const part of text.split(",")) {
        const [from, to = from] = part.split("-").map(Number) as [number, number?];
        if (to! > 100_000) {
          context.addIssue({ code: "custom", message: `has a shard number above 100000: ${part}` });
          continue;
        }
        if (to! < from || to! - from > 100_000) context.addIssue({ code: "custom", message: `has a backwards or too long range: ${part}` });
        for (let id = from; id <= to! && id - from <= 100_000; id++) ids.add(id);
      }
      return [...ids].sort((a, b) => a - b);
    })
    .optional(),
}).superRefine((config, context) => {
  if (config.SHARD_IDS && config.SHARD_COUNT === undefined) context.addIssue({ code: "custom", path: ["SHARD_IDS"], message: "needs SHARD_COUNT too (the number of shards in all, or auto)" });
  if (config.SHARD_IDS && typeof config.SHARD_COUNT === "number" && config.SHARD_IDS.at(-1)! >= config.SHARD_COUNT) {
    context.addIssue({ code: "custom", path: ["SHARD_IDS"], message: `must be below SHARD_COUNT (${config.SHARD_COUNT}): shards are numbered from 0` });
  }
  for (const [url, model, feature] of [
    ["EMBEDDINGS_API_URL", "EMBEDDINGS_MODEL", "hybrid search"],
    ["LLM_API_URL", "LLM_MODEL", "answers written by a model"],
  ] as const) {
    if (Boolean(config[url]) === Boolean(config[model])) continue;
    context.addIssue({ code: "custom", path: [config[url] ? model : url], message: `must be set too: ${feature} needs both ${url} and ${model}` });
  }
});
export type Config = z.infer<typeof ConfigSchema>;

/** The snapshot folder, or undefined when snapshots are switched off. */
export const snapshotDir = (config: Config) => (config.SNAPSHOT_DIR === "off" ? undefined : config.SNAPSHOT_DIR);

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = ConfigSchema.safeParse(set);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(`Invalid configuration: ${issue.path.join(".")} ${issue.message}. See .env.example.`);
}
