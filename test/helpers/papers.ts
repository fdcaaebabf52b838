import { pino } from "pino";
import { commandRunner } from "../../src/app.ts";
import { makePaper, type PaperFields } from "../../src/corpus/make-paper.ts";
import type { Paper } from "../../src/corpus/paper.ts";
import type { Reply } from "../../src/render/reply.ts";
import { SearchEngine } from "../../src/search/engine.ts";
import type { QueryStore } from "../../src/store/queries.ts";

/** A paper from just the fields a test cares about. */
export function paper(fields: Partial<PaperFields> & { title: string }): Paper {
  return makePaper({ source: "test", ...fields });
}

/** The custom ids of a reply's action buttons, in order (link buttons have none). */
export function buttonIds(reply: Reply): string[] {
  return (reply.buttons ?? []).flat().flatMap((button) => ("customId" in button ? [button.customId] : []));
}

/** The real command runner over the given papers, with a silent logger and a pinned random source. */
export function appWith(papers: Paper[], random: () => number = () => 0, extra: { queries?: QueryStore } = {}) {
  return commandRunner({ papers, problems: [], files: ["test"], duplicatesMerged: 0, loadMs: 1 }, { engine: new SearchEngine(papers), logger: pino({ level: "silent" }), random, ...extra });
}
