import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { Paper } from "./paper.ts";
import { parseCorpusText, parseJsonLine } from "./parse-corpus-text.ts";
import type { Parsed } from "./problems.ts";
import { pauser } from "../responsiveness.ts";

/**
 * Reads and parses one corpus file as a stream. JSON Lines (the big corpora) are parsed line by line while
 * gzip decompresses the rest on another thread, and each line is decoded on its own, never the whole file
 * into one string. Other formats are read whole and go to
 * parseCorpusText. Gzip is recognized by its magic bytes, the format by content.
 */

/** JSON Lines parsed between chances for the event loop to turn: some 60 records, a few milliseconds. */
const PARSE_SLICE_BYTES = 1 << 16;
const GZIP_MAGIC = [0x1f, 0x8b];
const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

async function isGzipped(file: string): Promise<boolean> {
  const handle = await open(file);
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** The first byte that is not white space (after a byte-order mark), or undefined when there is none yet. */
function firstContentByte(chunk: Buffer): number | undefined {
  let i = chunk[0] === BOM[0] && chunk[1] === BOM[1] && chunk[2] === BOM[2] ? 3 : 0;
  while (i < chunk.length && (chunk[i] === 0x20 || (chunk[i]! >= 0x09 && chunk[i]! <= 0x0d))) i++;
  return chunk[i];
}

/** Limits on what one corpus file may hold, so that a hostile or broken file costs bounded memory. */
export const CORPUS_LIMITS = {
  /** A JSON Lines line longer than this is reported and skipped (a paper is a few kilobytes). */
  lineBytes: 16 * 1024 * 1024,
  /** A file read whole (a JSON array, a saved page), after decompression. */
  wholeFileBytes: 512 * 1024 * 1024,
};

/**
 * Parses lines from successive chunks. A line split across chunks is collected as a list of pieces and
 * joined once, when it ends: joining at every chunk would copy a long line over and over (quadratic).
 */
export class JsonLinesParser {
  readonly result: Parsed<Paper> = { records: [], problems: [] };
  private line = 0;
  private pieces: Buffer[] = [];
  private pending = 0;

  constructor(private readonly file: string) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.add(chunk.subarray(start, end), false);
      this.finishLine();
      start = end + 1;
    }
    if (start < chunk.length) this.add(chunk.subarray(start), true);
  }

  end(): Parsed<Paper> {
    if (this.pieces.length || this.pending) this.finishLine();
    return this.result;
  }

  private add(piece: Buffer, keep: boolean): void {
    this.pending += piece.length;
    // Past the limit the line is only counted, not kept; copy what is kept: the stream reuses chunks.
    if (this.pending <= CORPUS_LIMITS.lineBytes) this.pieces.push(keep ? Buffer.from(piece) : piece);
  }

  private finishLine(): void {
    const tooLong = this.pending > CORPUS_LIMITS.lineBytes;
    const bytes = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces);
    this.pieces = [];
    this.pending = 0;
    if (tooLong) {
      this.line++;
      this.result.problems.push({ file: this.file, line: this.line, reason: `line longer than ${CORPUS_LIMITS.lineBytes} bytes: skipped` });
      return;
    }
    this.parse(bytes);
  }

  private parse(bytes: Buffer): void {
    this.line++;
    let text = bytes.toString("utf8");
    if (this.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() !== "") parseJsonLine(text, this.line, this.file, this.result);
  }
}

export async function parseCorpusFile(file: string): Promise<Parsed<Paper>> {
  // Opened only once the file is known to be readable: a stream's error with no listener yet (while an
  // await runs) would end the process.
  const gzipped = await isGzipped(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = gzipped ? raw.pipe(createGunzip({ chunkSize: 1 << 18 })) : raw;
  raw.on("error", (error) => stream.destroy(error));
  let lines: JsonLinesParser | undefined;
  const pause = pauser();
  const whole: Buffer[] = [];
  let wholeBytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (!lines && whole.length === 0 && firstContentByte(chunk) === 0x7b /* { */) lines = new JsonLinesParser(file);
    if (lines) {
      // A chunk holds a thousand records or so: parsed a slice at a time, so that an ingest in the running
      // bot lets interactions through in between.
      for (let at = 0; at < chunk.length; at += PARSE_SLICE_BYTES) {
        lines.push(chunk.subarray(at, at + PARSE_SLICE_BYTES));
        await pause();
      }
    }
    else {
      wholeBytes += chunk.length;
      if (wholeBytes > CORPUS_LIMITS.wholeFileBytes) {
        stream.destroy();
        throw new Error(`${file} holds more than ${CORPUS_LIMITS.wholeFileBytes} bytes in one document (after decompression); split it, or write it as JSON Lines`);
      }
      whole.push(chunk);
    }
  }
  return lines ? lines.end() : parseCorpusText(Buffer.concat(whole).toString("utf8"), file);
}
