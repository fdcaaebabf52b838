import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { mergeDuplicates } from "./merge.ts";
import type { Paper } from "./paper.ts";
import type { LoadProblem, Parsed } from "./problems.ts";
import { parseCorpusFile } from "./read-corpus-stream.ts";

/** An unreadable or empty corpus: the one start-up error a user sees instead of a stack trace. */
export class CorpusError extends Error {
  override name = "CorpusError";
}

export interface Corpus {
  papers: Paper[];
  problems: LoadProblem[];
  files: string[];
  duplicatesMerged: number;
  loadMs: number;
}

const CORPUS_FILE = /\.(txt|json|jsonl|ndjson)(\.gz)?$/i;

export async function corpusFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new CorpusError(`CORPUS_PATH ${path} does not exist or cannot be read`);
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((name) => !name.startsWith(".") && CORPUS_FILE.test(name)).sort();
  return names.map((name) => join(path, name));
}

/**
 * Loads every corpus file under `path` (a file or a folder). Bad records are reported and skipped; the
 * load fails only when nothing at all can be read.
 */
export async function loadCorpus(path: string): Promise<Corpus> {
  const started = performance.now();
  const files = await corpusFiles(path);
  const all: Paper[] = [];
  const problems: LoadProblem[] = [];
  for (const file of files) {
    let parsed: Parsed<Paper>;
    try {
      parsed = await parseCorpusFile(file);
    } catch (error) {
      problems.push({ file, reason: `cannot read: ${(error as Error).message}` });
      continue;
    }
    for (const paper of parsed.records) all.push(paper);
    problems.push(...parsed.problems);
  }
  if (all.length === 0) {
    const detail = files.length ? `${files.length} file(s), ${problems.length} problem(s)` : "no corpus files (.txt, .json, .jsonl, optionally .gz)";
    throw new CorpusError(`no papers could be loaded from ${path}: ${detail}`);
  }
  const { papers, merged } = mergeDuplicates(all);
  return { papers, problems, files, duplicatesMerged: merged, loadMs: performance.now() - started };
}
