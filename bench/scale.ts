import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Measurement, Task } from "./worker.ts";

/**
 * The scale run: paperbot on a corpus of `papers` papers made from the real one (bench/synthetic.ts),
 * written as JSON Lines to a temporary folder and started like the bot: a cold start that indexes and
 * writes a snapshot, then a warm start from that snapshot. Needs a big heap: the workers get 12 GB.
 */
export function runScale(options: { corpus: string; papers: number; queries: number; typed: number; measure: (task: Task, heapMB?: number) => Measurement }): void {
  const { measure } = options;
  const dir = mkdtempSync(join(tmpdir(), "paperbot-scale-"));
  const heap = 12288;
  try {
    const path = join(dir, "corpus.jsonl");
    let started = performance.now();
    measure({ kind: "synthesize", corpus: options.corpus, papers: options.papers, path }, heap);
    console.error(`bench: wrote ${options.papers} papers (${(statSync(path).size / 1e9).toFixed(2)} GB) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const snapshotDir = join(dir, "snapshots");
    started = performance.now();
    const cold = measure({ kind: "snapshot", corpus: path, snapshotDir, queries: options.queries, typed: options.typed }, heap);
    console.error(`bench: cold start and snapshot in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const warm = measure({ kind: "warm", corpus: path, snapshotDir, queries: options.queries, typed: options.typed }, heap);
    const s = (ms: number | undefined) => (ms === undefined ? "–" : (ms / 1000).toFixed(1));
    const f = (value: number | undefined, digits: number) => (value === undefined ? "–" : value.toFixed(digits));
    console.log("| papers | cold start s (parse + index) | of which parse s | warm start s | RSS MB cold / warm | search p50 ms | search p99 ms | autocomplete p99 ms |");
    console.log("|---|---|---|---|---|---|---|---|");
    console.log(
      `| ${cold.papers} | ${s(cold.coldMs)} | ${s(cold.parseMs)} | ${s(warm.warmMs)} | ${f(cold.steadyRssMB, 0)} / ${f(warm.steadyRssMB, 0)} | ` +
        `${f(warm.searchP50, 3)} | ${f(warm.searchP99, 2)} | ${f(warm.suggestP99, 2)} |`,
    );
    console.log(
      `\nOne run. Timings in the warm-started process (the cold-started one: p50 ${f(cold.searchP50, 3)} ms, p99 ${f(cold.searchP99, 2)} ms); ` +
        `${options.queries} title-derived queries, pages of 5 with snippets. RSS after the queries, garbage collected; ` +
        `right after start-up: ${f(cold.rssMB, 0)} / ${f(warm.rssMB, 0)} MB.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
