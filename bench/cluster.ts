import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startFakeDiscord, type FakeDiscord } from "../test/fake-discord/server.ts";
import { startBot, type BotProcess } from "../test/helpers/bot-process.ts";
import { startPostgres } from "../test/helpers/postgres-server.ts";
import { startServer } from "../test/unit/ingest/helpers.ts";
import { percentile } from "./stats.ts";

/**
 * npm run bench:cluster [-- --corpus PATH]
 *
 * Cluster mode measured: two real bot processes (one gateway shard each) on the 87k-paper corpus, one real
 * PostgreSQL (embedded), the fake Discord with one server per shard, and a local "Hugging Face" that offers
 * one new paper at a time. Prints a markdown table:
 *   - memory (RSS) per process once it serves;
 *   - time from a new paper being offered to it being found by /search on every process (it includes
 *     waiting for the leader's next once-a-second ingest);
 *   - interactions per second one process answers at p99 ≤ 50 ms (rates raised until p99 passes 50 ms).
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({ options: { corpus: { type: "string", default: process.env.PAPERBOT_BENCH_CORPUS ?? resolve(ROOT, "../shared/corpus/papers.jsonl.gz") } } });
const CORPUS = resolve(values.corpus);
const PROBES = 10;
const RATES = [50, 100, 200, 300, 400, 600];
const SECONDS_PER_RATE = 4;
const log = (line: string) => process.stderr.write(`cluster: ${line}\n`);

if (!existsSync(CORPUS)) {
  log(`no corpus at ${CORPUS} (--corpus PATH or PAPERBOT_BENCH_CORPUS)`);
  process.exit(2);
}

/** A Hugging Face daily-papers entry for one new paper. */
const hfEntry = (n: number) => ({
  paper: { id: `2499.${String(10000 + n)}`, title: `Quixotic probe number ${n} for cluster propagation`, summary: "A paper that exists to be found.", authors: [{ name: "Bench Author" }], upvotes: 1, publishedAt: "2026-11-28T00:00:00.000Z", submittedOnDailyAt: "2026-11-29T00:00:00.000Z" },
  publishedAt: "2026-11-29T00:00:00.000Z",
  title: `Quixotic probe number ${n} for cluster propagation`,
});

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
let nextUser = 500_000_000_000_000_000n;

async function search(fake: FakeDiscord, guild: { id: string; channels: { id: string }[] }, query: string): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const handle = await fake.slashCommand("search", [{ name: "query", type: 3, value: query }], { userId: String(++nextUser), guildId: guild.id, channelId: guild.channels[0]!.id });
  const reply = await handle.callback(10_000);
  return { ms: performance.now() - started, text: JSON.stringify(reply.data) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const postgres = await startPostgres();
  const work = await mkdtemp(join(tmpdir(), "paperbot-cluster-bench-"));
  const fake = await startFakeDiscord({ shards: 2, maxConcurrency: 2, extraGuilds: 1, interactionDeadlineMs: 3000 });
  let offered = 0;
  const hf = await startServer((request) => (request.path.endsWith("/daily_papers") && request.query.get("p") !== "1" && offered > 0 ? { body: JSON.stringify([hfEntry(offered)]) } : { body: "[]" }));
  const bots: BotProcess[] = [];
  try {
    for (const shard of [0, 1]) {
      log(`starting process ${shard + 1} of 2 on ${CORPUS}`);
      const bot = startBot({
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        CORPUS_PATH: CORPUS,
        SNAPSHOT_DIR: join(work, "snapshots"),
        DATABASE_URL: postgres.url,
        SHARD_COUNT: "2",
        SHARD_IDS: String(shard),
        HF_API_URL: hf.url,
        INGEST_CRON: "* * * * * *",
        INGEST_SOURCES: "hf --date 2026-11-29",
        INGEST_STORE: join(work, `ingested-${shard}.jsonl`),
      });
      bots.push(bot);
      await bot.waitForLog("connected to Discord", 180_000);
    }
    await sleep(2000);
    const rss = bots.map((bot) => rssMb(bot.child.pid!));

    log(`propagation: ${PROBES} new papers, each searched for on both processes`);
    const everywhere: number[] = [];
    for (let n = 1; n <= PROBES; n++) {
      offered = n;
      const started = performance.now();
      const found = [false, false];
      for (let round = 0; round < 400 && found.includes(false); round++) {
        for (const [i, guild] of fake.guilds.entries()) {
          if (!found[i] && (await search(fake, guild, `quixotic probe number ${n}`)).text.includes(`Quixotic probe number ${n} `)) found[i] = true;
        }
        if (found.includes(false)) await sleep(25);
      }
      if (found.includes(false)) throw new Error(`probe ${n} not found on every process within the bound`);
      everywhere.push(performance.now() - started);
    }

    log(`capacity: /search on one process at ${RATES.join(", ")} per second, ${SECONDS_PER_RATE} s each`);
    const queries = ["diffusion models", "graph neural networks", "reinforcement learning", "language model alignment", "contrastive learning", "vision transformer", "federated learning", "knowledge distillation"];
    const capacity: Array<{ rate: number; p50: number; p99: number }> = [];
    for (const rate of RATES) {
      const pending: Array<Promise<{ ms: number }>> = [];
      const start = Date.now();
      for (let i = 0; i < rate * SECONDS_PER_RATE; i++) {
        await sleep(Math.max(0, start + (i * 1000) / rate - Date.now()));
        pending.push(search(fake, fake.guilds[0]!, queries[i % queries.length]!));
      }
      const ms = (await Promise.all(pending)).map((result) => result.ms);
      capacity.push({ rate, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) });
      log(`  ${rate}/s: p50 ${percentile(ms, 0.5).toFixed(1)} ms, p99 ${percentile(ms, 0.99).toFixed(1)} ms`);
      if (percentile(ms, 0.99) > 50) break;
      await sleep(1000);
    }
    const sustained = capacity.filter((run) => run.p99 <= 50).at(-1);

    console.log("| Measure | Result |\n|---|---|");
    console.log(`| Memory per process (RSS, 87k papers, serving) | ${rss.map((mb) => `${Math.round(mb)} MB`).join(", ")} |`);
    console.log(`| New paper searchable on every process (offered → found by /search on both) | p50 ${(percentile(everywhere, 0.5) / 1000).toFixed(2)} s, max ${(Math.max(...everywhere) / 1000).toFixed(2)} s over ${PROBES} |`);
    for (const run of capacity) console.log(`| /search at ${run.rate}/s on one process | p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms |`);
    console.log(`| Sustained at p99 ≤ 50 ms | ${sustained ? `${sustained.rate} interactions/s` : "below the first rate"} |`);
  } finally {
    for (const bot of bots) await bot.stop("SIGTERM");
    await hf.close();
    await fake.close();
    await postgres.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
