import { describe, expect, it } from "vitest";
import { fitReply } from "../../../src/render/limits.ts";
import { ALERT_PAPERS, alertReply, type AlertContent } from "../../../src/render/alert.ts";
import { limitViolations } from "../../helpers/discord-limits.ts";
import { paper } from "../../helpers/papers.ts";

/** A title of markdown specials (each escaped to two characters) and a long URL: the worst a paper line can be. */
const nasty = (i: number) =>
  paper({ id: `p-${i}`, title: `${"*_`[]<>|~".repeat(40)} ${i}`, url: `https://example.org/${"a".repeat(400)}/${i}` });

const watchOf = (watchId: number, query: string, count: number, from = 0) => ({
  watchId,
  query,
  papers: Array.from({ length: count }, (_, i) => ({ paper: nasty(from + i), matched: query.split(",")[0]! })),
});

const description = (alert: AlertContent) => alertReply(alert).embeds![0]!.description!;

describe("an alert's size", () => {
  it("fits Discord's limits by itself: nothing is left for fitReply to cut, and each watch section listed is whole", () => {
    const watches = Array.from({ length: 40 }, (_, i) => watchOf(i + 1, `${"[diffusion]* ".repeat(16)}topic ${i}, -survey`, 3, i * 3));
    const alert = { batchId: 7, watches };
    const reply = alertReply(alert);
    expect(limitViolations(reply)).toEqual([]);
    // What fitReply would have cut shows as a difference: there is none.
    expect(fitReply(reply).embeds![0]!.description).toBe(reply.embeds![0]!.description);
    const text = reply.embeds![0]!.description!;
    const listed = [...text.matchAll(/\(watch #(\d+)\)/g)].map((match) => Number(match[1]));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(40);
    // The watches not listed are counted, with their papers, and a command that works.
    const notListed = 40 - listed.length;
    expect(text).toContain(`…and ${notListed} more watches (${notListed * 3} papers): /watch list`);
    // Every paper of the batch is either listed or counted.
    const shown = (text.match(/matched “/g) ?? []).length;
    const counted = [...text.matchAll(/^(?:…and (\d+) more|(\d+) new papers?): \/search /gm)].reduce((sum, match) => sum + Number(match[1] ?? match[2]), 0);
    expect(shown).toBeLessThanOrEqual(ALERT_PAPERS);
    expect(shown + counted + notListed * 3).toBe(120);
  });

  it("says how many more papers a watch found with a /search that works: the first phrase, no commas or exclusions", () => {
    const text = description({ batchId: 1, watches: [watchOf(3, "diffusion models, graph networks, -survey", 14)] });
    expect((text.match(/matched “/g) ?? []).length).toBeLessThanOrEqual(ALERT_PAPERS);
    const hint = /…and (\d+) more: (.*)$/m.exec(text)!;
    expect(hint[2]).toBe("/search diffusion models");
    expect(Number(hint[1]) + (text.match(/matched “/g) ?? []).length).toBe(14);
  });

  it("lists short alerts whole, as before", () => {
    const text = description({ batchId: 2, watches: [{ watchId: 1, query: "graph networks", papers: [{ paper: paper({ id: "g", title: "Graph networks" }), matched: "graph networks" }] }] });
    expect(text).toBe("**graph networks** (watch #1)\n**1.** Graph networks\n   matched “graph networks”");
  });
});
