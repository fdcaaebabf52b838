import { pino } from "pino";
import { buildApp } from "../../src/app.ts";
import { makePaper, type PaperFields } from "../../src/corpus/make-paper.ts";
import type { Paper } from "../../src/corpus/paper.ts";

/** A paper from just the fields a test cares about. */
export function paper(fields: Partial<PaperFields> & { title: string }): Paper {
  return makePaper({ source: "test", ...fields });
}

/** The real command runner over the given papers, with a silent logger and a pinned random source. */
export function appWith(papers: Paper[], random: () => number = () => 0) {
  return buildApp({ papers, problems: [], files: ["test"], duplicatesMerged: 0, loadMs: 1 }, { logger: pino({ level: "silent" }), random });
}
