import type { Logger } from "pino";
import { clockStartingAt, systemClock } from "./clock.ts";
import { loadCommands } from "./command-kit/registry.ts";
import { CommandRunner } from "./command-kit/runner.ts";
import type { CommandContext } from "./command-kit/types.ts";
import { snapshotDir, type Config } from "./config.ts";
import type { Corpus } from "./corpus/load.ts";
import { formatProblem } from "./corpus/problems.ts";
import { DigestService } from "./digest/service.ts";
import { DigestStore } from "./digest/store.ts";
import { QueryStore } from "./store/queries.ts";
import { SavedPapers } from "./store/saved.ts";
import { WatchService } from "./watch/service.ts";
import { WatchStore } from "./watch/store.ts";
import { openSql } from "./store/open.ts";
import { PostgresSql } from "./store/postgres.ts";
import { ClusterSync } from "./cluster/sync.ts";
import { readStore } from "./ingest/store.ts";
import { ingestStorePath } from "./ingest/configure.ts";
import type { Transport } from "./delivery/transport.ts";
import { Asker } from "./ask/asker.ts";
import { ChatModel } from "./ask/model.ts";
import { EmbeddingsClient } from "./embeddings/client.ts";
import { SemanticSearch } from "./embeddings/semantic-search.ts";
import { ScheduledIngest } from "./ingest/scheduled-ingest.ts";
import { Responsiveness } from "./responsiveness.ts";
import type { SearchEngine } from "./search/engine.ts";
import { openSearch } from "./search/open-search.ts";
import { VERSION } from "./version.ts";
import { NO_OBSERVER, type Observer } from "./ops/observer.ts";
import type { Paper } from "./corpus/paper.ts";
import { WHOLE, type Cluster } from "./cluster/ownership.ts";

/**
 * The composition root: everything the shells (Discord, the console, the CLI) share, built once and in one
 * place. In order: the database (first, so that a corrupt or locked file is the one error a user sees),
 * the corpus and its search engine, the commands, the digests and saved queries (when the shell has a
 * database: not the CLI), the scheduled ingest (INGEST_CRON), and the runner every command goes through.
 * Nothing runs until `start`.
 */
export interface App {
  runner: CommandRunner;
  engine: SearchEngine;
  /** Scheduled digests; only when the shell gave a transport to post them. */
  digest?: DigestService;
  /** Watch alerts; only when the shell gave a transport to send them. */
  watches?: WatchService;
  /** Starts the digest scheduler, watch alerts and the scheduled ingest. */
  start(): void;
  /** Stops them, waits (bounded by the caller) for posts under way, and closes the database. */
  stop(): Promise<void>;
}

/** Saved search queries unused for this long are forgotten (their page buttons then say so). */
const QUERY_KEEP_MS = 90 * 24 * 3600_000;

