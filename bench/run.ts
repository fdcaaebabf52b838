import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ENGINE_LABELS, type EngineName } from "./engines.ts";
import { runScale } from "./scale.ts";
import { median } from "./stats.ts";
import type { Measurement, Task } from "./worker.ts";

/**
 * npm run bench [-- --runs 3 --corpus PATH --cacm DIR --scale 1000000]
 *
 * paperbot against MiniSearch on the whole corpus and against Lunr on a 20k-paper subset (Lunr needs
 * minutes and over a gigabyte beyond that), each measurement in a fresh process, medians over --runs
 * runs; then paperbot's warm start from a snapshot. With --scale N: paperbot on an N-paper corpus made
 * from the real one (bench/synthetic.ts) instead.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: process.env.PAPERBOT_BENCH_CORPUS ?? resolve(ROOT, "../shared/corpus/papers.jsonl.gz") },
    cacm: { type: "string", default: process.env.PAPERBOT_BENCH_CACM ?? resolve(ROOT, "../shared/corpus/cacm") },
    runs: { type: "string", default: "3" },
    "competitor-runs": { type: "string", default: "1" },
    subset: { type: "string", default: "20000" },
    queries: { type: "string", default: "1000" },
    typed: { type: "string", default: "60" },
    "known-items": { type: "string", default: "300" },
    scale: { type: "string" },
    /** A folder of extra judged collections, each a subfolder laid out like ../shared/corpus/cacm. */
    collections: { type: "string", default: process.env.PAPERBOT_BENCH_COLLECTIONS },
  },
});

for (const [name, path] of [["corpus", values.corpus], ["cacm", values.cacm]] as const) {
  if (!existsSync(path)) {
    console.error(`bench: no ${name} at ${path} (--${name} PATH or PAPERBOT_BENCH_${name.toUpperCase()})`);
    process.exit(2);
  }
}

/** Runs one task in a fresh process and returns its measurement. */
function measure(task: Task, heapMB = 4096): Measurement {
  const child = spawnSync(process.execPath, [`--max-old-space-size=${heapMB}`, "--expose-gc", "--import", "tsx", join(ROOT, "bench/worker.ts"), JSON.stringify(task)], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = child.stdout.split("\n").find((text) => text.startsWith("RESULT "));
  if (child.status !== 0 || !line) throw new Error(`bench worker failed (${JSON.stringify(task).slice(0, 200)}): exit ${child.status}`);
  return JSON.parse(line.slice("RESULT ".length)) as Measurement;
}

/** The median of every number over `runs` measurements (quality figures are the same in every run). */
function medianOf(runs: Measurement[]): Measurement {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run)))] as Array<keyof Measurement>;
  const numbers = keys.filter((key) => typeof runs[0]?.[key] === "number");
  return { ...runs[0]!, ...Object.fromEntries(numbers.map((key) => [key, median(runs.map((run) => run[key] as number | undefined).filter((value): value is number => value !== undefined))])) };
}

