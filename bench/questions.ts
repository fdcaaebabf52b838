import { readFileSync } from "node:fs";
import { pino } from "pino";
import { Asker } from "../src/ask/asker.ts";
import { fileURLToPath } from "node:url";
import { quantize, VectorIndex } from "../src/embeddings/vector-index.ts";
import type { Paper } from "../src/corpus/paper.ts";
import { SearchEngine } from "../src/search/engine.ts";
import { FUSION_DEPTH } from "../src/search/tuning.ts";
import type { BenchEngine } from "./engines.ts";
import { percentile, seededRandom, timeEach } from "./stats.ts";

/**
 * Natural-language questions about the 58 seed papers (bench/questions/seed-questions.jsonl, two per
 * paper: a paraphrase of what it does, and a need it answers, in other words than its title), asked
 * with the seed hidden among the big corpus: is the paper that answers first, in the top 3, in the top 10?
 * Written for measuring only: nothing is tuned on them (tuning is on CACM alone).
 */

export interface SeedQuestion {
  title: string;
  question: string;
  style: "paraphrase" | "need";
}

export const SEED_CORPUS = fileURLToPath(new URL("../data/daily-papers-aug-4.txt", import.meta.url));

export function loadSeedQuestions(): SeedQuestion[] {
  const file = fileURLToPath(new URL("./questions/seed-questions.jsonl", import.meta.url));
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as SeedQuestion);
}

/** Share of questions whose paper is in the first `k` results, per style and overall. */
export function questionHits(engine: BenchEngine, papers: readonly Paper[], questions: readonly SeedQuestion[]): { top1: number; top3: number; top10: number; paraphraseTop3: number; needTop3: number } {
  const byTitle = new Map(papers.map((paper) => [paper.title, paper.id]));
  const ranks = questions.map((question) => engine.search(question.question, 10).indexOf(byTitle.get(question.title) ?? ""));
  const share = (k: number, style?: string) => {
    const picked = ranks.filter((_, i) => !style || questions[i]!.style === style);
    return picked.filter((rank) => rank >= 0 && rank < k).length / picked.length;
  };
  return { top1: share(1), top3: share(3), top10: share(10), paraphraseTop3: share(3, "paraphrase"), needTop3: share(3, "need") };
}

/**
 * Question latency at this corpus size: by words alone, and hybrid: the same plus a vector search over
 * one 768-dimension vector per paper and the fusion (vectors are random: this measures cost, not
 * quality; the endpoint's own time is not counted).
 */
export function questionLatency(engine: SearchEngine, papers: readonly Paper[], questions: readonly string[]): { lexicalP50: number; lexicalP99: number; hybridP99: number } {
  const lexical = timeEach(questions, (question) => engine.search(question, { pageSize: 5 }), 20);
  const dims = 768;
  const random = seededRandom(11);
  const vectors = new VectorIndex(dims);
  const vector = () => Float32Array.from({ length: dims }, () => random() * 2 - 1);
  for (const paper of papers) {
    const { values, scale } = quantize(vector());
    vectors.set(paper.id, values, scale);
  }
  const queryVectors = new Map(questions.map((question) => [question, vector()]));
  const hybrid = timeEach(questions, (question) => {
    const similar = vectors.search(queryVectors.get(question)!, FUSION_DEPTH).map((hit) => ({ id: hit.key, score: hit.score }));
    return engine.search(question, { pageSize: 5, similar });
  }, 20);
  return { lexicalP50: percentile(lexical, 0.5), lexicalP99: percentile(lexical, 0.99), hybridP99: percentile(hybrid, 0.99) };
}

/**
 * /ask offline at this corpus size: for each seed question, is the paper that answers it among the
 * answer's cited sources, and how long does an extracted answer take (in process, no model).
 */
export async function askQuality(engine: SearchEngine, papers: readonly Paper[], questions: readonly SeedQuestion[]): Promise<{ cited: number; answered: number; p50: number; p99: number }> {
  const asker = new Asker({ engine, logger: pino({ level: "silent" }), modelAnswersPerHour: 0, maxConcurrent: 0 });
  const byTitle = new Map(papers.map((paper) => [paper.title, paper.id]));
  let cited = 0;
  let answered = 0;
  const times: number[] = [];
  for (const question of questions) {
    const started = performance.now();
    const answer = await asker.ask(question.question, { userId: "bench" });
    times.push(performance.now() - started);
    if (answer.mode !== "nothing") answered++;
    if (answer.cited.some((n) => answer.sources[n - 1]?.id === byTitle.get(question.title))) cited++;
  }
  return { cited: cited / questions.length, answered: answered / questions.length, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}
