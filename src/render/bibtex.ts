import { arxivId, type Paper } from "../corpus/paper.ts";
import { collapseWhitespace } from "../text/whitespace.ts";
import { fold } from "../text/words.ts";
import { withoutHalfPair } from "./markdown.ts";
import { safeUrl } from "./urls.ts";

/**
 * Saved papers as BibTeX, for pasting into Zotero, JabRef or Overleaf. The stages, top to bottom:
 *
 *   papersToBibtex  one entry per paper, separated by a blank line
 *   citationKeys    family name + year + first significant title word, ASCII, made unique
 *   bibtexEntry     arXiv id → @misc with eprint; venue → @inproceedings; else @misc with the page's url
 *   bibtexName      one author as BibTeX splits names ("and" inside an organisation protected)
 *   bibtexText      any text as a field value: balanced braces, LaTeX specials escaped, cut to FIELD_MAX
 *
 * Non-ASCII text (accents, CJK) stays UTF-8 rather than becoming LaTeX accents: biber, BibTeX with
 * inputenc (the default in LaTeX since 2018), Zotero and JabRef all read UTF-8. Only keys are ASCII,
 * because \cite and older tools need them to be.
 *
 * Braces are counted as BibTeX counts them: every `{` and `}`, escaped or not (BibTeX does not know `\{`).
 * So a stray brace is written `\textbraceleft{}` / `\textbraceright{}`, never `\{`, and every field this
 * module writes has balanced braces even when read without regard to backslashes.
 */

/** The longest field written: a longer one is a broken record, and one paper must not make the file huge. */
export const FIELD_MAX = 5000;
/** The longest single author name: more is not a name, and the author list must still fit in FIELD_MAX. */
const NAME_MAX = 500;
/** The longest family name or title word in a key: keys are typed by hand in \cite. */
const KEY_PART_MAX = 24;

const CUT = "…";
const OTHERS = " and others";
const BRACE_LEFT = "\\textbraceleft{}";
const BRACE_RIGHT = "\\textbraceright{}";
const BACKSLASH = "\\textbackslash{}";

// ---------------------------------------------------------------------------------------------------
// Text: field values

/** Characters LaTeX treats specially in text, and what is written instead so they show literally. */
const TEXT_SPECIALS: Readonly<Record<string, string>> = {
  "&": "\\&",
  "%": "\\%",
  "#": "\\#",
  _: "\\_",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
};
/** `\&`, `\%`, … already escaped in the source are kept as written. */
const ESCAPED_SPECIALS = "&%#_$";
/** Accents written `\'e`, `\"{o}`: kept when a letter or a group follows. */
const SYMBOL_ACCENTS = "'`^\"~=.";
/** Accents with a letter name (`\c c`, `\v{s}`): kept when a group or a space and a letter follow. */
const LETTER_ACCENTS = new Set(["u", "v", "H", "c", "d", "b", "r", "k", "t"]);
/** Text commands that take an argument: kept when a group follows. */
const ARGUMENT_COMMANDS = new Set(["emph", "textbf", "textit", "textsc", "texttt", "textrm", "textsf", "textsl", "textup", "textsuperscript", "textsubscript", "mbox", "url"]);
/** Commands standing alone (letters, logos, symbols): kept anywhere. Any other `\name` is shown as text. */
const STANDALONE_COMMANDS = new Set([
  ...["o", "O", "l", "L", "i", "j", "ss", "ae", "AE", "oe", "OE", "aa", "AA"],
  ...["LaTeX", "TeX", "BibTeX", "ldots", "dots", "textendash", "textemdash", "textbackslash", "textasciitilde", "textasciicircum"],
  ...["textbar", "textless", "textgreater", "textbraceleft", "textbraceright", "textunderscore", "textdollar", "S", "P", "copyright"],
]);
/** Commands refused inside math: they read files, write files or redefine things; that math is shown as text. */
const UNSAFE_MATH =
  /\\(?:input|include|write|immediate|openin|openout|read|def|edef|gdef|xdef|let|catcode|csname|newcommand|renewcommand|providecommand|special|begin|end|usepackage|documentclass|makeatletter|expandafter)(?![A-Za-z])/;
const LETTERS = /[A-Za-z]+/y;

type Token = { kind: "char"; text: string } | { kind: "tex"; text: string } | { kind: "open" } | { kind: "close" };

