import lunr from "lunr";
import MiniSearch from "minisearch";
import type { Paper } from "../src/corpus/paper.ts";
import { SearchEngine } from "../src/search/engine.ts";

/**
 * The engines compared, behind one interface: ranked paper ids for a query, and for text being typed.
 * Each indexes title, authors and abstract, with the title boosted over authors over abstract (3/2/1)
 * where the engine has boosts, and each answers with its default semantics (OR for MiniSearch and Lunr).
 */
export interface BenchEngine {
  search(query: string, limit: number): string[];
  suggest(text: string, limit: number): string[];
}

export type EngineName = "paperbot" | "minisearch" | "lunr";

export const ENGINE_LABELS: Record<EngineName, string> = {
  paperbot: "paperbot (FlexSearch + BM25F)",
  minisearch: "MiniSearch 7 (OR)",
  lunr: "Lunr 2 (OR)",
};

export function buildEngine(name: EngineName, papers: readonly Paper[]): BenchEngine {
  if (name === "paperbot") return paperbot(papers);
  if (name === "minisearch") return minisearch(papers);
  return lunrEngine(papers);
}

function paperbot(papers: readonly Paper[]): BenchEngine {
  const engine = new SearchEngine(papers);
  return {
    // search() builds the page as the bot shows it: ranking plus snippets.
    search: (query, limit) => engine.search(query, { pageSize: limit }).hits.map((hit) => hit.paper.id),
    suggest: (text, limit) => engine.suggest(text, limit).map((paper) => paper.id),
  };
}

function minisearch(papers: readonly Paper[]): BenchEngine {
  const index = new MiniSearch<Paper>({
    fields: ["title", "authors", "abstract"],
    extractField: (paper, field) => (field === "authors" ? paper.authors.join(" ") : String(paper[field as keyof Paper] ?? "")),
    searchOptions: { boost: { title: 3, authors: 2 } },
  });
  index.addAll(papers as Paper[]);
  const lastTermOnly = (_term: string, i: number, terms: string[]) => i === terms.length - 1;
  return {
    search: (query, limit) => index.search(query).slice(0, limit).map((result) => String(result.id)),
    suggest: (text, limit) =>
      index
        .search(text, { prefix: lastTermOnly })
        .slice(0, limit)
        .map((result) => String(result.id)),
  };
}

function lunrEngine(papers: readonly Paper[]): BenchEngine {
  const index = lunr(function () {
    this.ref("id");
    this.field("title", { boost: 3 });
    this.field("authors", { boost: 2 });
    this.field("abstract");
    for (const paper of papers) this.add({ id: paper.id, title: paper.title, authors: paper.authors.join(" "), abstract: paper.abstract });
  });
  // Lunr parses its own query syntax (field:term, term~1, +term): keep only the words.
  const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const search = (query: string) => {
    try {
      return index.search(query);
    } catch {
      return [];
    }
  };
  return {
    search: (query, limit) => search(words(query).join(" ")).slice(0, limit).map((result) => result.ref),
    suggest: (text, limit) => {
      const terms = words(text);
      if (terms.length === 0) return [];
      return search([...terms.slice(0, -1), `${terms.at(-1)}*`].join(" ")).slice(0, limit).map((result) => result.ref);
    },
  };
}
