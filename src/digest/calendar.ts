/**
 * When a digest runs: a local wall-clock time in an IANA time zone on some weekdays, and the instants
 * that makes. Pure functions; the next run comes from croner (a fixed-time cron job in the time zone).
 *
 * Daylight-saving time, as croner 11 schedules a fixed-time job (one value for second, minute and hour),
 * checked by the unit tests:
 * - spring forward: a time inside the gap (02:30 in Europe/Berlin on 2026-03-29) runs once that day at
 *   the first instant after the gap (03:00 local, 01:00Z), not skipped and not at "02:30 + 1 h";
 * - fall back: a time that happens twice (02:30 in Europe/Berlin on 2026-10-25) runs once, at its first
 *   occurrence (00:30Z); asked after that occurrence, the next run is the following day;
 * - other times keep their local time across the change (09:00 is 08:00Z the day before, 07:00Z on the day).
 */
import { Cron } from "croner";

export interface Schedule {
  /** "HH:MM", 24 h, local to `timezone`. */
  time: string;
  /** IANA time zone, e.g. "Europe/Berlin" or "UTC". */
  timezone: string;
  /** Weekdays to run on, 0 = Sunday .. 6 = Saturday, sorted; [] = every day. */
  days: number[];
}

const TIME = /^(\d{1,2}):(\d{2})$/;

