import { titleKey } from "./tokenize.ts";
import { FNV_OFFSET, FNV_PRIME, hashRange } from "./word-table.ts";

/**
 * Papers by normalized title (tokenize.ts's titleKey: case, accents and punctuation ignored), for "the
 * paper this query names exactly". Keyed by a hash of the normalized title, computed without building it:
 * keeping 87k normalized titles as keys cost 10 MB and a fifth of a warm start. A hash hit is confirmed
 * against the paper's title; the rare titles whose hash another title already has are kept by key.
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

const NON_ASCII = /[^\x00-\x7f]/;

/** hashRange(titleKey(title)), for ASCII titles without building the key. */
function titleHash(title: string): number {
  if (NON_ASCII.test(title)) {
    const key = titleKey(title);
    return hashRange(key, 0, key.length);
  }
  let hash = FNV_OFFSET;
  let inWord = false;
  let words = 0;
  for (let i = 0; i < title.length; i++) {
    let code = title.charCodeAt(i);
    if (code >= 65 && code <= 90) code += 32;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (!inWord && words++ > 0) hash = Math.imul(hash ^ 32, FNV_PRIME);
      hash = Math.imul(hash ^ code, FNV_PRIME);
      inWord = true;
    } else inWord = false;
  }
  return hash;
}