export async function createApp(options: { config: Config; logger: Logger; transport?: Transport; observer?: Observer; cluster?: Cluster }): Promise<App> {
  const { config, logger, transport, observer = NO_OBSERVER, cluster = WHOLE } = options;
  const db = transport ? await openSql(config) : undefined;
  try {
    const opened = await openSearch(config.CORPUS_PATH, { snapshotDir: snapshotDir(config), logger });
    for (const problem of opened.corpus.problems) logger.warn({ file: problem.file, line: problem.line }, `skipped: ${formatProblem(problem)}`);
    const { engine } = opened;
    // A sharded bot on PostgreSQL: papers any process ingested, into this one's index before it serves.
    const sync = db instanceof PostgresSql ? new ClusterSync(db, engine, logger) : undefined;
    if (sync) logger.info({ papers: await sync.catchUp() }, "shared papers loaded from the database");
    // A process that ingests may have stored papers it never got to share (stopped in between): shared now.
    if (sync && config.INGEST_CRON) {
      const leftBehind = await sync.publishLeftBehind((await readStore(ingestStorePath(config))).papers);
      if (leftBehind) logger.warn({ papers: leftBehind }, "ingested papers that had not been shared are shared now");
    }
    const clock = config.PAPERBOT_FAKE_NOW ? clockStartingAt(Date.parse(config.PAPERBOT_FAKE_NOW)) : systemClock;
    const digest =
      db && transport && new DigestService({ store: new DigestStore(db), engine, transport, clock, logger, observer, owns: cluster.owns, options: { graceMs: config.DIGEST_GRACE_HOURS * 3600_000, maxPerServer: config.DIGESTS_PER_SERVER } });
    // Digests read papers newest first: sorted now, before serving, not inside the first digest's minute.
    if (digest) engine.newestFirst();
    const queries = db && new QueryStore(db);
    const saved = db && new SavedPapers(db);
    const watches =
      db && transport &&
      new WatchService({
        store: new WatchStore(db),
        engine,
        transport,
        clock,
        logger,
        observer,
        owns: cluster.owns,
        options: { perUser: config.WATCHES_PER_USER, perServer: config.WATCHES_PER_SERVER, dmIntervalMs: config.WATCH_DM_INTERVAL_MINUTES * 60_000 },
      });
    await queries?.prune(clock.now() - QUERY_KEEP_MS);
    const semantic = semanticSearch(config, logger);
    // New papers, once in the index (this process's ingest, or another's through the database): watches
    // hear of those they had not seen, and they get vectors.
    const arrived = async (papers: readonly Paper[]) => {
      await watches?.papersArrived(papers).catch((error: unknown) => logger.error({ err: error }, "new papers not matched against watches; they are at the next start"));
      await semantic?.embedPapers(papers).catch((error: unknown) => logger.warn({ err: error }, "new papers not embedded: the endpoint failed; they are embedded at the next start"));
    };
    const ingest = config.INGEST_CRON
      ? new ScheduledIngest({ config: { ...config, INGEST_CRON: config.INGEST_CRON }, logger, engine, arrived, observer, cluster: sync && { isLeader: () => sync.leadership.isLeader, publish: (papers) => sync.publish(papers) } })
      : undefined;
    sync?.onArrival(arrived);
    const asker = new Asker({
      engine,
      semantic,
      model: chatModel(config, logger),
      logger,
      modelAnswersPerHour: config.ASK_MODEL_ANSWERS_PER_HOUR,
      maxConcurrent: config.LLM_MAX_CONCURRENT,
    });
    const responsiveness = new Responsiveness();
    const ingestLeader = sync && (() => sync.leadership.holder());
    const runner = await commandRunner(opened.corpus, { engine, logger, digest, ingest, queries, saved, watches, semantic, asker, responsiveness, now: clock.now, observer, cluster, ingestLeader });
    const embedding = new AbortController();
    return {
      runner,
      engine,
      digest,
      watches,
      start() {
        responsiveness.start();
        digest?.start();
        void watches?.start().catch((error: unknown) => logger.error({ err: error }, "watches could not start; alerts wait for the next start"));
        ingest?.start();
        void sync?.start().catch((error: unknown) => logger.error({ err: error }, "cluster sync could not start"));
        if (semantic) void embedInBackground(semantic, engine, logger, embedding.signal);
      },
      async stop() {
        ingest?.stop();
        await sync?.stop();
        embedding.abort();
        await digest?.stop();
        await watches?.stop();
        semantic?.close();
        responsiveness.stop();
        await db?.close();
      },
    };
  } catch (error) {
    await db?.close();
    throw error;
  }
}

