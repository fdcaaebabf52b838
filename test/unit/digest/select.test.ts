import { describe, expect, it } from "vitest";
import { newestFirst } from "../../../src/corpus/listing-order.ts";
import { selectPapers, upvotedFirst } from "../../../src/digest/select.ts";
import { formatTopics, parseTopics, topicTest, type Topics } from "../../../src/search/query/topics.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { paper } from "../../helpers/papers.ts";
import { seededRandom } from "../../../bench/stats.ts";

const none: Topics = { include: [], exclude: [] };
const ids = (papers: Iterable<{ id: string }>) => Array.from(papers, (item) => item.id);

describe("parseTopics", () => {
  it.each<[string | undefined, Topics]>([
    [undefined, none],
    ["", none],
    [" , ,", none],
    ["diffusion, reinforcement learning -survey", { include: [["diffusion"], ["reinforcement", "learning"]], exclude: ["survey"] }],
    ["Diffusion,  DIFFUSION", { include: [["diffusion"]], exclude: [] }],
    ["Café Müller", { include: [["cafe", "muller"]], exclude: [] }],
    ["-survey -Benchmark", { include: [], exclude: ["survey", "benchmark"] }],
    ["self-supervised", { include: [["self", "supervised"]], exclude: [] }],
    ["robots -self-supervised", { include: [["robots"]], exclude: ["self supervised"] }],
    ["LLM; agents", { include: [["llm"], ["agents"]], exclude: [] }],
    ["-", none],
  ])("%j", (text, topics) => expect(parseTopics(text)).toEqual(topics));

  it("formats back to text that parses the same", () => {
    const topics = parseTopics("diffusion, reinforcement learning -survey -self-supervised");
    expect(formatTopics(topics)).toBe("diffusion, reinforcement learning, -survey, -self-supervised");
    expect(parseTopics(formatTopics(topics))).toEqual(topics);
    expect(formatTopics(none)).toBe("");
  });
});

describe("topicTest (the search index's topic matcher)", () => {
  const diffusion = paper({ id: "p1", title: "Diffusion Models for Robots", abstract: "We train a policy with reinforcement-learning." });
  const survey = paper({ id: "p2", title: "A Survey of Diffusion", abstract: "Everything about denoising." });
  const accented = paper({ id: "p3", title: "Réseaux de neurones", abstract: "Über alles.", keywords: ["Graph Learning"] });
  const transformers = paper({ id: "p4", title: "Transformers are LLMs", abstract: "", authors: ["Ada Lovelace"] });
  const engine = new SearchEngine([diffusion, survey, accented, transformers]);
  const on = (topics: string) => ids(engine.all().filter(topicTest(engine, parseTopics(topics))));

  it("matches any include phrase, needing all of its words, in any order, anywhere in the paper", () => {
    expect(on("diffusion")).toEqual(["p1", "p2"]);
    expect(on("learning reinforcement")).toEqual(["p1"]);
    expect(on("reinforcement learning, quantum")).toEqual(["p1"]);
    expect(on("quantum")).toEqual([]);
    expect(on("diffusion quantum")).toEqual([]);
    expect(on("lovelace")).toEqual(["p4"]);
  });

  it("ignores case and accents, and reads keywords", () => {
    expect(on("RESEAUX")).toEqual(["p3"]);
    expect(on("über")).toEqual(["p3"]);
    expect(on("graph learning")).toEqual(["p3"]);
  });

  it("finds every form of a word, as search does (stemming), and no word by a typo or prefix", () => {
    expect(on("transformer")).toEqual(["p4"]);
    expect(on("llm")).toEqual(["p4"]);
    expect(on("policies")).toEqual(["p1"]);
    expect(on("model")).toEqual(["p1"]);
    expect(on("-surveys")).toEqual(["p1", "p3", "p4"]);
    expect(on("difusion")).toEqual([]);
    expect(on("diffus")).toEqual([]);
  });

  it("agrees with /random's topic: both are the index's topic matcher", () => {
    expect(ids(engine.onTopic(["diffusion models"]))).toEqual(on("diffusion models"));
  });

  it("excludes a paper with every word of an excluded phrase; no include matches everything else", () => {
    expect(on("diffusion -survey")).toEqual(["p1"]);
    expect(on("-survey")).toEqual(["p1", "p3", "p4"]);
    expect(ids(engine.all().filter(topicTest(engine, none)))).toEqual(["p1", "p2", "p3", "p4"]);
    expect(on("-reinforcement-learning")).toEqual(["p2", "p3", "p4"]);
  });
});

