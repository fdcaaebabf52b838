/**
 * The best `k` of a stream of papers, each with a key: higher key first, ties by lower doc (corpus order).
 * A min-heap of the best so far, whose root is the weakest, the one a newcomer must beat: choosing a page
 * from tens of thousands of matches costs one comparison for most of them, where sorting would not.
 */
export class TopK {
  private readonly docs: number[] = [];
  private readonly keys: number[] = [];

  constructor(private readonly k: number) {}

  offer(doc: number, key: number): void {
    const { docs, keys } = this;
    if (docs.length < this.k) {
      docs.push(doc);
      keys.push(key);
      this.siftUp(docs.length - 1);
    } else if (docs.length > 0 && key >= keys[0]! && above(doc, key, docs[0]!, keys[0]!)) {
      docs[0] = doc;
      keys[0] = key;
      this.siftDown(0);
    }
  }

  /** The papers kept, best first. */
  best(): number[] {
    const ranked = this.docs.map((doc, i) => ({ doc, key: this.keys[i]! }));
    ranked.sort((a, b) => (above(a.doc, a.key, b.doc, b.key) ? -1 : 1));
    return ranked.map((entry) => entry.doc);
  }

  private siftUp(index: number): void {
    for (let i = index; i > 0; ) {
      const parent = (i - 1) >> 1;
      // The weaker of the two goes up.
      if (!this.above(parent, i)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const size = this.docs.length;
    for (let i = index; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let weakest = i;
      if (left < size && this.above(weakest, left)) weakest = left;
      if (right < size && this.above(weakest, right)) weakest = right;
      if (weakest === i) return;
      this.swap(i, weakest);
      i = weakest;
    }
  }

  private above(a: number, b: number): boolean {
    return above(this.docs[a]!, this.keys[a]!, this.docs[b]!, this.keys[b]!);
  }

  private swap(a: number, b: number): void {
    const { docs, keys } = this;
    [docs[a], docs[b]] = [docs[b]!, docs[a]!];
    [keys[a], keys[b]] = [keys[b]!, keys[a]!];
  }
}

function above(a: number, keyA: number, b: number, keyB: number): boolean {
  return keyA > keyB || (keyA === keyB && a < b);
}