function repeat(label: string, runs: number, task: () => Measurement): Measurement {
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    results.push(task());
    console.error(`bench: ${label}, run ${i + 1}/${runs} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return medianOf(results);
}

const fixed = (value: number | undefined, digits: number) => (value === undefined || Number.isNaN(value) ? "–" : value.toFixed(digits));
const seconds = (ms: number | undefined) => fixed(ms === undefined ? undefined : ms / 1000, 1);

const percent = (value: number | undefined) => (value === undefined ? "–" : `${(value * 100).toFixed(0)}%`);

function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  return [`| ${header.join(" | ")} |`, `|${"---|".repeat(header.length)}`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

function speedTable(rows: Array<{ label: string; m: Measurement }>): string {
  return markdownTable(
    ["engine", "papers", "parse s", "index s", "cold start s", "warm start s", "index heap MB", "RSS MB", "search p50 ms", "search p99 ms", "autocomplete p99 ms", "question p50 ms", "question p99 ms", "hybrid question p99 ms"],
    rows.map(({ label, m }) => [
      label,
      m.papers,
      seconds(m.parseMs),
      seconds(m.indexMs),
      seconds(m.parseMs === undefined || m.indexMs === undefined ? undefined : m.parseMs + m.indexMs),
      seconds(m.warmMs),
      fixed(m.indexHeapMB, 0),
      m.warmRssMB === undefined ? fixed(m.steadyRssMB, 0) : `${fixed(m.steadyRssMB, 0)} cold, ${fixed(m.warmRssMB, 0)} warm`,
      fixed(m.searchP50, 3),
      fixed(m.searchP99, 2),
      fixed(m.suggestP99, 2),
      fixed(m.questionP50, 2),
      fixed(m.questionP99, 2),
      fixed(m.hybridP99, 2),
    ]),
  );
}

function qualityTable(rows: Array<{ label: string; m: Measurement }>): string {
  const collections = rows[0]?.m.collections?.map((collection) => collection.name) ?? [];
  return markdownTable(
    ["engine", "known-item @10 (300 / first 100)", "CACM MRR@10", "CACM nDCG@10", "seed questions top 1 / 3 / 10", "paraphrase / need top 3", "/ask cites the paper", "/ask p50 / p99 ms", "/related: same venue / keyword (random)", "/related p50 / p99 ms", ...collections.map((name) => `${name} MRR@10`)],
    rows.map(({ label, m }) => [
      label,
      `${percent(m.knownItem)} / ${percent(m.knownItem100 ?? m.knownItem)}`,
      fixed(m.mrr, 3),
      fixed(m.ndcg, 3),
      `${percent(m.questionTop1)} / ${percent(m.questionTop3)} / ${percent(m.questionTop10)}`,
      `${percent(m.paraphraseTop3)} / ${percent(m.needTop3)}`,
      m.askCited === undefined ? "–" : `${percent(m.askCited)} (answered ${percent(m.askAnswered)})`,
      m.askP50 === undefined ? "–" : `${fixed(m.askP50, 1)} / ${fixed(m.askP99, 1)}`,
      m.relatedVenue === undefined ? "–" : `${percent(m.relatedVenue)} (${percent(m.randomVenue)}) / ${percent(m.relatedKeyword)} (${percent(m.randomKeyword)})`,
      m.relatedP50 === undefined ? "–" : `${fixed(m.relatedP50, 1)} / ${fixed(m.relatedP99, 1)}`,
      ...collections.map((name) => fixed(m.collections?.find((collection) => collection.name === name)?.mrr, 3)),
    ]),
  );
}

const collections = values.collections
  ? readdirSync(values.collections)
      .map((name) => join(values.collections!, name))
      .filter((dir) => existsSync(join(dir, "qrels.tsv")))
  : [];
const runs = Number(values.runs);
const competitorRuns = Number(values["competitor-runs"]);
const workload = { queries: Number(values.queries), typed: Number(values.typed), knownItems: Number(values["known-items"]) };
/**
 * MiniSearch and Lunr take 20-700 ms a query here, and up to seconds for a 3-letter prefix: fewer queries
 * keep the default run near five minutes.
 */
const competitorWorkload = { queries: Math.min(200, workload.queries), typed: Math.min(5, workload.typed), knownItems: Math.min(100, workload.knownItems), warmup: 20 };
const started = performance.now();
const load = () => loadavg()[0]!.toFixed(1);
console.error(`bench: load average ${load()} on this machine`);

if (values.scale) {
  runScale({ corpus: values.corpus, papers: Number(values.scale), queries: workload.queries, typed: workload.typed, measure });
} else {
  const engine = (engine: EngineName, size?: number) => () =>
    measure({ kind: "engine", engine, corpus: values.corpus, cacm: values.cacm, collections, size, ...(engine === "paperbot" ? workload : competitorWorkload) });
  const subset = Number(values.subset);
  const paperbot = repeat("paperbot", runs, engine("paperbot"));
  const snapshotDir = mkdtempSync(join(tmpdir(), "paperbot-bench-"));
  try {
    measure({ kind: "snapshot", corpus: values.corpus, snapshotDir, queries: 100, typed: 5 });
    const warm = repeat("paperbot warm start", runs, () => measure({ kind: "warm", corpus: values.corpus, snapshotDir, ...workload }));
    Object.assign(paperbot, { warmMs: warm.warmMs, warmRssMB: warm.steadyRssMB });
    console.error(
      `bench: warm start ${seconds(warm.warmMs)} s (process ready after ${seconds(warm.readyMs)} s); RSS ${fixed(warm.rssMB, 0)} MB when ready, ` +
        `${fixed(warm.steadyRssMB, 0)} MB after the queries`,
    );
  } finally {
    rmSync(snapshotDir, { recursive: true, force: true });
  }
  const rows = [
    { label: ENGINE_LABELS.paperbot, m: paperbot },
    { label: ENGINE_LABELS.minisearch, m: repeat("minisearch", competitorRuns, engine("minisearch")) },
    { label: `${ENGINE_LABELS.paperbot}, ${subset / 1000}k subset`, m: repeat("paperbot subset", runs, engine("paperbot", subset)) },
    { label: `${ENGINE_LABELS.lunr}, ${subset / 1000}k subset`, m: repeat("lunr subset", competitorRuns, engine("lunr", subset)) },
  ];
  console.log(speedTable(rows));
  console.log();
  console.log(qualityTable(rows));
  console.log(
    `\npaperbot: medians of ${runs} runs, ${workload.queries} title-derived 1-3 word queries, autocomplete over every prefix (3+ characters) ` +
      `of ${workload.typed} of them, ${workload.knownItems} known-item searches (a paper's two most distinctive title words, found in the top 10?). ` +
      `MiniSearch and Lunr: ${competitorRuns} run(s), ${competitorWorkload.queries} queries, ${competitorWorkload.typed} typed, ${competitorWorkload.knownItems} known items. ` +
      `Every run in a fresh process; calls timed after 200 untimed ones (MiniSearch, Lunr: 20); a search is a page of 5 results (paperbot: with snippets). Warm start: openSearch from a snapshot, ` +
      `papers included. RSS: after the queries, garbage collected (a running bot). ` +
      `Every engine indexes the corpus with the 58 seed papers hidden among it; seed questions: the 116 of bench/questions/seed-questions.jsonl. ` +
      `Question latency: those questions and CACM's 64 queries at this corpus size; hybrid adds a search over random 768-dimension vectors and the fusion (the endpoint's own time not counted). ` +
      `Load average ${load()} (this machine is shared).`,
  );
}
console.error(`bench: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
