import type { SearchEngine, SearchPage } from "../search/engine.ts";
import { FUSION_DEPTH } from "../search/tuning.ts";
import type { SemanticSearch } from "./semantic-search.ts";

/**
 * A page of results: a question is ranked by meaning too when there is an embeddings endpoint (and it
 * answers); keywords by words alone. What /search and /ask retrieve with.
 */
export async function hybridSearch(engine: SearchEngine, semantic: SemanticSearch | undefined, query: string, options: { page?: number; pageSize?: number } = {}): Promise<SearchPage> {
  const similar = semantic && engine.isRequest(query) ? await semantic.similar(query, FUSION_DEPTH) : undefined;
  return engine.search(query, { ...options, similar, meaningWeight: semantic?.weight });
}
