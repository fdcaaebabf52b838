import { WORD_STEP, type ScoreBoard } from "./score-board.ts";

/**
 * The order of results: the paper the query names exactly first; then, for keyword queries, papers
 * matching more of the words; then by score; ties by corpus order. Selecting the best k with a small heap
 * costs one comparison for most papers, where sorting tens of thousands of matches would cost milliseconds;
 * and when enough papers match every word of a keyword query, only those are looked at.
 */
export interface Order {
  board: ScoreBoard;
  /** Papers matching more words first (keyword queries); off for natural-language queries. */
  wordsFirst: boolean;
  exactDoc: number | undefined;
}

/** The best `k` touched papers, best first. */
export function topPapers(order: Order, k: number): number[] {
  const { board, exactDoc, wordsFirst } = order;
  if (k <= 0) return [];
  const first = exactDoc === undefined ? [] : [exactDoc];
  const wanted = k - first.length;
  // Every paper on the complete list has every word: among them the total orders like the score.
  const fromComplete = wordsFirst && board.completeCount >= wanted + 1;
  const candidates = fromComplete ? board.complete : board.touched;
  const count = fromComplete ? board.completeCount : board.touchedCount;
  return [...first, ...best(board, candidates, count, wanted, !wordsFirst, exactDoc)];
}

/** Every touched paper, best first. */
export function allPapers(order: Order): number[] {
  return topPapers(order, order.board.touchedCount);
}

/**
 * The `k` best of the first `count` candidates, by total or, with `byScore`, by score alone (ties: lower doc
 * first), skipping `skip`, best first.
 */
function best(board: ScoreBoard, candidates: Int32Array, count: number, k: number, byScore: boolean, skip: number | undefined): number[] {
  // A min-heap of the best k so far: its root is the weakest, the one a newcomer must beat.
  const docs: number[] = [];
  const keys: number[] = [];
  const totals = board.total;
  for (let i = 0; i < count; i++) {
    const doc = candidates[i]!;
    const total = totals[doc]!;
    const value = byScore ? total - Math.floor(total / WORD_STEP) * WORD_STEP : total;
    if (docs.length < k) {
      if (doc === skip) continue;
      docs.push(doc);
      keys.push(value);
      siftUp(docs, keys, docs.length - 1);
    } else if (value >= keys[0]! && doc !== skip && above(doc, value, docs[0]!, keys[0]!)) {
      docs[0] = doc;
      keys[0] = value;
      siftDown(docs, keys, 0);
    }
  }
  const ranked = docs.map((doc, i) => ({ doc, key: keys[i]! }));
  ranked.sort((a, b) => (above(a.doc, a.key, b.doc, b.key) ? -1 : 1));
  return ranked.map((entry) => entry.doc);
}

function above(a: number, keyA: number, b: number, keyB: number): boolean {
  return keyA > keyB || (keyA === keyB && a < b);
}

function siftUp(docs: number[], keys: number[], index: number): void {
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    // The weaker of the two goes up.
    if (!above(docs[parent]!, keys[parent]!, docs[i]!, keys[i]!)) break;
    swap(docs, keys, i, parent);
    i = parent;
  }
}

function siftDown(docs: number[], keys: number[], index: number): void {
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let weakest = i;
    if (left < docs.length && above(docs[weakest]!, keys[weakest]!, docs[left]!, keys[left]!)) weakest = left;
    if (right < docs.length && above(docs[weakest]!, keys[weakest]!, docs[right]!, keys[right]!)) weakest = right;
    if (weakest === i) return;
    swap(docs, keys, i, weakest);
    i = weakest;
  }
}

function swap(docs: number[], keys: number[], a: number, b: number): void {
  [docs[a], docs[b]] = [docs[b]!, docs[a]!];
  [keys[a], keys[b]] = [keys[b]!, keys[a]!];
}
