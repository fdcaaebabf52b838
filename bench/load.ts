import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createGunzip } from "node:zlib";
import { PermissionFlagsBits } from "discord.js";
import { startFakeDiscord, type FakeDiscord } from "../test/fake-discord/server.ts";
import { startBot } from "../test/helpers/bot-process.ts";
import { percentile } from "./stats.ts";
import { titleQueries } from "./workload.ts";

/**
 * npm run load [-- --corpus PATH]
 *
 * The real bot, started as `npm start` starts it, on the 87k-paper corpus against the fake Discord
 * (test/fake-discord, with Discord's 3 s deadline for answers), under load:
 *   1. idle: 500 /search and /random from 500 users at 50 per second, then 200 at the same instant;
 *   2. busy: the same 500 at 50 per second across the minute in which a server's ten digests post and a
 *      scheduled ingest replaces 1,000 papers of the index.
 * A latency is from dispatching INTERACTION_CREATE to the bot's answer reaching the fake. Prints a
 * markdown table, when the digests and the ingest ran, and the event-loop delay /about reports.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: process.env.PAPERBOT_BENCH_CORPUS ?? resolve(ROOT, "../shared/corpus/papers.jsonl.gz") },
  },
});
const CORPUS = resolve(values.corpus);
const PACED = 500;
const PER_SECOND = 50;
const BURST = 200;
const REPLACED = 1000;
const DIGESTS = 10;
const DIGEST_TOPICS = ["diffusion", "reinforcement learning", "graph neural", "language model", "robot"];
/** Time before the busy minute for starting the bot, subscribing and the idle runs. */
const LEAD_MS = 60_000;

const log = (line: string) => process.stderr.write(`load: ${line}\n`);

if (!existsSync(CORPUS)) {
  log(`no corpus at ${CORPUS} (--corpus PATH or PAPERBOT_BENCH_CORPUS)`);
  process.exit(2);
}

/** The corpus file's first `count` records (a JSONL file, gzipped or not). */
async function firstRecords(count: number): Promise<Array<{ title: string; abstract?: string }>> {
  const file = createReadStream(CORPUS);
  const input = CORPUS.endsWith(".gz") ? file.pipe(createGunzip()) : file;
  const records: Array<{ title: string; abstract?: string }> = [];
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim()) records.push(JSON.parse(line));
    if (records.length === count) break;
  }
  file.destroy();
  return records;
}

let nextUser = 300_000_000_000_000_000n;
const newUser = () => String(++nextUser);

/** One /search (even i) or /random (odd i) from a new user: milliseconds from dispatch to the bot's answer. */
async function interaction(fake: FakeDiscord, queries: string[], i: number): Promise<{ ms: number; path: string }> {
  const started = performance.now();
  const handle = i % 2 === 0
    ? await fake.slashCommand("search", [{ name: "query", type: 3, value: queries[i % queries.length]! }], { userId: newUser() })
    : await fake.slashCommand("random", [], { userId: newUser() });
  await handle.callback(10_000);
  return { ms: performance.now() - started, path: `/interactions/${handle.id}/${handle.token}/callback` };
}

interface RunResult {
  label: string;
  count: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers Discord (the fake) refused as later than 3 s. */
  late: number;
}

function summarize(fake: FakeDiscord, label: string, results: Array<{ ms: number; path: string }>): RunResult {
  const statusByPath = new Map(fake.requests.filter((request) => request.path.endsWith("/callback")).map((request) => [request.path, request.status]));
  const ms = results.map((result) => result.ms);
  return { label, count: results.length, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), max: Math.max(...ms), late: results.filter((result) => statusByPath.get(result.path) !== 204).length };
}

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

async function paced(fake: FakeDiscord, queries: string[], label: string): Promise<RunResult> {
  const start = Date.now();
  const pending: Array<Promise<{ ms: number; path: string }>> = [];
  for (let i = 0; i < PACED; i++) {
    await sleepUntil(start + (i * 1000) / PER_SECOND);
    pending.push(interaction(fake, queries, i));
  }
  return summarize(fake, label, await Promise.all(pending));
}

async function burst(fake: FakeDiscord, queries: string[], label: string): Promise<RunResult> {
  return summarize(fake, label, await Promise.all(Array.from({ length: BURST }, (_, i) => interaction(fake, queries, i))));
}

