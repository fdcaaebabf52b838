import type { Paper } from "../../corpus/paper.ts";
import type { Parsed } from "../../corpus/problems.ts";
import { parseCorpusFile } from "../../corpus/read-corpus-stream.ts";
import { emptyBatch, messageOf, type SourceBatch } from "../types.ts";

/**
 * Any file the corpus loader understands: our JSON or JSON Lines records, a saved Daily Papers page, or a
 * Hugging Face API response saved to disk; gzipped or not. The format is chosen by content, as at start-up,
 * so a file that loads from data/ also ingests.
 */
export async function readFileSource(path: string): Promise<SourceBatch> {
  const batch = emptyBatch();
  let parsed: Parsed<Paper>;
  try {
    parsed = await parseCorpusFile(path);
  } catch (error) {
    batch.errors.push({ source: path, message: `cannot read: ${messageOf(error)}` });
    return batch;
  }
  batch.papers.push(...parsed.records);
  for (const problem of parsed.problems) {
    // A problem with a line is one bad record; one without is the whole file.
    if (problem.line !== undefined) batch.rejected.push({ source: `${problem.file}:${problem.line}`, reason: problem.reason });
    else batch.errors.push({ source: problem.file, message: problem.reason });
  }
  return batch;
}