describe("newestFirst", () => {
  it("newest listing first (else published), then upvotes, then input order; undated last", () => {
    const papers = [
      paper({ id: "undated", title: "Undated" }),
      paper({ id: "old", title: "Old", listed: "2024-08-01", upvotes: 99 }),
      paper({ id: "new-few", title: "New few", listed: "2024-08-04", upvotes: 3 }),
      paper({ id: "new-many", title: "New many", listed: "2024-08-04", upvotes: 40 }),
      paper({ id: "new-none", title: "New no votes", listed: "2024-08-04" }),
      paper({ id: "new-many-2", title: "New many second", listed: "2024-08-04", upvotes: 40 }),
      paper({ id: "published", title: "Published only", published: "2024-08-02" }),
      paper({ id: "year", title: "Year only", published: "2023" }),
    ];
    expect(ids(newestFirst(papers))).toEqual(["new-many", "new-many-2", "new-few", "new-none", "published", "old", "year", "undated"]);
  });

  it("ranks a year-less listing as its month-day", () => {
    const yearless = [
      paper({ id: "aug3", title: "A", listed: "--08-03" }),
      paper({ id: "aug4", title: "B", listed: "--08-04" }),
      paper({ id: "jul30", title: "C", listed: "--07-30" }),
      paper({ id: "none", title: "D" }),
    ];
    expect(ids(newestFirst(yearless))).toEqual(["aug4", "aug3", "jul30", "none"]);
    // Mixed with full dates: in the latest year where that month-day is not after the newest full date
    // (2024-08-03), so "--08-03" is 2024-08-03 (fewer upvotes) and "--08-04" is 2023-08-04.
    const mixed = [...yearless, paper({ id: "2024-08-03b", title: "E", listed: "2024-08-03", upvotes: 1 }), paper({ id: "2023-12-01", title: "F", listed: "2023-12-01" })];
    expect(ids(newestFirst(mixed))).toEqual(["2024-08-03b", "aug3", "jul30", "2023-12-01", "aug4", "none"]);
  });
});

describe("the engine's newest-first order", () => {
  it("stays equal to a full sort as papers are added and replaced, one at a time or many", () => {
    const random = seededRandom(11);
    const dated = (id: string) => paper({ id, title: `Paper ${id}`, listed: random() < 0.2 ? `--08-0${1 + Math.floor(random() * 9)}` : `2024-0${1 + Math.floor(random() * 8)}-1${Math.floor(random() * 9)}`, upvotes: Math.floor(random() * 5) });
    const engine = new SearchEngine(Array.from({ length: 300 }, (_, i) => dated(`p${i}`)));
    expect(ids(engine.newestFirst())).toEqual(ids(newestFirst(engine.all())));
    for (const batch of [1, 3, 10, 40]) {
      for (let i = 0; i < batch; i++) engine.add(random() < 0.5 ? dated(`p${Math.floor(random() * 300)}`) : dated(`new${batch}-${i}`));
      expect(ids(engine.newestFirst())).toEqual(ids(newestFirst(engine.all())));
    }
    // A newer full date moves every year-less listing to its year.
    engine.add(paper({ id: "newest", title: "Newest", listed: "2025-08-05" }));
    expect(ids(engine.newestFirst())).toEqual(ids(newestFirst(engine.all())));
    const order = Array.from(engine.newestFirst(), (item) => item.listed ?? "");
    expect(order.findIndex((listed) => listed.startsWith("--"))).toBeLessThan(order.findIndex((listed) => listed.startsWith("2024")));
    // And back when that paper is re-dated; read twice, the order is the same.
    engine.add(paper({ id: "newest", title: "Newest", listed: "2023-01-01" }));
    expect(ids(engine.newestFirst())).toEqual(ids(newestFirst(engine.all())));
    const order2 = engine.newestFirst();
    expect(ids(order2)).toEqual(ids(order2));
  });
});