/** "9:05" / "09:05" -> "09:05"; anything that is not a valid 24 h time ("24:00", "9", "9:60") -> undefined. */
export function parseTime(text: string): string | undefined {
  const match = TIME.exec(text.trim());
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, "0")}:${match[2]}`;
}

const DAY_NAMES: ReadonlyArray<readonly string[]> = [
  ["sun", "sunday", "sundays"],
  ["mon", "monday", "mondays"],
  ["tue", "tues", "tuesday", "tuesdays"],
  ["wed", "weds", "wednesday", "wednesdays"],
  ["thu", "thur", "thurs", "thursday", "thursdays"],
  ["fri", "friday", "fridays"],
  ["sat", "saturday", "saturdays"],
];
const DAY_BY_NAME = new Map<string, number>(DAY_NAMES.flatMap((names, day) => names.map((name) => [name, day] as const)));
const GROUPS = new Map<string, number[]>([
  ["weekdays", [1, 2, 3, 4, 5]],
  ["weekday", [1, 2, 3, 4, 5]],
  ["weekends", [0, 6]],
  ["weekend", [0, 6]],
]);
const EVERY_DAY = new Set(["", "every day", "everyday", "daily", "all", "any", "every", "all days"]);
const SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/**
 * Weekdays from what a user types: undefined, "", "every day", "daily" -> [] (every day); "weekdays" ->
 * [1..5]; "weekends" -> [0, 6]; names or 3-letter abbreviations separated by commas or spaces, and ranges
 * ("mon-fri", "fri-mon" wraps), case-insensitive -> sorted unique days. All seven days -> []. Anything
 * else -> undefined.
 */
export function parseDays(text: string | undefined): number[] | undefined {
  const normalized = (text ?? "").trim().toLowerCase().replace(/\s+/g, " ");
  if (EVERY_DAY.has(normalized)) return [];
  const days = new Set<number>();
  for (const part of normalized.split(/[\s,;/&+]+|\band\b/)) {
    if (part === "") continue;
    const group = GROUPS.get(part);
    if (group) {
      for (const day of group) days.add(day);
      continue;
    }
    const range = /^([a-z]+)-([a-z]+)$/.exec(part);
    if (range) {
      const from = DAY_BY_NAME.get(range[1]!);
      const to = DAY_BY_NAME.get(range[2]!);
      if (from === undefined || to === undefined) return undefined;
      for (let day = from; ; day = (day + 1) % 7) {
        days.add(day);
        if (day === to) break;
      }
      continue;
    }
    const day = DAY_BY_NAME.get(part);
    if (day === undefined) return undefined;
    days.add(day);
  }
  if (days.size === 0) return undefined;
  if (days.size === 7) return [];
  return [...days].sort((a, b) => a - b);
}

/** [] (or all seven) -> "every day"; [1..5] -> "weekdays"; [0, 6] -> "weekends"; else "Mon, Wed". */
export function formatDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length === 7) return "every day";
  const key = sorted.join(",");
  if (key === "1,2,3,4,5") return "weekdays";
  if (key === "0,6") return "weekends";
  return sorted.map((day) => SHORT[day] ?? `day ${day}`).join(", ");
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter giving the local date, time and weekday in a time zone; throws on an unknown zone. */
function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    });
    if (formatters.size >= 500) formatters.clear(); // case variants of names could otherwise grow it without bound
    formatters.set(timezone, format);
  }
  return format;
}

/** Whether Intl (and so croner) knows the time zone: "UTC", "Europe/Berlin" yes; "Mars/Base", "" no. */
export function isValidTimezone(timezone: string): boolean {
  if (typeof timezone !== "string" || timezone.trim() === "" || timezone !== timezone.trim()) return false;
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Current IANA names that this ICU accepts but does not list (it lists "Asia/Calcutta", not
 * "Asia/Kolkata"), so that autocomplete finds a city by the name people use now.
 */
const MODERN_NAMES = [
  "Africa/Asmara", "America/Argentina/Buenos_Aires", "America/Atikokan", "America/Indiana/Indianapolis",
  "America/Kentucky/Louisville", "America/Nuuk", "Asia/Ho_Chi_Minh", "Asia/Kathmandu", "Asia/Kolkata",
  "Asia/Yangon", "Atlantic/Faroe", "Europe/Kyiv", "Pacific/Chuuk", "Pacific/Kanton", "Pacific/Pohnpei",
];

let allZones: string[] | undefined;

/** Every time zone offered in autocomplete: Intl's list, "UTC", and the modern names Intl accepts. */
export function timezoneNames(): readonly string[] {
  if (!allZones) {
    const names = new Set<string>(["UTC", ...Intl.supportedValuesOf("timeZone")]);
    for (const name of MODERN_NAMES) if (isValidTimezone(name)) names.add(name);
    allZones = [...names].sort();
  }
  return allZones;
}

/** The zone as listed ("europe/berlin" -> "Europe/Berlin", "utc" -> "UTC"), Intl's own name otherwise; undefined if unknown. */
export function normalizeTimezone(timezone: string): string | undefined {
  const trimmed = timezone.trim();
  const folded = trimmed.toLowerCase().replace(/ /g, "_");
  const listed = timezoneNames().find((name) => name.toLowerCase() === folded);
  if (listed) return listed;
  if (!isValidTimezone(trimmed)) return undefined;
  return formatter(trimmed).resolvedOptions().timeZone;
}

/**
 * Autocomplete: zones containing what was typed (case-insensitive; a space matches "_", so "new york"
 * finds "America/New_York"), best first: the exact name, then names starting with it, then names with a
 * part ("Berlin" in "Europe/Berlin", "York" in "New_York") starting with it, then any other match;
 * alphabetical within each. Nothing typed: "UTC" first, then alphabetical.
 */
export function timezoneChoices(typed: string, limit: number): string[] {
  if (limit <= 0) return [];
  const query = typed.trim().toLowerCase().replace(/\s+/g, "_");
  const ranked: Array<{ name: string; rank: number }> = [];
  for (const name of timezoneNames()) {
    const lower = name.toLowerCase();
    const at = lower.indexOf(query);
    if (at < 0) continue;
    let rank = 3;
    if (lower === query) rank = 0;
    else if (at === 0) rank = 1;
    else if (partStarts(lower, query)) rank = 2;
    if (query === "" && name === "UTC") rank = 0;
    ranked.push({ name, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return ranked.slice(0, limit).map((entry) => entry.name);
}

/** Whether the query starts right after a "/" or "_" in the name. */
function partStarts(lower: string, query: string): boolean {
  for (let at = lower.indexOf(query); at >= 0; at = lower.indexOf(query, at + 1)) {
    const before = lower[at - 1];
    if (before === "/" || before === "_") return true;
  }
  return false;
}

/** Throws a RangeError naming what is wrong with a schedule; returns its hour and minute. */
function checked(schedule: Schedule): { hour: number; minute: number } {
  const time = parseTime(schedule.time);
  if (!time) throw new RangeError(`Invalid digest time "${schedule.time}": expected HH:MM (24 h)`);
  if (!isValidTimezone(schedule.timezone)) throw new RangeError(`Unknown time zone "${schedule.timezone}"`);
  for (const day of schedule.days) {
    if (!Number.isInteger(day) || day < 0 || day > 6) throw new RangeError(`Invalid weekday ${day}: expected 0 (Sunday) to 6 (Saturday)`);
  }
  return { hour: Number(time.slice(0, 2)), minute: Number(time.slice(3)) };
}

/** The croner pattern of a schedule: "0 MM HH * * DOW" (seconds, fixed time, weekdays or "*"). */
export function cronPattern(schedule: Schedule): string {
  const { hour, minute } = checked(schedule);
  const days = [...new Set(schedule.days)].sort((a, b) => a - b);
  return `0 ${minute} ${hour} * * ${days.length === 0 ? "*" : days.join(",")}`;
}

const jobs = new Map<string, Cron>();

/** A croner job used only to compute run times (no function, so it never schedules a timer), cached. */
function cronJob(pattern: string, timezone: string): Cron {
  const key = `${timezone} ${pattern}`;
  let job = jobs.get(key);
  if (!job) {
    if (jobs.size >= 1000) jobs.clear();
    job = new Cron(pattern, { timezone, mode: "6-part", domAndDow: true });
    jobs.set(key, job);
  }
  return job;
}

/**
 * The first run strictly after `after`. Across DST it follows croner (see the top of this file): a
 * time in a spring-forward gap runs at the first instant after the gap, a time that happens twice runs
 * once. Throws a RangeError for an invalid schedule.
 */
export function nextRun(schedule: Schedule, after: Date): Date {
  if (Number.isNaN(after.getTime())) throw new RangeError("nextRun: invalid date");
  const next = cronJob(cronPattern(schedule), schedule.timezone).nextRun(after);
  if (!next) throw new Error(`No next run for ${schedule.time} ${schedule.timezone} after ${after.toISOString()}`);
  return next;
}

/** The next `count` runs strictly after `after` (for previews and tests). */
export function nextRuns(schedule: Schedule, after: Date, count: number): Date[] {
  const runs: Date[] = [];
  let at = after;
  for (let i = 0; i < count; i++) {
    at = nextRun(schedule, at);
    runs.push(at);
  }
  return runs;
}

export interface LocalTime {
  /** "YYYY-MM-DD" */
  date: string;
  /** "HH:MM" */
  time: string;
  /** 0 = Sunday .. 6 = Saturday */
  weekday: number;
}

/** The wall-clock date, time and weekday of an instant in a time zone. */
export function localTime(at: Date, timezone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(timezone).formatToParts(at)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: SHORT.indexOf(parts.weekday as (typeof SHORT)[number]),
  };
}

/**
 * The slot a run belongs to: its local calendar date in the schedule's time zone, "YYYY-MM-DD". A
 * schedule runs at most once per local day, so (subscription, slot key) identifies a run.
 */
export function slotKey(schedule: Schedule, at: Date): string {
  return localTime(at, schedule.timezone).date;
}