const hhmm = (date: Date) => date.toISOString().slice(11, 16);

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "paperbot-load-"));
  const replacements = join(work, "replacements.jsonl");
  const records = await firstRecords(5000);
  // What the scheduled ingest puts in place of indexed papers: the same ids, each abstract changed.
  await writeFile(replacements, records.slice(0, REPLACED).map((record) => JSON.stringify({ ...record, abstract: `${record.abstract ?? ""} (Revised.)` })).join("\n") + "\n");
  const queries = titleQueries(records, PACED);

  // The busy minute: the first whole minute at least LEAD_MS away. Digests post in its first second; the
  // ingest's cron fires at its start.
  const busy = new Date(Math.ceil((Date.now() + LEAD_MS) / 60_000) * 60_000);
  const channelNames = Array.from({ length: DIGESTS }, (_, i) => `digest-${i + 1}`);
  const fake = await startFakeDiscord({ channelNames, interactionDeadlineMs: 3000 });
  log(`starting the bot on ${CORPUS}; the busy minute is ${hhmm(busy)} UTC`);
  const bot = startBot({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: fake.guildId,
    CORPUS_PATH: CORPUS,
    DATABASE_PATH: join(work, "paperbot.db"),
    INGEST_STORE: join(work, "ingested.jsonl"),
    INGEST_SOURCES: `file ${replacements}`,
    INGEST_CRON: `${busy.getUTCSeconds()} ${busy.getUTCMinutes()} ${busy.getUTCHours()} * * *`,
    TZ: "UTC",
  });
  try {
    await bot.waitForLog("slash commands registered", LEAD_MS);
    const admin = { userId: newUser(), permissions: PermissionFlagsBits.ManageGuild };
    for (const [i, channel] of fake.channels.entries()) {
      const topics = DIGEST_TOPICS[i] ? [{ name: "topics", type: 3, value: DIGEST_TOPICS[i] }] : [];
      const options = [{ name: "channel", type: 7, value: channel.id }, { name: "time", type: 3, value: hhmm(busy) }, { name: "timezone", type: 3, value: "UTC" }, ...topics];
      const answer = await (await fake.slashCommand("digest", [{ name: "subscribe", type: 1, options }], admin)).callback();
      if (!String(answer.data?.content).includes("will post")) throw new Error(`digest not subscribed: ${answer.data?.content}`);
    }

    log(`idle: ${PACED} at ${PER_SECOND}/s`);
    const runs = [await paced(fake, queries, `idle, ${PER_SECOND}/s`)];
    log(`idle: ${BURST} at once`);
    runs.push(await burst(fake, queries, `idle, ${BURST} at once`));
    if (Date.now() > busy.getTime() - 3000) throw new Error("the bot took too long to start: the busy minute began before the idle runs ended");

    log(`busy: ${PACED} at ${PER_SECOND}/s from 3 s before ${hhmm(busy)}, while ${DIGESTS} digests post and the ingest replaces ${REPLACED} papers`);
    await sleepUntil(busy.getTime() - 3000);
    runs.push(await paced(fake, queries, `busy minute, ${PER_SECOND}/s`));
    await bot.waitForLog("ingest finished", 60_000);
    const digestPosts = fake.requests.filter((request) => request.method === "POST" && /^\/channels\/\d+\/messages$/.test(request.path) && request.at >= busy.getTime() - 1000);
    const ingestLine = bot.logs().split("\n").find((line) => line.includes('"ingest finished"'))!;
    const ingest = JSON.parse(ingestLine) as { time: number; updated?: number; added?: number; live: number };
    const about = await (await fake.slashCommand("about", [], { userId: newUser() })).callback();
    const delay = (about.data.embeds[0].fields as Array<{ name: string; value: string }>).find((field) => field.name === "Event-loop delay")?.value;

    const ms = (value: number) => value.toFixed(1);
    console.log(`| Run | Interactions | p50 ms | p99 ms | max ms | later than 3 s |\n|---|---:|---:|---:|---:|---:|`);
    for (const run of runs) console.log(`| ${run.label} | ${run.count} | ${ms(run.p50)} | ${ms(run.p99)} | ${ms(run.max)} | ${run.late} |`);
    const after = (at: number) => `${((at - busy.getTime()) / 1000).toFixed(1)} s`;
    const postTimes = digestPosts.map((request) => request.at);
    console.log(
      `\nBusy minute ${hhmm(busy)} UTC: ${digestPosts.length} digest posts ${postTimes.length ? `between ${after(Math.min(...postTimes))} and ${after(Math.max(...postTimes))}` : ""} after it began; ` +
        `the ingest put ${ingest.live} papers in the live index, done ${after(ingest.time)} after it began.\nEvent-loop delay since the bot started serving (/about): ${delay}.`,
    );
  } finally {
    await bot.stop("SIGTERM");
    await fake.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
