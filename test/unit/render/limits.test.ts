import { describe, expect, it } from "vitest";
import { fitChoices, fitReply, truncateMarkdown } from "../../../src/render/limits.ts";
import { escapeMarkdown } from "../../../src/render/markdown.ts";
import type { Reply } from "../../../src/render/reply.ts";
import { limitViolations } from "../../helpers/discord-limits.ts";
import { appWith, paper } from "../../helpers/papers.ts";

const word = (i: number) => `word${i % 97}`;
const pathological = [
  paper({
    id: "2408.00001",
    title: `@everyone hi ${"Very Long Title ".repeat(25)}`.slice(0, 400),
    abstract: Array.from({ length: 1500 }, (_, i) => word(i)).join(" ") + " robots",
    authors: Array.from({ length: 300 }, (_, i) => `Author Number ${i} With A Long Name`),
    keywords: Array.from({ length: 80 }, (_, i) => `keyword ${i}`),
    code: Array.from({ length: 20 }, (_, i) => `https://github.com/org/repo${i}`),
  }),
  paper({ title: "**bold** _it_ [link](http://evil.example) `code` <@123> @here robots", abstract: "# heading\n> quote ||spoiler|| robots ~~strike~~" }),
  ...Array.from({ length: 8 }, (_, i) => paper({ title: `${"Robots ".repeat(57)}${i}`, abstract: `robots ${"x".repeat(10_000)}` })),
];

async function everyReply(): Promise<Array<[string, Reply]>> {
  const runner = await appWith(pathological);
  const replies: Array<[string, Reply]> = [];
  for (const page of [1, 2]) replies.push([`search page ${page}`, await runner.execute("search", { query: "robots", page })]);
  for (const item of pathological) replies.push([`paper ${item.id}`, await runner.execute("paper", { paper: item.id })]);
  replies.push(["random", await runner.execute("random", {})]);
  replies.push(["random topic", await runner.execute("random", { topic: "robots" })]);
  replies.push(["help", await runner.execute("help", {})]);
  replies.push(["about", await runner.execute("about", {})]);
  return replies;
}

describe("Discord limits", () => {
  it("every reply over pathological papers fits Discord's limits", async () => {
    for (const [what, reply] of await everyReply()) expect(limitViolations(reply), what).toEqual([]);
  });

  it("autocomplete gives at most 25 choices of at most 100 characters", async () => {
    const runner = await appWith(pathological);
    for (const [command, option] of [["search", "query"], ["paper", "paper"]] as const) {
      const choices = runner.autocomplete(command, option, "robots");
      expect(choices.length).toBeGreaterThan(0);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const choice of choices) {
        expect(choice.name.length).toBeGreaterThan(0);
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(choice.value.length).toBeLessThanOrEqual(100);
      }
    }
  });

  it("fitReply cuts any oversized reply to the limits, dropping buttons whose id would not fit", () => {
    const long = (n: number) => "x ".repeat(n);
    const reply: Reply = {
      content: long(3000),
      embeds: Array.from({ length: 12 }, () => ({
        title: long(300),
        description: long(5000),
        footer: long(3000),
        fields: Array.from({ length: 30 }, () => ({ name: long(300), value: long(2000) })),
      })),
      buttons: Array.from({ length: 7 }, () => Array.from({ length: 7 }, (_, i) => ({ customId: i ? `b:${i}` : `b:${"y".repeat(120)}`, label: long(100) }))),
    };
    const fitted = fitReply(reply);
    expect(limitViolations(reply).length).toBeGreaterThan(0);
    expect(limitViolations(fitted)).toEqual([]);
    expect(fitted.buttons?.flat().some((button) => "customId" in button && button.customId.length > 100)).toBe(false);
    expect(fitChoices(Array.from({ length: 40 }, (_, i) => ({ name: long(80), value: `v${i}` })))).toHaveLength(25);
  });

  it("cuts markdown without leaving a dangling escape, an open link or an odd **", () => {
    expect(truncateMarkdown("abc \\* def", 7)).not.toMatch(/\\…$/);
    expect(truncateMarkdown("see [a title](https://example.com/x) now", 20)).toBe("see…");
    const cut = truncateMarkdown("**bold words here** and more text", 12);
    expect((cut.match(/\*\*/g) ?? []).length % 2).toBe(0);
    expect(truncateMarkdown("short", 10)).toBe("short");
  });
});

describe("paper text renders literally", () => {
  it("escapes markdown and defuses mentions", () => {
    const escaped = escapeMarkdown("@everyone **x** [l](u) <@1> # h");
    expect(escaped).not.toContain("@everyone");
    expect(escaped).toContain("@\u200beveryone");
    expect(escaped).toContain("\\*\\*x\\*\\*");
    expect(escaped).toContain("\\[l\\](u)");
    expect(escaped).toContain("\\<@\u200b1\\>");
    expect(escapeMarkdown("# heading")).toBe("\\# heading");
  });

  it("a title with @everyone and markdown pings nobody in any reply", async () => {
    for (const [what, reply] of await everyReply()) {
      const text = JSON.stringify(reply);
      expect(text, what).not.toMatch(/@(everyone|here)/);
      expect(text, what).not.toContain("[link](http://evil.example)");
    }
  });
});
