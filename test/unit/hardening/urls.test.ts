import { describe, expect, it } from "vitest";
import { digestReply } from "../../../src/render/digest.ts";
import { fitReply } from "../../../src/render/limits.ts";
import { paperReply, searchReply } from "../../../src/render/papers.ts";
import type { Reply } from "../../../src/render/reply.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { limitViolations } from "../../helpers/discord-limits.ts";
import { paper } from "../../helpers/papers.ts";

/** Findings 5 and 6: every outgoing URL is http(s), parseable and at most 512 characters, or it is dropped. */

const hostile = paper({
  title: "深層学習による画像認識の新しい手法について詳しく調べた論文です".repeat(3),
  abstract: "An abstract.",
  url: "javascript:alert(1)",
  project: `https://example.org/${"p".repeat(600)}`,
  code: ["https://github.com/org/repo", "https://github.com/o/r_[x](https://evil.example)", "not a url"],
});

/** The URLs a reply sends: masked links in its text (an escaped "\]" is text, not a link), buttons, embed links. */
function urls(reply: Reply): string[] {
  const texts = (reply.embeds ?? []).flatMap((embed) => [embed.title, embed.description, embed.footer, ...(embed.fields ?? []).map((field) => field.value)]);
  const found = texts.flatMap((text) => [...(text ?? "").matchAll(/(?<!\\)\]\((https?:[^)\s]+)\)/g)].map((match) => match[1]!));
  for (const row of reply.buttons ?? []) for (const button of row) if ("url" in button) found.push(button.url);
  for (const embed of reply.embeds ?? []) if (embed.url) found.push(embed.url);
  return found;
}

describe("outgoing URLs", () => {
  it("a paper card sends only http(s) URLs of at most 512 characters, even for a long non-Latin title", () => {
    const reply = fitReply(paperReply(hostile));
    const sent = urls(reply);
    expect(sent.length).toBeGreaterThan(0);
    for (const url of sent) {
      expect(url.length).toBeLessThanOrEqual(512);
      expect(url).toMatch(/^https?:\/\//);
      expect(() => new URL(url)).not.toThrow();
    }
    expect(JSON.stringify(reply)).not.toContain("javascript:");
    expect(reply.buttons!.flat().map((button) => button.label)).toContain("Find on Hugging Face");
    expect(limitViolations(reply)).toEqual([]);
  });

  it("shows code links as links that cannot be re-masked, and drops what is not a URL", () => {
    const code = fitReply(paperReply(hostile)).embeds![0]!.fields!.find((field) => field.name === "Code")!.value;
    expect(code).toContain("[github.com/org/repo](https://github.com/org/repo)");
    expect(code).not.toContain("not a url");
    expect(code).not.toMatch(/(?<!\\)\[x\]\(https:\/\/evil/);
  });

  it("search results and digests check their links the same way", () => {
    const engine = new SearchEngine([hostile]);
    const page = fitReply(searchReply(engine.search("abstract"), 1, { page: () => undefined, open: () => undefined }));
    const digest = fitReply(digestReply({ subscriptionId: 1, slotKey: "2026-01-01", dateLabel: "Thu, Jan 1", papers: [hostile], topics: "", recycled: false }));
    for (const reply of [page, digest]) for (const url of urls(reply)) expect(url.length).toBeLessThanOrEqual(512);
    expect(JSON.stringify([page, digest])).not.toContain("javascript:");
  });
});
