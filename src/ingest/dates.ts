/** Calendar days as the Hugging Face API takes them: "YYYY-MM-DD", checked locally so a typo never costs a request. */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** A range is fetched one request per day; a year is already 365 requests. */
export const MAX_RANGE_DAYS = 366;

/** The day's UTC midnight in ms, or undefined for anything that is not a real calendar day ("2024-02-30"). */
export function parseDay(text: string): number | undefined {
  const match = DAY.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  return back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day ? ms : undefined;
}

export const formatDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Every day from `from` to `to`, both included, or a message saying what is wrong with the range. */
export function daysInRange(from: string, to: string): string[] | string {
  const start = parseDay(from);
  const end = parseDay(to);
  if (start === undefined) return `"${from}" is not a date (YYYY-MM-DD)`;
  if (end === undefined) return `"${to}" is not a date (YYYY-MM-DD)`;
  if (end < start) return `the range ends (${to}) before it starts (${from})`;
  const count = (end - start) / MS_PER_DAY + 1;
  if (count > MAX_RANGE_DAYS) return `the range spans ${count} days; at most ${MAX_RANGE_DAYS} at a time`;
  return Array.from({ length: count }, (_, index) => formatDay(start + index * MS_PER_DAY));
}
