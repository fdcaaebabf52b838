import { describe, expect, it } from "vitest";
import { bibtexName, bibtexText, citationKeys, FIELD_MAX, papersToBibtex } from "../../../src/render/bibtex.ts";
import { paper } from "../../helpers/papers.ts";

/** Braces as BibTeX counts them: every `{` and `}`, backslash or not. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === "{") depth++;
    else if (char === "}" && --depth < 0) return false;
  }
  return depth === 0;
}

describe("BibTeX export", () => {
  it("writes an arXiv paper as @misc with eprint, archivePrefix and the abs url, keeping a braced acronym", () => {
    const bert = paper({ id: "1810.04805", title: "{BERT}: Pre-training of Deep Bidirectional Transformers", authors: ["Jacob Devlin", "Ming-Wei Chang"], published: "2019-05-24" });
    expect(papersToBibtex([bert])).toBe(
      [
        "@misc{devlin2019bert,",
        "  title = {{BERT}: Pre-training of Deep Bidirectional Transformers},",
        "  author = {Jacob Devlin and Ming-Wei Chang},",
        "  year = {2019},",
        "  eprint = {1810.04805},",
        "  archivePrefix = {arXiv},",
        "  url = {https://arxiv.org/abs/1810.04805}",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("keeps accents as UTF-8, math as math, escapes LaTeX specials, and protects capitals styles would lower", () => {
    const entry = papersToBibtex([
      paper({
        title: "Über die Möglichkeit: $O(n \\log n)$ Sorting & 100% of LoRA #1 with GPT-4",
        authors: ["José Ñúñez", "Søren Kierkegaard"],
        published: "2023",
        venue: "NeurIPS 2023",
      }),
    ]);
    expect(entry).toContain("@inproceedings{nunez2023uber,");
    expect(entry).toContain("  title = {Über die Möglichkeit: $O(n \\log n)$ Sorting \\& 100\\% of {LoRA} \\#1 with {GPT-4}},");
    expect(entry).toContain("  author = {José Ñúñez and Søren Kierkegaard},");
    expect(entry).toContain("  booktitle = {NeurIPS 2023},");
  });

  it("keeps LaTeX accents and letters already written in the source, and keys them in ASCII", () => {
    const entry = papersToBibtex([paper({ title: "Sch\\\"{o}nheit der \\ss-Regel", authors: ["Kurt G\\\"{o}del", "Paul Erd\\H{o}s"], published: "1931" })]);
    expect(entry).toContain("@misc{godel1931schonheit,");
    expect(entry).toContain("  title = {Sch\\\"{o}nheit der \\ss{}-Regel},");
    expect(entry).toContain("  author = {Kurt G\\\"{o}del and Paul Erd\\H{o}s},");
  });

  it("shows stray braces and unknown commands as characters, so no title can unbalance the file or run a command", () => {
    const entry = papersToBibtex([paper({ title: "Unbalanced } braces { and \\textbf{bold} \\input{/etc/passwd} $\\def\\x{1}$", authors: ["Ann {Smith", "Bob}"], published: "2020-01-01" })]);
    expect(entry).toContain(
      "  title = {Unbalanced \\textbraceright{} braces \\textbraceleft{} and \\textbf{bold} \\textbackslash{}input{/etc/passwd} \\$\\textbackslash{}def\\textbackslash{}x{1}\\$},",
    );
    expect(entry).toContain("  author = {Ann \\textbraceleft{}Smith and Bob\\textbraceright{}},");
    expect(entry).not.toMatch(/[^{]\\input/);
    expect(balanced(entry)).toBe(true);
  });

  it("writes names the way BibTeX splits them: suffixes, von parts, organisations and 'Last, First'", () => {
    expect(bibtexName("Martin Luther King Jr.").bibtex).toBe("King, Jr., Martin Luther");
    expect(bibtexName("Ludwig van Beethoven").bibtex).toBe("Ludwig van Beethoven");
    expect(bibtexName("van der Berg, Jan").bibtex).toBe("van der Berg, Jan");
    expect(bibtexName("Müller, Hans")).toEqual({ bibtex: "Müller, Hans", family: "Müller" });
    // "and" inside an organisation would split it into two authors; braces keep it one.
    expect(bibtexName("Research and Development Team").bibtex).toBe("{Research and Development Team}");
    expect(bibtexName("Google DeepMind Team").bibtex).toBe("{Google DeepMind Team}");
    expect(bibtexName("{The Pile Contributors}").bibtex).toBe("{The Pile Contributors}");
  });

  it("gives papers exported together unique keys: b, c … after the first", () => {
    const same = (id: string) => paper({ id, title: "Deep Learning for Graphs", authors: ["Jane Smith"], published: "2020-03-01" });
    expect(citationKeys([same("a"), same("b"), same("c")])).toEqual(["smith2020deep", "smith2020deepb", "smith2020deepc"]);
    expect(citationKeys([paper({ title: "The 3 Bodies", authors: [] })])).toEqual(["anonbodies"]);
  });

  it("bounds every field and keeps braces balanced when it cuts", () => {
    const long = `{${"Long ".repeat(3000)}}`;
    const text = bibtexText(long);
    expect(text.length).toBeLessThanOrEqual(FIELD_MAX);
    expect(text.endsWith("…")).toBe(true);
    expect(balanced(text)).toBe(true);
    const crowd = Array.from({ length: 2000 }, (_, i) => `Author Number${i}`);
    const entry = papersToBibtex([paper({ title: "Many authors", authors: crowd })]);
    const authorLine = entry.split("\n").find((line) => line.startsWith("  author = "))!;
    expect(authorLine.length).toBeLessThan(FIELD_MAX + 20);
    expect(authorLine).toMatch(/ and others\},?$/);
  });

  it("never writes unbalanced braces, whatever the title and authors hold", () => {
    const alphabet = ["{", "}", "\\", "$", "&", "%", "#", "_", "~", "^", "a", "B", " ", "é", "\\emph", "\\'", "\\{", "\\}", "$$"];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const text = () => Array.from({ length: 1 + Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    for (let round = 0; round < 300; round++) {
      const entry = papersToBibtex([paper({ title: text(), authors: [text(), text()], venue: text() })]);
      expect(balanced(entry), entry).toBe(true);
    }
  });

  it("is empty for no papers and separates entries by a blank line", () => {
    expect(papersToBibtex([])).toBe("");
    const two = papersToBibtex([paper({ title: "One", authors: ["A B"] }), paper({ title: "Two", authors: ["C D"] })]);
    expect(two.split("\n\n@")).toHaveLength(2);
  });
});
