/**
 * Paper vectors in memory, compact, searched by cosine similarity. Each vector is stored normalized as
 * int8 (a quarter of float32, a negligible loss for ranking) with its scale, plus one sign bit per
 * dimension. A search first compares the sign bits of every paper (Hamming distance, a table lookup per
 * 16 bits), then scores the closest few hundred exactly: binary quantization with rescoring, as vector
 * databases do, so that a question costs milliseconds at 100k papers rather than a full scan of floats.
 */

/** How many papers, per result wanted, the sign-bit pass keeps for exact scoring. */
const RESCORE_FACTOR = 10;
const MIN_RESCORED = 500;

/** Set bits of every 16-bit value. */
const BITS = new Uint8Array(1 << 16);
for (let i = 1; i < BITS.length; i++) BITS[i] = (i & 1) + BITS[i >> 1]!;

export class VectorIndex {
  private values = new Int8Array(0);
  private scales = new Float32Array(0);
  private codes = new Uint32Array(0);
  private readonly keys: string[] = [];
  private readonly rowOf = new Map<string, number>();
  readonly words: number;

  constructor(readonly dims: number) {
    this.words = Math.ceil(dims / 32);
  }

  get size(): number {
    return this.keys.length;
  }

  /** Adds (or replaces) the vector of `key`, given as int8 values and their scale (see quantize). */
  set(key: string, values: Int8Array, scale: number): void {
    let row = this.rowOf.get(key);
    if (row === undefined) {
      row = this.keys.length;
      this.ensureCapacity(row + 1);
      this.keys.push(key);
      this.rowOf.set(key, row);
    }
    this.values.set(values, row * this.dims);
    this.scales[row] = scale;
    const code = this.codes.subarray(row * this.words, (row + 1) * this.words);
    code.fill(0);
    for (let i = 0; i < this.dims; i++) if (values[i]! > 0) code[i >>> 5]! |= 1 << (i & 31);
  }

  /** The vector kept for `key` (as stored: quantized, then scaled back), if any. */
  vector(key: string): Float32Array | undefined {
    const row = this.rowOf.get(key);
    if (row === undefined) return undefined;
    const scale = this.scales[row]!;
    return Float32Array.from(this.values.subarray(row * this.dims, (row + 1) * this.dims), (value) => value * scale);
  }

  /** The `k` keys most similar to `query` (any length-`dims` vector), best first, with cosine scores. */
  search(query: Float32Array, k: number): Array<{ key: string; score: number }> {
    if (query.length !== this.dims || this.size === 0 || k <= 0) return [];
    const norm = Math.hypot(...query) || 1;
    const code = new Uint32Array(this.words);
    for (let i = 0; i < this.dims; i++) if (query[i]! > 0) code[i >>> 5]! |= 1 << (i & 31);
    const candidates = this.closestCodes(code, Math.max(MIN_RESCORED, k * RESCORE_FACTOR));
    const scored = candidates.map((row) => {
      let dot = 0;
      const base = row * this.dims;
      for (let i = 0; i < this.dims; i++) dot += query[i]! * this.values[base + i]!;
      return { key: this.keys[row]!, score: (dot * this.scales[row]!) / norm };
    });
    return scored.sort((a, b) => b.score - a.score).slice(0, k);
  }

  /** Rows whose sign bits differ least from `code`, at most `limit` of them. */
  private closestCodes(code: Uint32Array, limit: number): number[] {
    const rows = this.size;
    if (rows <= limit) return Array.from({ length: rows }, (_, row) => row);
    // Count rows per distance, then keep the nearest distances until `limit` rows are in.
    const distance = new Uint16Array(rows);
    const histogram = new Uint32Array(this.dims + 1);
    for (let row = 0; row < rows; row++) {
      let d = 0;
      const base = row * this.words;
      for (let w = 0; w < this.words; w++) {
        const x = (this.codes[base + w]! ^ code[w]!) >>> 0;
        d += BITS[x & 0xffff]! + BITS[x >>> 16]!;
      }
      distance[row] = d;
      histogram[d]!++;
    }
    let cutoff = 0;
    for (let kept = 0; cutoff <= this.dims && kept + histogram[cutoff]! < limit; cutoff++) kept += histogram[cutoff]!;
    const chosen: number[] = [];
    for (let row = 0; row < rows; row++) if (distance[row]! <= cutoff) chosen.push(row);
    return chosen;
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.scales.length) return;
    const capacity = Math.max(rows, Math.ceil(this.scales.length * 1.5), 1024);
    const grow = <T extends Int8Array | Float32Array | Uint32Array>(from: T, to: T) => (to.set(from), to);
    this.values = grow(this.values, new Int8Array(capacity * this.dims));
    this.scales = grow(this.scales, new Float32Array(capacity));
    this.codes = grow(this.codes, new Uint32Array(capacity * this.words));
  }
}

/** A vector normalized to unit length and quantized to int8, with the scale that restores it. */
export function quantize(vector: Float32Array): { values: Int8Array; scale: number } {
  const norm = Math.hypot(...vector) || 1;
  let max = 0;
  for (const value of vector) max = Math.max(max, Math.abs(value / norm));
  const scale = max / 127 || 1;
  return { values: Int8Array.from(vector, (value) => Math.round(value / norm / scale)), scale };
}
