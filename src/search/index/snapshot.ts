import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { endianness } from "node:os";
import { crc32 } from "node:zlib";
import type { Paper } from "../../corpus/paper.ts";
import type { LoadProblem } from "../../corpus/problems.ts";
import type { EngineState } from "../engine.ts";

/**
 * The snapshot file: what a warm start needs (the papers, the engine state, FlexSearch's postings) in
 * named sections, each with its length and CRC-32, listed in a trailer that names the content key it was
 * built for. A reader checks the key before reading anything else (stale: ignored) and each section's
 * checksum before parsing it (damaged: ignored); a file cut short has no valid footer. Writes go to a
 * temporary file renamed into place, so a crash mid-write never leaves half a snapshot under the name.
 *
 * Layout: sections..., trailer JSON, footer "paperbot-snapshot <format> <trailer length>" padded to
 * FOOTER_LENGTH bytes. Text sections are ASCII JSON; abstracts and postings are stored raw, because they
 * are most of the file and parsing them as JSON is slow (docs/search.md has the figures).
 */

const MAGIC = "paperbot-snapshot";
/** Bump when the layout changes. Typed arrays are stored in this machine's byte order, part of the format. */
const FORMAT = `2${endianness()}`;
const FOOTER_LENGTH = 64;
/** Papers per section: small sections keep memory flat while reading and writing. */
const PAPERS_PER_SECTION = 2000;
const BINARY_SECTIONS = new Set(["wordTerms", "index.postings", "titles.postings"]);
/** Abstracts that are Latin-1 throughout (nearly all) go to a raw text section; the others stay in the JSON. */
const BEYOND_LATIN1 = /[^\x00-\xff]/;

export interface SnapshotContents {
  /** The content key: the corpus and the code that indexed it (src/search/open-search.ts). */
  key: string;
  corpus: { files: string[]; problems: LoadProblem[]; duplicatesMerged: number };
  papers: Paper[];
  state: EngineState;
}

interface Section {
  name: string;
  length: number;
  crc: number;
}

interface Trailer {
  key: string;
  created: string;
  corpus: SnapshotContents["corpus"];
  sections: Section[];
}

/** The engine state without its typed arrays, which get sections of their own. */
type StateJson = Omit<EngineState, "analyzer" | "index" | "titles"> & {
  analyzer: Omit<EngineState["analyzer"], "wordTerms">;
  index: Omit<EngineState["index"], "postings">;
  titles: Omit<EngineState["titles"], "postings">;
};

export type SnapshotRead = { ok: true; contents: SnapshotContents } | { ok: false; reason: string };

