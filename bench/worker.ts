import { loadCorpus } from "../src/corpus/load.ts";
import type { Paper } from "../src/corpus/paper.ts";
import { basename } from "node:path";
import { SearchEngine } from "../src/search/engine.ts";
import { openSearch } from "../src/search/open-search.ts";
import { evaluate, loadCacm } from "./cacm.ts";
import { buildEngine, type BenchEngine, type EngineName } from "./engines.ts";
import { percentile, timeEach } from "./stats.ts";
import { writeSyntheticCorpus } from "./synthetic.ts";
import { knownItems, titleQueries, typedPrefixes } from "./workload.ts";
import { askQuality, loadSeedQuestions, questionHits, questionLatency, SEED_CORPUS } from "./questions.ts";
import { relatedQuality } from "./related.ts";

/**
 * One measurement in a fresh process (started by bench/run.ts with --expose-gc), so that every engine's
 * memory and timings are its own. Prints one line: RESULT <json>.
 */

export type Task =
  | { kind: "engine"; engine: EngineName; corpus: string; size?: number; cacm: string; collections?: string[]; queries: number; typed: number; knownItems: number; warmup?: number }
  | { kind: "snapshot"; corpus: string; snapshotDir: string; queries: number; typed: number }
  | { kind: "warm"; corpus: string; snapshotDir: string; queries: number; typed: number }
  | { kind: "synthesize"; corpus: string; papers: number; path: string };

