import { describe, expect, it } from "vitest";
import { SearchEngine } from "../../../src/search/engine.ts";
import { parseTopics, topicTest } from "../../../src/search/query/topics.ts";
import { describeChange, topicTrend } from "../../../src/search/results/trend.ts";
import { trending } from "../../../src/search/results/trending.ts";
import { paper } from "../../helpers/papers.ts";

const at = (day: string) => Date.parse(`${day}T12:00:00Z`);
const titles = (papers: ReadonlyArray<{ title: string }>) => papers.map((p) => p.title);

describe("trending", () => {
  const papers = [
    paper({ title: "Old but loved", listed: "2024-07-20", upvotes: 500 }),
    paper({ title: "Week start", listed: "2024-07-29", upvotes: 10 }),
    paper({ title: "Tied older", listed: "2024-08-01", upvotes: 40 }),
    paper({ title: "Tied newer", listed: "2024-08-03", upvotes: 40 }),
    paper({ title: "Top of the week diffusion", listed: "2024-08-02", upvotes: 90 }),
    paper({ title: "Today without votes", listed: "2024-08-04" }),
    paper({ title: "Today voted", listed: "2024-08-04", upvotes: 3 }),
    paper({ title: "From the future", listed: "2024-09-01", upvotes: 999 }),
    paper({ title: "Undated", upvotes: 1000 }),
  ];
  const engine = new SearchEngine(papers);

  it("ranks a week's papers by upvotes, ties newest first, papers without votes last", () => {
    const result = trending(engine, { period: "week", now: at("2024-08-04"), limit: 10 });
    expect(titles(result.papers)).toEqual(["Top of the week diffusion", "Tied newer", "Tied older", "Week start", "Today voted", "Today without votes"]);
    expect(result).toMatchObject({ total: 6, from: "2024-07-29", to: "2024-08-04" });
  });

  it("anchors the period at the latest listing day not after now, so a quiet day still shows the last listing", () => {
    expect(trending(engine, { period: "today", now: at("2024-08-06"), limit: 10 })).toMatchObject({ from: "2024-08-04", to: "2024-08-04", total: 2 });
    expect(titles(trending(engine, { period: "month", now: at("2024-08-04"), limit: 1 }).papers)).toEqual(["Old but loved"]);
  });

  it("keeps to a topic, and has nothing before the first dated day", () => {
    const onDiffusion = topicTest(engine, parseTopics("diffusion"));
    expect(titles(trending(engine, { period: "week", now: at("2024-08-04"), limit: 10, onTopic: onDiffusion }).papers)).toEqual(["Top of the week diffusion"]);
    expect(trending(engine, { period: "week", now: at("2024-01-01"), limit: 10 })).toEqual({ papers: [], total: 0 });
  });

  it("shows year-less listing days (a saved Daily Papers page) without inventing a year", () => {
    const yearless = new SearchEngine([paper({ title: "A", listed: "--08-04", upvotes: 2 }), paper({ title: "B", listed: "--08-01", upvotes: 5 })]);
    const result = trending(yearless, { period: "week", now: at("2026-11-29"), limit: 10 });
    expect(result).toMatchObject({ from: "--07-29", to: "--08-04", total: 2 });
    expect(titles(result.papers)).toEqual(["B", "A"]);
  });
});

describe("topic trend", () => {
  const month = (date: string, title: string) => paper({ title, published: date });
  const engine = new SearchEngine([
    month("2024-01-10", "diffusion one"),
    month("2024-03-02", "diffusion two"),
    month("2024-03-20", "diffusion three"),
    month("2024-03-21", "transformer one"),
    month("2024-04-01", "unrelated"),
    // A year-less listing day goes in the newest year whose date it does not pass, as the listing order places it.
    paper({ title: "diffusion without a year", listed: "--03-01" }),
  ]);
  const topic = (label: string) => ({ label, test: topicTest(engine, parseTopics(label)) });

  it("counts papers per month from the first to the last, gaps as zero, for up to three topics", () => {
    const trend = topicTrend(engine, [topic("diffusion"), topic("transformer")], at("2024-12-01"));
    expect(trend.unit).toBe("month");
    expect(trend.periods).toEqual(["2024-01", "2024-02", "2024-03"]);
    expect(trend.series).toEqual([
      { label: "diffusion", counts: [1, 0, 3], total: 4 },
      { label: "transformer", counts: [0, 0, 1], total: 1 },
    ]);
    expect(describeChange(trend, 0, (p) => p)).toBe("diffusion: 3× more papers in 2024-03 than in 2024-01 (3 vs 1)");
    expect(describeChange(trend, 1, (p) => p)).toBe("transformer: 1 paper in 2024-03, none in 2024-01");
  });

  it("counts by year when the dates are years (a conference corpus) and states the change", () => {
    const byYear = new SearchEngine([
      ...Array.from({ length: 2 }, (_, i) => paper({ title: `diffusion ${i}`, published: "2022", venue: "NeurIPS 2022" })),
      ...Array.from({ length: 6 }, (_, i) => paper({ title: `diffusion late ${i}`, published: "2024", venue: "NeurIPS 2024" })),
      paper({ title: "diffusion mid", venue: "ICML 2023" }), // known only by its venue's year
    ]);
    const trend = topicTrend(byYear, [{ label: "diffusion", test: topicTest(byYear, parseTopics("diffusion")) }], at("2025-01-01"));
    expect(trend).toMatchObject({ unit: "year", periods: ["2022", "2023", "2024"] });
    expect(trend.series[0]!.counts).toEqual([2, 1, 6]);
    expect(describeChange(trend, 0, (p) => p)).toBe("diffusion: 3× more papers in 2024 than in 2022 (6 vs 2)");
  });

  it("does not compare a month still running: half a month would look like a fall (review finding)", () => {
    const months = ["2024-04-03", "2024-05-03", "2024-06-03", "2024-06-04", "2024-06-05", "2024-07-03", "2024-08-01"];
    const running = new SearchEngine(months.map((date, i) => paper({ title: `diffusion ${i}`, published: date })));
    const trend = topicTrend(running, [{ label: "diffusion", test: topicTest(running, parseTopics("diffusion")) }], at("2024-08-02"));
    expect(trend).toMatchObject({ unit: "month", partial: true, periods: ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08"] });
    expect(describeChange(trend, 0, (p) => p)).toBe("diffusion: about as many papers in 2024-07 as in 2024-05 (1 vs 1)");
    expect(topicTrend(running, [{ label: "diffusion", test: topicTest(running, parseTopics("diffusion")) }], at("2024-09-02")).partial).toBe(false);
  });

  it("says so when a topic has no dated papers, and ignores papers after now", () => {
    const trend = topicTrend(engine, [topic("nothing here")], at("2024-12-01"));
    expect(trend.periods).toEqual([]);
    expect(describeChange(trend, 0, (p) => p)).toBe("nothing here: no dated papers");
    expect(topicTrend(engine, [topic("diffusion")], at("2024-02-01")).series[0]!.total).toBe(1);
  });
});
