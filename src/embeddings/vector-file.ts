import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { crc32 } from "node:zlib";

/**
 * The paper vectors of one model on disk, beside the search snapshot: an append-only file, so embedding a
 * large corpus can stop at any point (a crash, a restart) and resume with the papers still missing.
 * Layout: a header line "paperbot-vectors 1 <dims> <model>\n", then records of
 * [key length u16][key utf-8][scale f32][dims × int8][crc32 of all of the record before it]. A record cut
 * short by a crash fails its checksum: the file is truncated to the last good record and appending goes on.
 */

const MAGIC = "paperbot-vectors 1";
const headerOf = (model: string, dims: number) => Buffer.from(`${MAGIC} ${dims} ${model.replace(/\s+/g, "_")}\n`, "utf8");

export class VectorFile {
  private constructor(
    private readonly fd: number,
    readonly dims: number,
  ) {}

  /** The file's vectors when it exists and was made by `model`, each passed to `loaded`; undefined otherwise. */
  static open(path: string, model: string, loaded: (key: string, values: Int8Array, scale: number) => void): VectorFile | undefined {
    if (!existsSync(path)) return undefined;
    const fd = openSync(path, "r+");
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 512));
    readSync(fd, head, 0, head.length, 0);
    const line = head.toString("utf8", 0, Math.max(0, head.indexOf(10) + 1));
    const dims = Number(/^paperbot-vectors 1 (\d+) /.exec(line)?.[1]);
    if (!line || !dims || !headerOf(model, dims).equals(Buffer.from(line, "utf8"))) {
      closeSync(fd);
      return undefined;
    }
    const good = readRecords(fd, line.length, size, dims, loaded);
    if (good < size) ftruncateSync(fd, good);
    return new VectorFile(fd, dims);
  }

  /** A new, empty file for `model` (replacing whatever was at `path`). */
  static create(path: string, model: string, dims: number): VectorFile {
    const fd = openSync(path, "w+");
    writeSync(fd, headerOf(model, dims));
    return new VectorFile(fd, dims);
  }

  append(key: string, values: Int8Array, scale: number): void {
    const keyBytes = Buffer.from(key, "utf8");
    const record = Buffer.alloc(2 + keyBytes.length + 4 + this.dims + 4);
    record.writeUInt16LE(keyBytes.length, 0);
    keyBytes.copy(record, 2);
    record.writeFloatLE(scale, 2 + keyBytes.length);
    Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(record, 6 + keyBytes.length);
    record.writeUInt32LE(crc32(record.subarray(0, record.length - 4)), record.length - 4);
    writeSync(this.fd, record, 0, record.length, fstatSync(this.fd).size);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Reads records from `start`; returns where the last good one ends. */
function readRecords(fd: number, start: number, size: number, dims: number, loaded: (key: string, values: Int8Array, scale: number) => void): number {
  const data = Buffer.alloc(size - start);
  readSync(fd, data, 0, data.length, start);
  let at = 0;
  while (at + 2 <= data.length) {
    const keyLength = data.readUInt16LE(at);
    const end = at + 2 + keyLength + 4 + dims + 4;
    if (end > data.length || data.readUInt32LE(end - 4) !== crc32(data.subarray(at, end - 4))) break;
    loaded(data.toString("utf8", at + 2, at + 2 + keyLength), new Int8Array(data.buffer, data.byteOffset + at + 6 + keyLength, dims), data.readFloatLE(at + 2 + keyLength));
    at = end;
  }
  return start + at;
}