export interface Measurement {
  papers: number;
  parseMs?: number;
  indexMs?: number;
  warmMs?: number;
  /** Cold start through openSearch: corpus key, parse and index. */
  coldMs?: number;
  warmRssMB?: number;
  /** From process start (module loading included) to ready. */
  readyMs?: number;
  heapMB: number;
  indexHeapMB?: number;
  /** Right after the build or the warm start, garbage collected. */
  rssMB: number;
  /** After the timed queries, garbage collected: the running bot. */
  steadyRssMB?: number;
  searchP50?: number;
  searchP99?: number;
  suggestP99?: number;
  knownItem?: number;
  /** On the first 100 known items: the ones MiniSearch and Lunr are measured on. */
  knownItem100?: number;
  mrr?: number;
  ndcg?: number;
  questionTop1?: number;
  questionTop3?: number;
  questionTop10?: number;
  paraphraseTop3?: number;
  needTop3?: number;
  questionP50?: number;
  questionP99?: number;
  hybridP99?: number;
  /** /ask without a model: the seed question's paper among the cited sources; answered at all; latency. */
  askCited?: number;
  askAnswered?: number;
  askP50?: number;
  askP99?: number;
  /** /related (bench/related.ts): its 5 papers sharing the venue series / a keyword, against 5 random ones; latency. */
  relatedVenue?: number;
  randomVenue?: number;
  relatedKeyword?: number;
  randomKeyword?: number;
  relatedP50?: number;
  relatedP99?: number;
  /** MRR@10 and nDCG@10 on each extra judged collection (--collections). */
  collections?: Array<{ name: string; mrr: number; ndcg: number }>;
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();
/** Lets openSearch's start-up work (sorting the vocabulary) run, as it does in a bot before its first query. */
const afterStartUp = () => new Promise((resolve) => setImmediate(resolve));
const mb = (bytes: number) => bytes / 1e6;

/**
 * Search and autocomplete latencies, each call timed once after `warmup` untimed calls (a bot answers for
 * hours: its steady state is what users meet; MiniSearch and Lunr get fewer, their calls take 100x longer).
 */
function timings(engine: BenchEngine, papers: readonly Paper[], queries: number, typed: number, warmup = 200): Pick<Measurement, "searchP50" | "searchP99" | "suggestP99" | "steadyRssMB"> {
  const searches = titleQueries(papers, queries);
  // A page as the bot shows it: five results (with snippets, for paperbot).
  const searchTimes = timeEach(searches, (query) => engine.search(query, 5), warmup);
  const suggestTimes = timeEach(typedPrefixes(searches.slice(0, typed)), (text) => engine.suggest(text, 25), warmup);
  gc();
  return {
    searchP50: percentile(searchTimes, 0.5),
    searchP99: percentile(searchTimes, 0.99),
    suggestP99: percentile(suggestTimes, 0.99),
    steadyRssMB: mb(process.memoryUsage().rss),
  };
}

async function engineTask(task: Extract<Task, { kind: "engine" }>): Promise<Measurement> {
  const started = performance.now();
  let papers = (await loadCorpus(task.corpus)).papers;
  const parseMs = performance.now() - started;
  if (task.size) papers = papers.slice(0, task.size);
  // The seed papers hide among the others, for the questions about them.
  const seed = (await loadCorpus(SEED_CORPUS)).papers;
  const all = [...papers, ...seed];
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const indexStarted = performance.now();
  const searchEngine = task.engine === "paperbot" ? new SearchEngine(all) : undefined;
  const engine = searchEngine ? benchEngineOf(searchEngine) : buildEngine(task.engine, all);
  const indexMs = performance.now() - indexStarted;
  gc();
  const memory = process.memoryUsage();
  const measured = timings(engine, papers, task.queries, task.typed, task.warmup);
  const items = knownItems(papers, task.knownItems);
  const found = items.map((item) => engine.search(item.query, 10).includes(item.id));
  const cacm = loadCacm(task.cacm);
  const cacmEngine = buildEngine(task.engine, cacm.papers);
  const quality = evaluate(cacm, (query) => cacmEngine.search(query, 10));
  const questions = loadSeedQuestions();
  const asked = questionHits(engine, all, questions);
  const collections = (task.collections ?? []).map((dir) => {
    const collection = loadCacm(dir);
    const collectionEngine = buildEngine(task.engine, collection.papers);
    return { name: basename(dir), ...evaluate(collection, (query) => collectionEngine.search(query, 10)) };
  });
  const asking = searchEngine ? await askQuality(searchEngine, all, questions) : undefined;
  const related = searchEngine ? relatedQuality(searchEngine, papers) : {};
  // Last: the random vectors it builds would count in the memory figures above.
  const latency = searchEngine ? questionLatency(searchEngine, all, [...questions.map((question) => question.question), ...cacm.queries.map((query) => query.text)]) : undefined;
  return {
    papers: all.length,
    parseMs,
    indexMs,
    heapMB: mb(memory.heapUsed),
    indexHeapMB: mb(memory.heapUsed - heapBefore),
    rssMB: mb(memory.rss),
    ...measured,
    knownItem: found.filter(Boolean).length / items.length,
    knownItem100: found.slice(0, 100).filter(Boolean).length / Math.min(100, items.length),
    ...quality,
    questionTop1: asked.top1,
    questionTop3: asked.top3,
    questionTop10: asked.top10,
    paraphraseTop3: asked.paraphraseTop3,
    needTop3: asked.needTop3,
    questionP50: latency?.lexicalP50,
    questionP99: latency?.lexicalP99,
    hybridP99: latency?.hybridP99,
    askCited: asking?.cited,
    askAnswered: asking?.answered,
    askP50: asking?.p50,
    askP99: asking?.p99,
    ...related,
    collections,
  };
}

/** Cold start through openSearch (as the bot starts), then waits for the snapshot to be written. */
async function snapshotTask(task: Extract<Task, { kind: "snapshot" }>): Promise<Measurement> {
  const started = performance.now();
  const opened = await openSearch(task.corpus, { snapshotDir: task.snapshotDir, rebuild: true });
  const readyMs = performance.now();
  await afterStartUp();
  gc();
  const memory = process.memoryUsage();
  const papers = opened.corpus.papers;
  const measured = timings(benchEngineOf(opened.engine), papers, task.queries, task.typed);
  await opened.snapshotWritten;
  return { papers: papers.length, parseMs: opened.corpus.loadMs, coldMs: readyMs - started, readyMs, heapMB: mb(memory.heapUsed), rssMB: mb(memory.rss), ...measured };
}

async function warmTask(task: Extract<Task, { kind: "warm" }>): Promise<Measurement> {
  const started = performance.now();
  const opened = await openSearch(task.corpus, { snapshotDir: task.snapshotDir });
  const readyMs = performance.now();
  await afterStartUp();
  if (opened.source !== "snapshot") throw new Error("warm start did not use the snapshot");
  gc();
  const memory = process.memoryUsage();
  const measured = timings(benchEngineOf(opened.engine), opened.corpus.papers, task.queries, task.typed);
  return { papers: opened.corpus.papers.length, warmMs: readyMs - started, readyMs, heapMB: mb(memory.heapUsed), rssMB: mb(memory.rss), ...measured };
}

function benchEngineOf(engine: Awaited<ReturnType<typeof openSearch>>["engine"]): BenchEngine {
  return {
    search: (query, limit) => engine.search(query, { pageSize: limit }).hits.map((hit) => hit.paper.id),
    suggest: (text, limit) => engine.suggest(text, limit).map((paper) => paper.id),
  };
}

async function synthesizeTask(task: Extract<Task, { kind: "synthesize" }>): Promise<Measurement> {
  const real = (await loadCorpus(task.corpus)).papers;
  await writeSyntheticCorpus(real, task.papers, task.path);
  return { papers: task.papers, heapMB: mb(process.memoryUsage().heapUsed), rssMB: mb(process.memoryUsage().rss) };
}

const task = JSON.parse(process.argv[2] ?? "{}") as Task;
const run = { engine: engineTask, snapshot: snapshotTask, warm: warmTask, synthesize: synthesizeTask }[task.kind] as (task: Task) => Promise<Measurement>;
console.log(`RESULT ${JSON.stringify(await run(task))}`);
