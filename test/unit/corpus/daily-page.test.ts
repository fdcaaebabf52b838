import { describe, expect, it } from "vitest";
import { parseDailyPage, parseDateLine } from "../../../src/corpus/loaders/daily-page.ts";

const FILE = "pages/daily.txt";

const CHROME = ["new", "", "Get trending papers in your email inbox!", "", "Subscribe", "", "Daily Papers", "", "byAK and the research community", ""];

const T1 = "CHASE: Learning Convex Hull Adaptive Shift for Skeleton-based Multi-Entity Action Recognition";
const A1 =
  "Skeleton-based multi-entity action recognition is a challenging task aiming to identify interactive actions or group activities involving multiple diverse entities. Our code is publicly available at https://github.com/Necolizer/CHASE .";
const T2 = "Mixed Precision Training";
const A2 =
  "Increasing the size of a neural network typically improves accuracy but also increases the memory and compute requirements for training the model. We introduce methodology for training deep neural networks using half-precision floating point numbers.";
const T3 = "Solving High-Dimensional PDEs with Latent Spectral Models";
const A3 =
  "Deep models have achieved impressive progress in solving partial differential equations (PDEs). Code is available at https://github.com/thuml/Latent-Spectral-Models.";

/** A saved page: chrome, a date line, then title and abstract paragraphs separated by blank lines. */
function page(paragraphs: string[], { date = "Aug 4", eol = "\n" }: { date?: string | null; eol?: string } = {}): string {
  const lines = [...CHROME, ...(date === null ? [] : [date, ""])];
  paragraphs.forEach((paragraph, index) => lines.push(...(index ? [""] : []), paragraph));
  return lines.join(eol) + eol;
}

/** The 1-based line of the first line that equals `text` exactly. */
function lineOf(text: string, content: string): number {
  const index = text.split(/\r?\n/).indexOf(content);
  if (index < 0) throw new Error(`fixture does not contain ${content}`);
  return index + 1;
}

const brief = (records: ReturnType<typeof parseDailyPage>["records"]) =>
  records.map((paper) => ({ title: paper.title, abstract: paper.abstract, listed: paper.listed }));

