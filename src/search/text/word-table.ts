/**
 * Words to small integer ids. Indexing looks up every word of every paper; a Map<string, number> would
 * need each word cut out as a new string first. This table hashes a word where it stands in the text and
 * only compares characters, so a word already known costs no allocation at all.
 */

const EMPTY = -1;
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units: the same hash for a word inside a text and for the word on its own. */
export function hashRange(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

export class WordTable {
  /** Open addressing: slot -> word id, EMPTY when free. */
  private slots = new Int32Array(1 << 16).fill(EMPTY);
  private hashes = new Int32Array(1 << 12);
  readonly words: string[] = [];

  get size(): number {
    return this.words.length;
  }

  /**
   * The id of text[start, end) with ASCII capitals lowered, added when new; `hash` is the hash of that
   * lower-case form. Lowering as it compares saves indexing a lower-case copy of every abstract.
   */
  intern(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id === EMPTY) return this.insert(slot, text.slice(start, end).toLowerCase(), hash);
      if (this.hashes[id] === hash && equalsLowerCase(this.words[id]!, text, start, end)) return id;
    }
  }

  /** The id of a word, or -1 when it is not in the table. */
  find(word: string): number {
    const hash = hashRange(word, 0, word.length);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id === EMPTY) return -1;
      if (this.hashes[id] === hash && this.words[id] === word) return id;
    }
  }

  /** Makes room for `words` words in all, so that adding them does not rehash on the way. */
  reserve(words: number): void {
    let slots = this.slots.length;
    while (words * 2 > slots) slots *= 2;
    if (slots !== this.slots.length) this.rehash(slots);
    if (this.hashes.length < words) {
      const grown = new Int32Array(words);
      grown.set(this.hashes);
      this.hashes = grown;
    }
  }

  /**
   * The id of the ASCII word text[start, end) taken in lower case, without cutting it out; -1 when not in
   * the table. `hash` is the hash of its lower-case form.
   */
  findLowerCase(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id === EMPTY) return -1;
      if (this.hashes[id] === hash && equalsLowerCase(this.words[id]!, text, start, end)) return id;
    }
  }

  add(word: string): number {
    return this.intern(word, 0, word.length, hashRange(word, 0, word.length));
  }

  private insert(slot: number, word: string, hash: number): number {
    const id = this.words.length;
    this.words.push(word);
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = hash;
    this.slots[slot] = id;
    // Keep the table at most half full, so a miss ends after a probe or two.
    if (this.words.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(size = this.slots.length * 2): void {
    const slots = new Int32Array(size).fill(EMPTY);
    const mask = slots.length - 1;
    for (let id = 0; id < this.words.length; id++) {
      let slot = this.hashes[id]! & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/** Whether `word` equals text[start, end) with ASCII capitals lowered. */
function equalsLowerCase(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++) {
    let code = text.charCodeAt(start + i);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== word.charCodeAt(i)) return false;
  }
  return true;
}
