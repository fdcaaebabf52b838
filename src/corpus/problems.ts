/** A record or file a loader could not use: reported, skipped and counted, never fatal on its own. */
export interface LoadProblem {
  file: string;
  /** 1-based line in the file, when the record has one. */
  line?: number;
  reason: string;
}

export interface Parsed<T> {
  records: T[];
  problems: LoadProblem[];
}

export function formatProblem(problem: LoadProblem): string {
  return `${problem.file}${problem.line ? `:${problem.line}` : ""}: ${problem.reason}`;
}