/** Writes a snapshot; yields to the event loop between sections so that a running bot stays responsive. */
export async function writeSnapshot(path: string, contents: SnapshotContents): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  const file = await open(temporary, "w");
  const sections: Section[] = [];
  const put = async (name: string, bytes: Buffer) => {
    sections.push({ name, length: bytes.length, crc: crc32(bytes) });
    await file.write(bytes);
    await new Promise((resolve) => setImmediate(resolve));
  };
  try {
    for (let i = 0; i < contents.papers.length; i += PAPERS_PER_SECTION) {
      const { abstracts, papers } = splitAbstracts(contents.papers.slice(i, i + PAPERS_PER_SECTION));
      await put("abstracts", Buffer.from(abstracts, "latin1"));
      await put("papers", asciiJson(papers));
    }
    const { analyzer, index, titles, ...rest } = contents.state;
    const state: StateJson = {
      ...rest,
      analyzer: { words: analyzer.words, terms: analyzer.terms },
      index: { terms: index.terms, docs: index.docs },
      titles: { terms: titles.terms, docs: titles.docs },
    };
    await put("state", asciiJson(state));
    await put("wordTerms", bytesOf(analyzer.wordTerms));
    await put("index.postings", bytesOf(index.postings));
    await put("titles.postings", bytesOf(titles.postings));
    const trailer: Trailer = { key: contents.key, created: new Date().toISOString(), corpus: contents.corpus, sections };
    const trailerBytes = asciiJson(trailer);
    await file.write(trailerBytes);
    await file.write(Buffer.from(`${MAGIC} ${FORMAT} ${trailerBytes.length}\n`.padEnd(FOOTER_LENGTH, " "), "latin1"));
    await file.sync();
    await file.close();
    await rename(temporary, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reads a snapshot built for `key`; anything else (missing, stale, damaged) is a reason, never contents. */
export function readSnapshot(path: string, key: string): SnapshotRead {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return { ok: false, reason: "no snapshot yet" };
  }
  try {
    return readOpen(fd, key);
  } catch (error) {
    return { ok: false, reason: `damaged: ${(error as Error).message}` };
  } finally {
    closeSync(fd);
  }
}

function readOpen(fd: number, key: string): SnapshotRead {
  const size = fstatSync(fd).size;
  if (size < FOOTER_LENGTH) return { ok: false, reason: "damaged: too short" };
  const footer = /^paperbot-snapshot (\S+) (\d+)\n *$/.exec(readAt(fd, size - FOOTER_LENGTH, FOOTER_LENGTH).toString("latin1"));
  if (!footer) return { ok: false, reason: "damaged: no footer (cut short?)" };
  if (footer[1] !== FORMAT) return { ok: false, reason: `stale: format ${footer[1]}, not ${FORMAT}` };
  const trailerStart = size - FOOTER_LENGTH - Number(footer[2]);
  if (trailerStart < 0) return { ok: false, reason: "damaged: trailer length" };
  const trailer = JSON.parse(readAt(fd, trailerStart, Number(footer[2])).toString("latin1")) as Trailer;
  if (trailer.key !== key) return { ok: false, reason: "stale: built for another corpus or another version of the code" };
  if (trailer.sections.reduce((sum, section) => sum + section.length, 0) !== trailerStart) return { ok: false, reason: "damaged: section lengths" };

  const papers: Paper[] = [];
  const binary = new Map<string, Int32Array>();
  let abstracts = "";
  let state: StateJson | undefined;
  let offset = 0;
  let buffer = Buffer.allocUnsafe(0);
  for (const section of trailer.sections) {
    // Text sections share one buffer (they are decoded right away); typed arrays get their own, used in place.
    const raw = BINARY_SECTIONS.has(section.name);
    if (!raw && buffer.length < section.length) buffer = Buffer.allocUnsafe(Math.max(section.length, buffer.length * 2));
    const bytes = readAt(fd, offset, section.length, raw ? Buffer.allocUnsafeSlow(section.length) : buffer);
    offset += section.length;
    if (crc32(bytes) !== section.crc) return { ok: false, reason: `damaged: checksum of section ${section.name}` };
    if (section.name === "abstracts") abstracts = bytes.toString("latin1");
    else if (section.name === "papers") joinAbstracts(JSON.parse(bytes.toString("latin1")) as StoredPaper[], abstracts, papers);
    else if (section.name === "state") state = JSON.parse(bytes.toString("latin1")) as StateJson;
    else if (raw) binary.set(section.name, new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    else return { ok: false, reason: `damaged: unknown section ${section.name}` };
  }
  const wordTerms = binary.get("wordTerms");
  const indexPostings = binary.get("index.postings");
  const titlePostings = binary.get("titles.postings");
  if (!state || !wordTerms || !indexPostings || !titlePostings) return { ok: false, reason: "damaged: sections missing" };
  const engine: EngineState = {
    ...state,
    analyzer: { ...state.analyzer, wordTerms },
    index: { ...state.index, postings: indexPostings },
    titles: { ...state.titles, postings: titlePostings },
  };
  return { ok: true, contents: { key, corpus: trailer.corpus, papers, state: engine } };
}

/** A paper as stored: `abstract` is its length in the section's abstracts text when it is there. */
type StoredPaper = Omit<Paper, "abstract"> & { abstract: string | number };

function splitAbstracts(papers: Paper[]): { abstracts: string; papers: StoredPaper[] } {
  const parts: string[] = [];
  const stored = papers.map((paper): StoredPaper => {
    if (BEYOND_LATIN1.test(paper.abstract)) return paper;
    parts.push(paper.abstract);
    return { ...paper, abstract: paper.abstract.length };
  });
  return { abstracts: parts.join(""), papers: stored };
}

/** Papers with their abstracts cut from the section's text (substrings share its memory). */
function joinAbstracts(stored: StoredPaper[], abstracts: string, into: Paper[]): void {
  let at = 0;
  for (const paper of stored) {
    if (typeof paper.abstract === "number") {
      const end = at + paper.abstract;
      paper.abstract = abstracts.slice(at, end);
      at = end;
    }
    into.push(paper as Paper);
  }
}

/**
 * JSON with every non-ASCII character escaped ("é" -> "\u00e9"), as bytes: it decodes as Latin-1, a plain
 * copy and much faster than decoding UTF-8; JSON.parse restores the characters.
 */
function asciiJson(value: unknown): Buffer {
  const json = JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return Buffer.from(json, "latin1");
}

function bytesOf(array: Int32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** `length` bytes at `position`, read into `into` (reused between sections) when given. */
function readAt(fd: number, position: number, length: number, into?: Buffer): Buffer {
  const buffer = into ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n === 0) throw new Error("unexpected end of file");
    read += n;
  }
  return buffer;
}
