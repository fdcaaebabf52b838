import type { Paper } from "../corpus/paper.ts";
import { pauser } from "../responsiveness.ts";
import type { SearchEngine } from "./engine.ts";

/**
 * Papers into the live index (a paper with a known id replaces the old one), a few milliseconds at a time
 * with a turn of the event loop between, so that a big arrival never keeps interactions waiting.
 */
export async function addLive(engine: SearchEngine, papers: readonly Paper[]): Promise<void> {
  const pause = pauser();
  for (const paper of papers) {
    engine.add(paper);
    await pause();
  }
}