describe("selectPapers", () => {
  const corpus = [
    paper({ id: "a", title: "Diffusion A", listed: "2024-08-01", upvotes: 5 }),
    paper({ id: "b", title: "Diffusion B", listed: "2024-08-04", upvotes: 1 }),
    paper({ id: "c", title: "Diffusion C survey", listed: "2024-08-04", upvotes: 9 }),
    paper({ id: "d", title: "Robots D", listed: "2024-08-03" }),
    paper({ id: "e", title: "Diffusion E", listed: "2024-08-02" }),
  ];
  const base = { count: 10, posted: new Set<string>(), cycle: false };
  const newest = newestFirst(corpus);
  const diffusion = (item: { title: string }) => item.title.startsWith("Diffusion");

  it("takes the newest `count` matching papers", () => {
    expect(ids(selectPapers(newest, base).papers)).toEqual(["c", "b", "d", "e", "a"]);
    expect(ids(selectPapers(newest, { ...base, count: 2 }).papers)).toEqual(["c", "b"]);
    expect(selectPapers(newest, { ...base, count: 0 }).papers).toEqual([]);
    expect(selectPapers([], base)).toEqual({ papers: [], recycled: false });
  });

  it("never repeats a posted paper", () => {
    const result = selectPapers(newest, { ...base, count: 3, posted: new Set(["c", "d"]) });
    expect(ids(result.papers)).toEqual(["b", "e", "a"]);
    expect(result.recycled).toBe(false);
    // Fewer new papers than `count`: only the new ones, no refill from the archive.
    expect(ids(selectPapers(newest, { ...base, count: 3, posted: new Set(["a", "b", "c", "d"]), cycle: true }).papers)).toEqual(["e"]);
  });

  it("posts nothing when nothing is new, unless cycling", () => {
    const posted = new Set(["a", "b", "c", "d", "e"]);
    expect(selectPapers(newest, { ...base, posted })).toEqual({ papers: [], recycled: false });
    // Only the papers on its topics count: no new one among them, however many others there are.
    expect(selectPapers(newest, { ...base, onTopic: diffusion, posted: new Set(["a", "b", "c", "e"]) })).toEqual({ papers: [], recycled: false });
  });

  it("cycles through the matching papers posted longest ago", () => {
    const postedOrder = ["d", "b", "e", "a", "c"];
    const result = selectPapers(newest, { ...base, count: 2, posted: new Set(postedOrder), postedOrder, cycle: true });
    expect(ids(result.papers)).toEqual(["d", "b"]);
    expect(result.recycled).toBe(true);
    const recycled = selectPapers(newest, { ...base, onTopic: diffusion, count: 2, posted: new Set(postedOrder), postedOrder, cycle: true });
    expect(ids(recycled.papers)).toEqual(["b", "e"]);
    // Without postedOrder, the set's order (insertion: oldest first) is used.
    expect(ids(selectPapers(newest, { ...base, count: 1, posted: new Set(["e", "a", "b", "c", "d"]), cycle: true }).papers)).toEqual(["e"]);
    // Nothing matches at all: nothing to recycle.
    expect(selectPapers([], { ...base, posted: new Set(postedOrder), cycle: true })).toEqual({ papers: [], recycled: false });
  });

  it("a paper listed twice under one id is posted once", () => {
    const twice = newestFirst([...corpus, paper({ id: "b", title: "Diffusion B", listed: "2024-08-05" })]);
    expect(ids(selectPapers(twice, { ...base, count: 3 }).papers)).toEqual(["b", "c", "d"]);
  });
});

describe("a digest sorted by upvotes", () => {
  it("posts the week's most upvoted new papers first (ties newest first), then older papers newest first", () => {
    const engine = new SearchEngine([
      paper({ id: "old-famous", title: "Old", listed: "2024-07-01", upvotes: 900 }),
      paper({ id: "older", title: "Older", listed: "2024-06-01", upvotes: 5 }),
      paper({ id: "week-low", title: "Low", listed: "2024-08-04", upvotes: 2 }),
      paper({ id: "week-top", title: "Top", listed: "2024-07-30", upvotes: 50 }),
      paper({ id: "tie-new", title: "Tie new", listed: "2024-08-03", upvotes: 7 }),
      paper({ id: "tie-old", title: "Tie old", listed: "2024-08-01", upvotes: 7 }),
      paper({ id: "unvoted", title: "Unvoted", listed: "2024-08-04" }),
    ]);
    const order = ids(upvotedFirst(engine.newestFirstDated()));
    expect(order).toEqual(["week-top", "tie-new", "tie-old", "week-low", "unvoted", "old-famous", "older"]);
    // What it has posted is skipped as in any digest.
    expect(ids(selectPapers(upvotedFirst(engine.newestFirstDated()), { count: 2, posted: new Set(["week-top"]), cycle: false }).papers)).toEqual(["tie-new", "tie-old"]);
  });
});
