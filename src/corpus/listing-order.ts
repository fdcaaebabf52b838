import type { Paper } from "./paper.ts";

/**
 * Papers newest first, as digests and trending lists show them: by listing date (the day a listing such
 * as Hugging Face Daily Papers featured the paper), else publication date, else the venue's year, then
 * most upvoted, then in corpus order; papers with no date last.
 */

const FULL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;
const MONTH_DAY = /^--(\d{2})-(\d{2})$/;

/** The year in a venue's name ("NeurIPS 2023" → "2023"), for papers known only by where they appeared. */
const venueYear = (venue: string | undefined) => (venue && /\b(?:19|20)\d{2}\b/.exec(venue)?.[0]) || "";
const rawDate = (paper: Paper) => paper.listed?.trim() || paper.published?.trim() || venueYear(paper.venue);
/** A paper's full date (YYYY, YYYY-MM or YYYY-MM-DD), "" for none or a year-less one. */
const fullDate = (paper: Paper) => FULL_DATE.exec(rawDate(paper))?.[0] ?? "";

/**
 * A paper's sortable date key ("" = no date): its listing date, else its publication date. A year-less
 * "--MM-DD" listing is placed in the most recent year in which that month-day is not after `newest`, the
 * newest full date among the papers (so "--08-04" sorts next to "2024-08-03" when the newest dated paper
 * is from 2024); with no full dates at all, year-less dates compare by month-day.
 */
function dateKey(paper: Paper, newest: string): string {
  const monthDay = MONTH_DAY.exec(rawDate(paper));
  if (!monthDay) return fullDate(paper);
  const newestYear = newest ? Number(newest.slice(0, 4)) : 0;
  const newestMonthDay = newest.length >= 10 ? newest.slice(5, 10) : newest.length === 7 ? `${newest.slice(5, 7)}-31` : "12-31";
  const md = `${monthDay[1]}-${monthDay[2]}`;
  const year = newestYear === 0 ? 0 : md <= newestMonthDay ? newestYear : newestYear - 1;
  return `${String(year).padStart(4, "0")}-${md}`;
}

const DAY_MS = 86_400_000;

/**
 * A sortable date ("2024-08-04", "2024-08", "2024") as the day it starts, in days since 1970; undefined for "".
 * Year 0000 (year-less listings in a corpus with no full date) stays year 0, not 1900 as Date.UTC would read it.
 */
export function dayOf(date: string): number | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date);
  if (!match) return undefined;
  const day = new Date(Date.UTC(2000, Number(match[2] ?? 1) - 1, Number(match[3] ?? 1)));
  return day.setUTCFullYear(Number(match[1])) / DAY_MS;
}

/** A day from dayOf as "2024-08-04", or "--08-04" for a year-less one (year 0000). */
export function dayDate(day: number): string {
  const iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
  return iso.startsWith("0000-") ? `-${iso.slice(4)}` : iso;
}

/** Whether a sortable date has a real year (not a year-less listing placed in year 0000). */
export const hasYear = (date: string) => date !== "" && !date.startsWith("0000");

interface Entry {
  /** The paper's place in the corpus: its input order. */
  doc: number;
  date: string;
  upvotes: number;
}

const newerFirst = (a: Entry, b: Entry) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0) || b.upvotes - a.upvotes || a.doc - b.doc;

/** Papers newest listing date first (papers with no date last), then most upvoted, then in input order. */
export function newestFirst(papers: readonly Paper[]): Paper[] {
  return [...new ListingOrder(papers).papers()];
}

/**
 * The newest-first order of a corpus that grows and changes (the search engine's papers, by position).
 * Sorted once; the papers added or replaced since are kept aside, sorted among themselves, and merged in
 * as the order is walked, so a digest reading its first few papers during an ingest costs a few papers,
 * not a sort (90 ms at 87k papers) or a pass over the corpus. They are folded into the sorted order, in
 * one pass, once they are a sixteenth of it.
 */
export class ListingOrder {
  /** Sorted; the entries of `moved` papers are out of date there and skipped. */
  private base: Entry[] = [];
  /** The `moved` papers' entries as they are now, sorted. */
  private fresh: Entry[] = [];
  /** Papers added, replaced or re-dated since `base` was sorted, as a set and as a mask by position. */
  private readonly moved = new Set<number>();
  private movedMask = new Uint8Array(0);
  /** Papers touched since `fresh` was sorted. */
  private readonly touched = new Set<number>();
  /** Each paper's full date as last seen, and how many papers have each: the newest of them places year-less dates. */
  private readonly dates: string[] = [];
  private readonly dateCounts = new Map<string, number>();
  private readonly yearless = new Set<number>();
  private newest = "";
  private sorted = false;