/** The commands and the runner over an indexed corpus: the app without its schedules (tests use it alone). */
export async function commandRunner(
  corpus: Corpus,
  options: {
    engine: SearchEngine;
    logger: Logger;
    random?: () => number;
    digest?: DigestService;
    ingest?: ScheduledIngest;
    queries?: QueryStore;
    saved?: SavedPapers;
    watches?: WatchService;
    now?: () => number;
    semantic?: SemanticSearch;
    asker?: Asker;
    responsiveness?: Responsiveness;
    observer?: Observer;
    cluster?: Cluster;
    ingestLeader?: () => Promise<string | undefined>;
  },
): Promise<CommandRunner> {
  const { engine, logger } = options;
  logger.info(
    { papers: corpus.papers.length, files: corpus.files.length, skipped: corpus.problems.length, duplicatesMerged: corpus.duplicatesMerged, loadMs: Math.round(corpus.loadMs) },
    "corpus loaded",
  );
  const commands = await loadCommands();
  const ctx: CommandContext = {
    engine,
    corpus: { size: corpus.papers.length, files: corpus.files, problems: corpus.problems.length, duplicatesMerged: corpus.duplicatesMerged, loadMs: corpus.loadMs },
    version: VERSION,
    startedAt: new Date(),
    random: options.random ?? Math.random,
    logger,
    queries: options.queries,
    saved: options.saved,
    watches: options.watches,
    now: options.now ?? Date.now,
    semantic: options.semantic,
    responsiveness: options.responsiveness,
    asker: options.asker ?? new Asker({ engine, semantic: options.semantic, logger, modelAnswersPerHour: 0, maxConcurrent: 0 }),
    digest: options.digest,
    ingest: options.ingest?.status,
    commands: () => commands,
    cluster: options.cluster,
    ingestLeader: options.ingestLeader,
  };
  return new CommandRunner(commands, ctx, options.observer);
}

/** Search by meaning too, when the operator configured an embeddings endpoint (vectors kept beside the snapshot). */
export function semanticSearch(config: Config, logger: Logger): SemanticSearch | undefined {
  if (!config.EMBEDDINGS_API_URL || !config.EMBEDDINGS_MODEL) return undefined;
  const client = new EmbeddingsClient(
    {
      url: config.EMBEDDINGS_API_URL,
      model: config.EMBEDDINGS_MODEL,
      apiKey: config.EMBEDDINGS_API_KEY,
      timeoutMs: config.EMBEDDINGS_TIMEOUT_MS,
      batchSize: config.EMBEDDINGS_BATCH_SIZE,
      queryPrefix: config.EMBEDDINGS_QUERY_PREFIX,
      documentPrefix: config.EMBEDDINGS_DOCUMENT_PREFIX,
      weight: config.EMBEDDINGS_WEIGHT,
    },
    { maxBytes: config.HTTP_MAX_BYTES, logger },
  );
  return new SemanticSearch({ client, logger, dir: snapshotDir(config) });
}

/** The chat model /ask writes answers with, when the operator configured one. */
export function chatModel(config: Config, logger: Logger): ChatModel | undefined {
  if (!config.LLM_API_URL || !config.LLM_MODEL) return undefined;
  return new ChatModel(
    { url: config.LLM_API_URL, model: config.LLM_MODEL, apiKey: config.LLM_API_KEY, timeoutMs: config.LLM_TIMEOUT_MS, maxTokens: config.LLM_MAX_TOKENS, stream: config.LLM_STREAM },
    { maxBytes: config.HTTP_MAX_BYTES, logger },
  );
}

/** The running bot embeds what has no vector yet while it answers (by words, for those papers, meanwhile). */
async function embedInBackground(semantic: SemanticSearch, engine: SearchEngine, logger: Logger, signal: AbortSignal): Promise<void> {
  // Which papers lack a vector is worked out once (a hash of every paper's text: half a second at 87k).
  const todo = semantic.missing(engine.all());
  const total = todo.length;
  if (total === 0) return;
  logger.info({ papers: total }, "embedding papers");
  let logged = 0;
  try {
    await semantic.embedPapers(todo, ({ done }) => {
      if (done - logged < Math.max(1000, total / 10) && done !== total) return;
      logger.info({ done, total }, "embedding papers");
      logged = done;
    }, signal);
  } catch (error) {
    if (!signal.aborted) logger.warn({ err: error }, "embedding papers stopped: the endpoint failed; the rest is embedded at the next start or ingest");
  }
}