function lettersAt(text: string, at: number): string | undefined {
  LETTERS.lastIndex = at;
  return LETTERS.exec(text)?.[0];
}

/** What a backslash at `at` starts, and how many characters it takes: a command kept, or a literal backslash. */
function command(text: string, at: number): [string, number] {
  const next = text[at + 1] ?? "";
  const after = text[at + 2] ?? "";
  const name = lettersAt(text, at + 1);
  if (name) {
    const follows = text[at + 1 + name.length] ?? "";
    const kept =
      STANDALONE_COMMANDS.has(name) ||
      (ARGUMENT_COMMANDS.has(name) && follows === "{") ||
      (LETTER_ACCENTS.has(name) && (follows === "{" || (follows === " " && /[A-Za-z]/.test(text[at + 2 + name.length] ?? ""))));
    if (!kept) return [BACKSLASH, 1];
    // "\o" before a letter of another script ("\oé") would read as one unknown command in XeLaTeX: "\o{}é".
    const ends = STANDALONE_COMMANDS.has(name) && follows !== " " && follows !== "{" && follows !== "" ? "{}" : "";
    return [`\\${name}${ends}`, name.length + 1];
  }
  if (next && ESCAPED_SPECIALS.includes(next)) return [`\\${next}`, 2];
  if (next === "{") return [BRACE_LEFT, 2];
  if (next === "}") return [BRACE_RIGHT, 2];
  if (next === ",") return ["\\,", 2];
  if (next && SYMBOL_ACCENTS.includes(next) && /[A-Za-z{\\]/.test(after)) return [`\\${next}`, 2];
  return [BACKSLASH, 1];
}

/** Whether braces balance as BibTeX counts them: every `{` and `}`, backslash or not. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === "{") depth++;
    else if (char === "}" && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * The inside of `$…$` as written, with `& % #` escaped (they break LaTeX even in math), or undefined when
 * it cannot be kept: unbalanced braces (after trying `\{` → `\lbrace`), a `$`, or an unsafe command.
 */
function mathTex(content: string): string | undefined {
  if (!content.trim() || UNSAFE_MATH.test(content)) return undefined;
  let kept = "";
  let withLbrace = "";
  for (let i = 0; i < content.length; ) {
    const char = content[i]!;
    if (char === "\\") {
      const name = lettersAt(content, i + 1);
      const unit = name ? `\\${name}` : content.slice(i, i + 2);
      if (unit.length < 2) return undefined;
      kept += unit;
      // A space only where a letter follows: "\lbrace x" must not read as "\lbracex".
      const space = /[A-Za-z]/.test(content[i + unit.length] ?? "") ? " " : "";
      withLbrace += unit === "\\{" ? `\\lbrace${space}` : unit === "\\}" ? `\\rbrace${space}` : unit;
      i += unit.length;
      continue;
    }
    if (char === "$") return undefined;
    const out = "&%#".includes(char) ? `\\${char}` : char;
    kept += out;
    withLbrace += out;
    i++;
  }
  return balanced(kept) ? kept : balanced(withLbrace) ? withLbrace : undefined;
}

/** Math starting with the `$` (or `$$`) at `at`, written inline, and where it ends; undefined when it is not math. */
function mathAt(text: string, at: number): { tex: string; end: number } | undefined {
  const delimiter = text.startsWith("$$", at) ? "$$" : "$";
  let close = at + delimiter.length;
  while (close < text.length && !text.startsWith(delimiter, close)) close += text[close] === "\\" ? 2 : 1;
  if (close >= text.length) return undefined;
  const tex = mathTex(text.slice(at + delimiter.length, close));
  return tex === undefined ? undefined : { tex: `$${tex}$`, end: close + delimiter.length };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; ) {
    const char = text[i]!;
    if (char === "\\") {
      const [tex, length] = command(text, i);
      tokens.push({ kind: "tex", text: tex });
      i += length;
      continue;
    }
    if (char === "$") {
      const math = mathAt(text, i);
      tokens.push({ kind: "tex", text: math?.tex ?? "\\$" });
      i = math?.end ?? i + 1;
      continue;
    }
    if (char === "{") tokens.push({ kind: "open" });
    else if (char === "}") tokens.push({ kind: "close" });
    else tokens.push(TEXT_SPECIALS[char] === undefined ? { kind: "char", text: char } : { kind: "tex", text: TEXT_SPECIALS[char] });
    i++;
  }
  return tokens;
}