  constructor(private readonly corpus: readonly Paper[]) {}

  /** The paper at `doc` was added or replaced. */
  touch(doc: number): void {
    if (this.sorted) this.touched.add(doc);
  }

  /** The papers newest first, read lazily (and as often as needed). */
  papers(): Iterable<Paper> {
    const dated = this.dated();
    return { [Symbol.iterator]: () => this.papersOf(dated) };
  }

  /** The papers newest first with their sortable dates ("2024-08-04", "2024-08", "2024"; "" when undated). */
  dated(): Iterable<{ paper: Paper; date: string }> {
    if (!this.sorted) this.sortAll();
    else if (this.touched.size > 0) this.update();
    const { base, fresh, movedMask } = this;
    return { [Symbol.iterator]: () => this.walk(base, fresh, movedMask) };
  }

  private *papersOf(dated: Iterable<{ paper: Paper }>): Generator<Paper> {
    for (const { paper } of dated) yield paper;
  }

  private *walk(base: readonly Entry[], fresh: readonly Entry[], moved: Uint8Array): Generator<{ paper: Paper; date: string }> {
    let f = 0;
    const item = (entry: Entry) => ({ paper: this.corpus[entry.doc]!, date: entry.date });
    for (const entry of base) {
      if (moved[entry.doc]) continue;
      while (f < fresh.length && newerFirst(fresh[f]!, entry) < 0) yield item(fresh[f++]!);
      yield item(entry);
    }
    while (f < fresh.length) yield item(fresh[f++]!);
  }

  private entry(doc: number): Entry {
    const paper = this.corpus[doc]!;
    return { doc, date: dateKey(paper, this.newest), upvotes: paper.upvotes ?? -1 };
  }

  /** Notes a paper's full date (and whether its date is year-less); true when the newest full date changed. */
  private noteDate(doc: number): boolean {
    const paper = this.corpus[doc]!;
    const before = this.dates[doc];
    const date = fullDate(paper);
    if (MONTH_DAY.test(rawDate(paper))) this.yearless.add(doc);
    else this.yearless.delete(doc);
    if (before === date) return false;
    this.dates[doc] = date;
    if (before) this.dateCounts.set(before, this.dateCounts.get(before)! - 1);
    if (date) this.dateCounts.set(date, (this.dateCounts.get(date) ?? 0) + 1);
    if (date > this.newest) this.newest = date;
    else if (before === this.newest && this.dateCounts.get(before) === 0) this.newest = [...this.dateCounts].reduce((newest, [key, count]) => (count > 0 && key > newest ? key : newest), "");
    else return false;
    return true;
  }

  private sortAll(): void {
    this.corpus.forEach((_, doc) => this.noteDate(doc));
    this.base = this.corpus.map((_, doc) => this.entry(doc)).sort(newerFirst);
    this.fresh = [];
    this.moved.clear();
    this.touched.clear();
    this.movedMask = new Uint8Array(0);
    this.sorted = true;
  }

  private update(): void {
    let anchorMoved = false;
    for (const doc of this.touched) anchorMoved = this.noteDate(doc) || anchorMoved;
    for (const doc of this.touched) this.moved.add(doc);
    // A new newest date places every year-less date anew.
    if (anchorMoved) for (const doc of this.yearless) this.moved.add(doc);
    this.touched.clear();
    this.fresh = [...this.moved].map((doc) => this.entry(doc)).sort(newerFirst);
    if (this.moved.size > this.corpus.length / 16) return this.fold();
    this.movedMask = new Uint8Array(this.corpus.length);
    for (const doc of this.moved) this.movedMask[doc] = 1;
  }

  /** Merges the fresh entries into the sorted order, in one pass. */
  private fold(): void {
    const kept = this.base.filter((entry) => !this.moved.has(entry.doc));
    const merged: Entry[] = new Array(kept.length + this.fresh.length);
    let k = 0;
    let f = 0;
    for (let i = 0; i < merged.length; i++) merged[i] = f === this.fresh.length || (k < kept.length && newerFirst(kept[k]!, this.fresh[f]!) <= 0) ? kept[k++]! : this.fresh[f++]!;
    this.base = merged;
    this.fresh = [];
    this.moved.clear();
    this.movedMask = new Uint8Array(0);
  }
}