describe("parseDailyPage", () => {
  it("reads a plain page: chrome skipped, one record per title+abstract pair, with source lines", () => {
    const text = page([T1, A1, T2, A2, T3, A3]);
    const { records, problems } = parseDailyPage(text, FILE);
    expect(problems).toEqual([]);
    expect(brief(records)).toEqual([
      { title: T1, abstract: A1, listed: "--08-04" },
      { title: T2, abstract: A2, listed: "--08-04" },
      { title: T3, abstract: A3, listed: "--08-04" },
    ]);
    expect(records.map((paper) => paper.source)).toEqual([
      `${FILE}:${lineOf(text, T1)}`,
      `${FILE}:${lineOf(text, T2)}`,
      `${FILE}:${lineOf(text, T3)}`,
    ]);
    expect(records[0]!.links.code).toEqual(["https://github.com/Necolizer/CHASE"]);
    expect(records[2]!.links.code).toEqual(["https://github.com/thuml/Latent-Spectral-Models"]);
  });

  it("reads CRLF line endings exactly like LF, with no stray carriage returns and the same line numbers", () => {
    const lf = parseDailyPage(page([T1, A1, T2, A2]), FILE);
    const crlf = parseDailyPage(page([T1, A1, T2, A2], { eol: "\r\n" }), FILE);
    expect(crlf.problems).toEqual([]);
    expect(crlf.records).toEqual(lf.records);
    for (const paper of crlf.records) {
      expect(paper.title).not.toMatch(/\r/);
      expect(paper.abstract).not.toMatch(/\r/);
    }
    expect(crlf.records.map((paper) => paper.listed)).toEqual(["--08-04", "--08-04"]);
  });

  it("ignores extra blank (and white-space-only) lines anywhere", () => {
    const text = ["", "", "new", "", "", "   ", "Daily Papers", "", "", "Aug 4", "", "", "", T1, "", " \t", "", A1, "", "", "", "", T2, "", A2, "", "", ""].join("\n");
    const { records, problems } = parseDailyPage(text, FILE);
    expect(problems).toEqual([]);
    expect(brief(records)).toEqual([
      { title: T1, abstract: A1, listed: "--08-04" },
      { title: T2, abstract: A2, listed: "--08-04" },
    ]);
    expect(records.map((paper) => paper.source)).toEqual([`${FILE}:14`, `${FILE}:23`]);
  });

  it("joins a hard-wrapped abstract into one paragraph with single spaces", () => {
    const wrapped = [
      "Increasing the size of a neural network typically improves accuracy but also",
      "increases the memory and compute requirements for training the model.   We",
      "  introduce methodology for training deep neural networks using half-precision",
      "floating point numbers.",
    ];
    const text = page([T1, A1, T2, wrapped.join("\n"), T3, A3]);
    const { records, problems } = parseDailyPage(text, FILE);
    expect(problems).toEqual([]);
    expect(brief(records)).toEqual([
      { title: T1, abstract: A1, listed: "--08-04" },
      { title: T2, abstract: A2, listed: "--08-04" },
      { title: T3, abstract: A3, listed: "--08-04" },
    ]);
    expect(records[2]!.source).toBe(`${FILE}:${lineOf(text, T3)}`);
  });

  it("keeps a 400-character title as a title", () => {
    const long =
      "Toward Unified Multimodal Foundation Models for Long-Horizon Embodied Reasoning: Scaling Laws, Data Mixtures, Curriculum Design, Tokenizer Choice, Memory Architectures, Retrieval Augmentation, Sim-to-Real Transfer, Safety Constraints, Evaluation Protocols, and the Open Problems in Household Robotics, Autonomous Driving, Surgical Assistance, Warehouse Logistics, and Agricultural Monitoring Settings";
    expect(long).toHaveLength(400);
    const { records, problems } = parseDailyPage(page([T1, A1, long, A2, T3, A3]), FILE);
    expect(problems).toEqual([]);
    expect(brief(records)).toEqual([
      { title: T1, abstract: A1, listed: "--08-04" },
      { title: long, abstract: A2, listed: "--08-04" },
      { title: T3, abstract: A3, listed: "--08-04" },
    ]);
  });

  it("leaves listed undefined when the page has no date line", () => {
    const { records, problems } = parseDailyPage(page([T1, A1, T2, A2], { date: null }), FILE);
    expect(problems).toEqual([]);
    expect(brief(records)).toEqual([
      { title: T1, abstract: A1, listed: undefined },
      { title: T2, abstract: A2, listed: undefined },
    ]);
  });

  it("reads a page with neither chrome nor date line", () => {
    const { records, problems } = parseDailyPage([T1, "", A1].join("\n"), FILE);
    expect(problems).toEqual([]);
    expect(brief(records)).toEqual([{ title: T1, abstract: A1, listed: undefined }]);
    expect(records[0]!.source).toBe(`${FILE}:1`);
  });

  it("reads a date line with a year as a full ISO date", () => {
    const { records } = parseDailyPage(page([T1, A1, T2, A2], { date: "Aug 4, 2024" }), FILE);
    expect(records.map((paper) => paper.listed)).toEqual(["2024-08-04", "2024-08-04"]);
  });

  it("keeps a title that has no abstract and still pairs the next title with its abstract", () => {
    const text = page([T1, A1, T2, T3, A3]);
    const { records, problems } = parseDailyPage(text, FILE);
    expect(problems).toEqual([]);
    expect(brief(records)).toEqual([
      { title: T1, abstract: A1, listed: "--08-04" },
      { title: T2, abstract: "", listed: "--08-04" },
      { title: T3, abstract: A3, listed: "--08-04" },
    ]);
    expect(records[1]!.authors).toEqual([]);
    expect(records[1]!.links.code).toEqual([]);
    expect(records[1]!.id).toMatch(/^t-[0-9a-f]{12}$/);
    expect(records[2]!.source).toBe(`${FILE}:${lineOf(text, T3)}`);
  });

  it("keeps a title without abstract at the very end of the page", () => {
    const { records, problems } = parseDailyPage(page([T1, A1, T2]), FILE);
    expect(problems).toEqual([]);
    expect(brief(records)).toEqual([
      { title: T1, abstract: A1, listed: "--08-04" },
      { title: T2, abstract: "", listed: "--08-04" },
    ]);
  });

  it("reports an orphan abstract paragraph with its line number and skips it", () => {
    const orphan =
      "This paragraph reads like an abstract but no title came before it. It must not become a paper, nor be glued to a neighbour.";
    const text = page([T1, A1, orphan, T2, A2]);
    const { records, problems } = parseDailyPage(text, FILE);
    expect(brief(records)).toEqual([
      { title: T1, abstract: A1, listed: "--08-04" },
      { title: T2, abstract: A2, listed: "--08-04" },
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: FILE, line: lineOf(text, orphan) });
    expect(problems[0]!.reason).toMatch(/abstract/i);
  });

  it("reports an orphan abstract right after the date line", () => {
    const text = page([A1, T2, A2]);
    const { records, problems } = parseDailyPage(text, FILE);
    expect(brief(records)).toEqual([{ title: T2, abstract: A2, listed: "--08-04" }]);
    expect(problems).toEqual([{ file: FILE, line: lineOf(text, A1), reason: expect.stringMatching(/abstract/i) }]);
  });

  it("gives the same title the same id on every parse", () => {
    const first = parseDailyPage(page([T1, A1, T2, A2]), FILE).records.map((paper) => paper.id);
    const second = parseDailyPage(page([T2, A2, T1, A1], { eol: "\r\n" }), "other.txt").records.map((paper) => paper.id);
    expect(second).toEqual([first[1], first[0]]);
  });

  it("gives an empty page no records and no problems", () => {
    expect(parseDailyPage("", FILE)).toEqual({ records: [], problems: [] });
    expect(parseDailyPage(CHROME.join("\n") + "\nAug 4\n", FILE)).toEqual({ records: [], problems: [] });
  });
});

describe("parseDateLine", () => {
  it.each([
    ["Aug 4", "--08-04"],
    ["Aug 4, 2024", "2024-08-04"],
    ["August 4, 2024", "2024-08-04"],
    ["Dec 31", "--12-31"],
    ["Jan 1 2025", "2025-01-01"],
    ["Sep. 9", "--09-09"],
  ])("%s -> %s", (line, date) => {
    expect(parseDateLine(line)).toBe(date);
  });

  it.each(["Daily Papers", "Aug", "Aug 0", "Aug 32", "Foo 4", "4 Aug", "Mixed Precision Training"])("%s is not a date line", (line) => {
    expect(parseDateLine(line)).toBeUndefined();
  });
});
