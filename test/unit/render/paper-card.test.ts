import { describe, expect, it } from "vitest";
import { fitReply } from "../../../src/render/limits.ts";
import { paperReply } from "../../../src/render/papers.ts";
import type { Reply } from "../../../src/render/reply.ts";
import { paper } from "../../helpers/papers.ts";

describe("a paper's card shows what the sources give", () => {
  const listed = paper({
    id: "2408.01234",
    title: "Sparse Attention Routers",
    abstract: "We route attention.",
    published: "2024-08-02",
    updated: "2024-08-09",
    upvotes: 1234,
    stars: 311,
    comments: 2,
    summary: "Routers pick a few blocks per query.",
    thumbnail: "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2408.01234.png",
  });

  it("the thumbnail as its picture, the AI summary labelled, upvotes, stars and comments, the update date", () => {
    const embed = fitReply(paperReply(listed)).embeds![0]!;
    expect(embed.image).toBe("https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2408.01234.png");
    expect(embed.fields).toContainEqual({ name: "AI summary (Hugging Face)", value: "Routers pick a few blocks per query." });
    expect(embed.fields).toContainEqual({ name: "Community", value: "▲ 1,234 upvotes · ★ 311 GitHub stars · 💬 2 comments", inline: true });
    expect(embed.fields?.find((field) => field.name === "Date")?.value).toBe("Published Aug 2, 2024 · updated Aug 9, 2024");
    expect(embed.description).toBe("We route attention.");
  });

  it("no picture for a thumbnail that is not a safe http(s) URL, and no empty fields for what is unknown", () => {
    const bare = fitReply(paperReply(paper({ title: "Bare", thumbnail: "javascript:alert(1)" }))).embeds![0]!;
    expect(bare.image).toBeUndefined();
    expect(bare.fields?.map((field) => field.name)).toEqual(["Id"]);
  });
});

describe("files and pictures within Discord's limits", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
  it("an embed may show one of the reply's own files; a reference to a missing file is dropped", () => {
    const reply: Reply = { embeds: [{ title: "Trend", image: "attachment://trend.png" }, { title: "Other", image: "attachment://missing.png" }], files: [{ name: "trend.png", data: png }] };
    const fitted = fitReply(reply);
    expect(fitted.embeds!.map((embed) => embed.image)).toEqual(["attachment://trend.png", undefined]);
    expect(fitted.files).toHaveLength(1);
  });

  it("a file over Discord's upload limit, or past ten files, is not sent", () => {
    const big = { name: "big.bib", data: new Uint8Array(10 * 1024 * 1024 + 1) };
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.txt`, data: png }));
    expect(fitReply({ files: [big, ...many] }).files!.map((file) => file.name)).toEqual(many.slice(0, 10).map((file) => file.name));
  });
});
