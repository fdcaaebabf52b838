import { isAscii, nextWord, titleKey } from "../../text/words.ts";
import { FNV_OFFSET, FNV_PRIME, hashRange } from "../text/word-table.ts";

/**
 * Papers by title key (src/text/words.ts: case, accents and punctuation ignored), for "the paper this
 * query names exactly". Keyed by a hash of the key, computed without building it, so that no key is kept
 * per paper; a hash hit is confirmed against the paper's title, and the rare titles whose hash another
 * title already has are kept by key.
 */
export class TitleLookup {
  private readonly byHash = new Map<number, number>();
  private readonly collisions = new Map<string, number>();

  constructor(private readonly titleOf: (doc: number) => string) {}

  set(title: string, doc: number): void {
    const hash = titleHash(title);
    const holder = this.byHash.get(hash);
    if (holder === undefined || holder === doc || titleKey(this.titleOf(holder)) === titleKey(title)) this.byHash.set(hash, doc);
    else this.collisions.set(titleKey(title), doc);
  }

  delete(title: string, doc: number): void {
    const hash = titleHash(title);
    if (this.byHash.get(hash) === doc) this.byHash.delete(hash);
    if (this.collisions.size && this.collisions.get(titleKey(title)) === doc) this.collisions.delete(titleKey(title));
  }

  get(query: string): number | undefined {
    const doc = this.byHash.get(titleHash(query));
    if (doc !== undefined && titleKey(this.titleOf(doc)) === titleKey(query)) return doc;
    return this.collisions.size ? this.collisions.get(titleKey(query)) : undefined;
  }
}

/** hashRange(titleKey(title)); for an ASCII title, hashed word by word where the words stand. */
export function titleHash(title: string): number {
  if (!isAscii(title)) {
    const key = titleKey(title);
    return hashRange(key, 0, key.length);
  }
  let hash = FNV_OFFSET;
  const word = { start: 0, end: 0 };
  for (let at = 0, words = 0; nextWord(title, at, word, true); at = word.end, words++) {
    if (words > 0) hash = Math.imul(hash ^ 32, FNV_PRIME);
    for (let i = word.start; i < word.end; i++) {
      let code = title.charCodeAt(i);
      if (code >= 65 && code <= 90) code += 32;
      hash = Math.imul(hash ^ code, FNV_PRIME);
    }
  }
  return hash;
}
