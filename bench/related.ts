import type { Paper } from "../src/corpus/paper.ts";
import type { SearchEngine } from "../src/search/engine.ts";
import { percentile, seededRandom } from "./stats.ts";

/** A venue without its year: "ECCV 2022" and "ECCV 2018" are one series. */
const series = (venue: string | undefined) => venue?.replace(/\s*'?\d{2,4}\s*$/, "").trim().toLowerCase() || undefined;
const sharesKeyword = (a: Paper, b: Paper) => a.keywords.some((keyword) => b.keywords.includes(keyword));

/**
 * /related's quality without judgments: how often the 5 papers it finds for a paper share the paper's
 * venue series or one of its keywords, against 5 papers drawn at random (what "no better than chance"
 * would give), over `samples` papers that have a venue; and its latency.
 */
export function relatedQuality(engine: SearchEngine, papers: readonly Paper[], samples = 500, seed = 5): Record<string, number> {
  const random = seededRandom(seed);
  const pick = () => papers[Math.floor(random() * papers.length)]!;
  const withVenue = papers.filter((paper) => series(paper.venue));
  const withKeywords = papers.filter((paper) => paper.keywords.length > 0);
  const share = (sources: readonly Paper[], same: (a: Paper, b: Paper) => boolean) => {
    let related = 0;
    let chance = 0;
    let count = 0;
    const times: number[] = [];
    for (let i = 0; i < samples && sources.length; i++) {
      const source = sources[Math.floor(random() * sources.length)]!;
      const started = performance.now();
      const found = engine.related(source, 5);
      times.push(performance.now() - started);
      related += found.filter((other) => same(source, other)).length;
      chance += Array.from({ length: 5 }, pick).filter((other) => other.id !== source.id && same(source, other)).length;
      count += 5;
    }
    return { related: related / count, chance: chance / count, times };
  };
  const venue = share(withVenue, (a, b) => series(a.venue) === series(b.venue));
  const keyword = share(withKeywords, sharesKeyword);
  const times = [...venue.times, ...keyword.times];
  return {
    relatedVenue: venue.related,
    randomVenue: venue.chance,
    relatedKeyword: keyword.related,
    randomKeyword: keyword.chance,
    relatedP50: percentile(times, 0.5),
    relatedP99: percentile(times, 0.99),
  };
}