const WORD = /([\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*)/u;

/**
 * Whether a title word must keep its capitals when a style lowercases titles: a capital after the first
 * letter ("BERT", "LoRA", "ImageNet", "GPT-4", "3D"), or a lone capital in a compound ("Q-Learning").
 * Ordinary capitalised words ("Attention") are left alone.
 */
export function keepsCase(word: string): boolean {
  const parts = word.split("-");
  return parts.some((part) => /\p{Lu}/u.test([...part].slice(1).join("")) || (parts.length > 1 && /^\p{Lu}$/u.test(part)));
}

/**
 * Output in pieces that a cut may not split: a command, a math formula, one character, or a lone brace.
 * Braces that close nothing or are never closed are shown as characters; the rest are kept as groups.
 */
function pieces(tokens: readonly Token[], protectCase: boolean): string[] {
  const matched = new Set<number>();
  const open: number[] = [];
  tokens.forEach((token, i) => {
    if (token.kind === "open") open.push(i);
    else if (token.kind === "close" && open.length) matched.add(open.pop()!).add(i);
  });
  const out: string[] = [];
  let depth = 0;
  let run = "";
  const flush = () => {
    // Inside a group the source already decided about case; at the top, words that need it are protected.
    const parts = protectCase && depth === 0 ? run.split(WORD) : [run];
    parts.forEach((part, i) => (i % 2 === 1 && keepsCase(part) ? out.push("{", ...part, "}") : out.push(...part)));
    run = "";
  };
  tokens.forEach((token, i) => {
    if (token.kind === "char") {
      run += token.text;
      return;
    }
    flush();
    if (token.kind === "tex") out.push(token.text);
    else if (!matched.has(i)) out.push(token.kind === "open" ? BRACE_LEFT : BRACE_RIGHT);
    else {
      out.push(token.kind === "open" ? "{" : "}");
      depth += token.kind === "open" ? 1 : -1;
    }
  });
  flush();
  return out;
}

/** The pieces joined, or as many as fit in `max` with "…" and the groups left open closed. */
function fit(parts: readonly string[], max: number, cutAlready: boolean): string {
  const whole = parts.join("");
  if (whole.length <= max && !cutAlready) return whole;
  let out = "";
  let depth = 0;
  for (const part of parts) {
    const next = depth + (part === "{" ? 1 : part === "}" ? -1 : 0);
    if (out.length + part.length + CUT.length + next > max) break;
    out += part;
    depth = next;
  }
  return `${out.trimEnd()}${CUT}${"}".repeat(depth)}`;
}

export interface TextOptions {
  /** Brace words whose capitals matter (titles), so styles that lowercase titles keep them. */
  protectCase?: boolean;
  max?: number;
}

/**
 * Any text as the inside of a `{…}` field: white space collapsed, `& % # _ $` escaped outside math,
 * `~ ^` and stray backslashes shown literally, balanced `$…$` math and groups kept, stray braces shown as
 * characters, at most `max` characters (cut on a code point, groups closed).
 */
export function bibtexText(text: string, { protectCase = false, max = FIELD_MAX }: TextOptions = {}): string {
  // Rendering never shortens text by more than a few characters, so anything past `max` would be cut anyway.
  const head = text.length > 2 * max ? withoutHalfPair(text.slice(0, 2 * max)) : text;
  // Control characters go first, so that what they separated cannot be read as part of a command.
  const collapsed = collapseWhitespace(head).replace(/[\x00-\x1f\x7f]/g, "");
  const cut = head !== text || collapsed.length > max;
  const bounded = cut ? withoutHalfPair(collapsed.slice(0, max)) : collapsed;
  return fit(pieces(tokenize(bounded), protectCase), max, cut);
}

// ---------------------------------------------------------------------------------------------------
// Names

/** A word that makes a name an organisation: BibTeX must not split it into first and last names. */
const ORGANISATION =
  /(?:^|\s)and(?:\s|$)|\b(?:Team|Teams|Collaboration|Consortium|Group|Lab|Labs|Laboratory|Institute|University|Inc|Ltd|LLC|GmbH|Corporation|Foundation|Project|Initiative|Committee|Society|Association|Contributors)\b/i;
const SUFFIX = /^(?:[JS]r\.?|II|III|IV)$/;
const MAX_NAME_WORDS = 4;

export interface Name {
  /** The name as an author field holds it. */
  bibtex: string;
  /** The family name (or an organisation's first word), as written, for the citation key. */
  family: string;
}

const words = (text: string) => text.split(" ").filter(Boolean);
const nameLike = (part: string) => words(part).length >= 1 && words(part).length <= MAX_NAME_WORDS;

/** "Martin Luther King" + "Jr." → "King, Jr., Martin Luther" (the von part, "van der", goes with the family name). */
function withSuffix(given: string[], suffix: string): Name | undefined {
  let start = given.length - 1;
  while (start > 1 && /^\p{Ll}/u.test(given[start - 1]!)) start--;
  if (start < 1) return undefined;
  const family = given.slice(start).join(" ");
  return { bibtex: bibtexText(`${family}, ${suffix}, ${given.slice(0, start).join(" ")}`, { max: NAME_MAX }), family: given.at(-1)! };
}

/**
 * One author as BibTeX reads it. "First Last", "First von Last" and "Last, First" are kept (BibTeX splits
 * them itself); "Last Jr." becomes "Last, Jr., First"; an organisation, or a name with commas in no name
 * form, is wrapped in braces so that BibTeX neither splits it at "and" nor at a comma.
 */
export function bibtexName(name: string): Name {
  const clean = collapseWhitespace(name);
  const inner = clean.startsWith("{") && clean.endsWith("}") && balanced(clean.slice(1, -1)) ? clean.slice(1, -1) : undefined;
  const whole = (text: string): Name => ({ bibtex: `{${bibtexText(text, { max: NAME_MAX })}}`, family: words(text)[0] ?? "" });
  if (inner !== undefined) return whole(inner);
  if (ORGANISATION.test(clean)) return whole(clean);
  const parts = clean.split(",").map((part) => part.trim());
  const asIs = (family: string): Name => ({ bibtex: bibtexText(clean, { max: NAME_MAX }), family });
  if (parts.length === 1) {
    const given = words(clean);
    const last = given.at(-1) ?? "";
    if (given.length > 1 && SUFFIX.test(last)) return withSuffix(given.slice(0, -1), last) ?? whole(clean);
    return asIs(last);
  }
  const [before = "", middle = "", after = ""] = parts;
  if (parts.length === 2 && SUFFIX.test(middle)) return withSuffix(words(before), middle) ?? whole(clean);
  if (parts.length === 2 && nameLike(before) && nameLike(middle)) return asIs(words(before).at(-1)!);
  if (parts.length === 3 && nameLike(before) && SUFFIX.test(middle) && nameLike(after)) return asIs(words(before).at(-1)!);
  return whole(clean);
}

function authorField(authors: readonly string[]): string {
  let field = "";
  for (const author of authors) {
    if (!collapseWhitespace(author)) continue;
    const name = bibtexName(author).bibtex;
    const next = field ? `${field} and ${name}` : name;
    if (next.length > FIELD_MAX - OTHERS.length) return `${field}${OTHERS}`;
    field = next;
  }
  return field;
}

// ---------------------------------------------------------------------------------------------------
// Keys

/** LaTeX letters (`\o`, `\ss`) as ASCII, for keys. */
const LATEX_LETTERS: Readonly<Record<string, string>> = { o: "o", O: "o", l: "l", L: "l", i: "i", j: "j", ss: "ss", ae: "ae", AE: "ae", oe: "oe", OE: "oe", aa: "a", AA: "a" };
/** Letters that Unicode does not decompose into a base letter and an accent ("Ø" is not "O" + a mark). */
const UNDECOMPOSED: Readonly<Record<string, string>> = { ø: "o", đ: "d", ð: "d", ł: "l", ħ: "h", ı: "i", ß: "ss", æ: "ae", œ: "oe", þ: "th", ŋ: "n" };

/** The ASCII words of a text: math dropped, LaTeX commands and accents removed ("Müller" → "muller", "Ø" → "o"). */
export function asciiWords(text: string): string[] {
  const plain = text
    .replace(/\$[^$]*\$/g, " ")
    .replace(/\\([A-Za-z]+) ?/g, (_, name: string) => LATEX_LETTERS[name] ?? "")
    .replace(/\\./g, "")
    .replace(/[{}]/g, ""); // "Sch\"{o}nheit" is one word
  return fold(plain)
    .replace(/[øđðłħıßæœþŋ]/g, (char) => UNDECOMPOSED[char]!)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Title words a key skips: "Towards a Theory of X" is keyed by "theory". */
const STOP_WORDS = new Set(
  ["a", "an", "the", "on", "of", "towards", "toward", "to", "for", "in", "at", "by", "with", "from", "and", "or", "via", "into", "as", "is", "are", "about", "over", "under", "through"],
);

/** The year as "2024": from `published`, else from `listed` when it has one ("--08-04" has none). */
export function paperYear(paper: Paper): string | undefined {
  return /^(\d{4})\b/.exec(paper.published ?? "")?.[1] ?? /^(\d{4})-/.exec(paper.listed ?? "")?.[1];
}

/** The first author's family name in ASCII ("José Ñúñez" → "nunez"), or "anon" when there is none to spell. */
function authorKey(authors: readonly string[]): string {
  const first = authors.find((author) => collapseWhitespace(author));
  if (!first) return "anon";
  return asciiWords(bibtexName(first).family).join("") || asciiWords(first).at(-1) || "anon";
}

/** The first title word that is neither a stop word nor a number, in ASCII; "" when the title has none. */
function titleKeyWord(title: string): string {
  const candidates = asciiWords(title).filter((word) => !/^\d+$/.test(word));
  return candidates.find((word) => !STOP_WORDS.has(word)) ?? candidates[0] ?? "";
}

/** A paper's key before duplicates are told apart: `vaswani2017attention`, always `[a-z0-9]+`. */
export function citationKey(paper: Paper): string {
  return [authorKey(paper.authors), paperYear(paper) ?? "", titleKeyWord(paper.title)].map((part) => part.slice(0, KEY_PART_MAX)).join("");
}

/** 2 → "b", 26 → "z", 27 → "aa". */
function letters(n: number): string {
  let out = "";
  for (; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(97 + ((n - 1) % 26)) + out;
  return out;
}

/**
 * Keys for papers exported together, unique: the first paper with a key keeps it, later ones get "b",
 * "c", … ("smith2020deep", "smith2020deepb", "smith2020deepc"), skipping any key already taken.
 */
export function citationKeys(papers: readonly Paper[]): string[] {
  const used = new Set<string>();
  return papers.map((paper) => {
    const base = citationKey(paper);
    let key = base;
    for (let n = 2; used.has(key); n++) key = base + letters(n);
    used.add(key);
    return key;
  });
}

// ---------------------------------------------------------------------------------------------------
// Entries

/** The page to cite for a paper not on arXiv: its own page, else its Hugging Face or project page. */
function pageUrl(paper: Paper): string | undefined {
  const { page, huggingface, project } = paper.links;
  // Braces and backslashes are percent-encoded so that the url (read verbatim by biblatex) cannot unbalance the entry.
  const url = [page, huggingface, project].map(safeUrl).find(Boolean);
  return url?.replace(/[{}\\]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** One entry: `@misc{key,\n  title = {…},\n  …\n}` with only the fields known. */
export function bibtexEntry(paper: Paper, key: string): string {
  const arxiv = arxivId(paper.id);
  const venue = paper.venue ? collapseWhitespace(paper.venue) : "";
  const type = !arxiv && venue ? "inproceedings" : "misc";
  const fields: Array<[string, string | undefined]> = [
    ["title", bibtexText(paper.title, { protectCase: true })],
    ["author", authorField(paper.authors)],
    ["booktitle", type === "inproceedings" ? bibtexText(venue) : undefined],
    ["year", paperYear(paper)],
    ["eprint", arxiv],
    ["archivePrefix", arxiv && "arXiv"],
    ["url", arxiv ? `https://arxiv.org/abs/${arxiv}` : pageUrl(paper)],
  ];
  const lines = fields.flatMap(([name, value]) => (value ? [`  ${name} = {${value}}`] : []));
  return `@${type}{${key},\n${lines.join(",\n")}\n}`;
}

/** The papers as a .bib file: entries separated by a blank line, ending with a newline ("" for no papers). */
export function papersToBibtex(papers: readonly Paper[]): string {
  const keys = citationKeys(papers);
  return papers.map((paper, i) => `${bibtexEntry(paper, keys[i]!)}\n`).join("\n");
}
