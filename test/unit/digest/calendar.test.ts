import { describe, expect, it } from "vitest";
import {
  formatDays,
  isValidTimezone,
  localTime,
  nextRun,
  nextRuns,
  normalizeTimezone,
  parseDays,
  parseTime,
  slotKey,
  timezoneChoices,
  type Schedule,
} from "../../../src/digest/calendar.ts";

const at = (iso: string) => new Date(iso);
const every = (time: string, timezone: string, days: number[] = []): Schedule => ({ time, timezone, days });
const runs = (schedule: Schedule, after: string, count: number) => nextRuns(schedule, at(after), count).map((date) => date.toISOString());

describe("parseTime", () => {
  it.each([
    ["9:05", "09:05"],
    ["09:05", "09:05"],
    [" 9:05 ", "09:05"],
    ["00:00", "00:00"],
    ["23:59", "23:59"],
    ["0:00", "00:00"],
  ])("%j -> %j", (text, time) => expect(parseTime(text)).toBe(time));

  it.each(["24:00", "9", "9:60", "ab", "", "9:5", "123:00", "-1:00", "9:05:00", "9h05", "09:05 pm", "٩:٠٥"])("%j is not a time", (text) => {
    expect(parseTime(text)).toBeUndefined();
  });
});

describe("parseDays", () => {
  it.each<[string | undefined, number[]]>([
    [undefined, []],
    ["", []],
    ["   ", []],
    ["every day", []],
    ["Every Day", []],
    ["daily", []],
    ["weekdays", [1, 2, 3, 4, 5]],
    ["Weekdays", [1, 2, 3, 4, 5]],
    ["weekends", [0, 6]],
    ["mon,wed fri", [1, 3, 5]],
    ["Monday, Tue", [1, 2]],
    ["fri, mon, FRI", [1, 5]],
    ["sun", [0]],
    ["Thursday", [4]],
    ["thurs tues weds", [2, 3, 4]],
    ["mon-fri", [1, 2, 3, 4, 5]],
    ["fri-mon", [0, 1, 5, 6]],
    ["weekends, wed", [0, 3, 6]],
    ["mon tue wed thu fri sat sun", []],
  ])("%j -> %j", (text, days) => expect(parseDays(text)).toEqual(days));

  it.each(["garbage", "mon, garbage", "monx", "mon-xyz", "1,2", ",", "-", "every other day"])("%j is not a list of days", (text) => {
    expect(parseDays(text)).toBeUndefined();
  });
});

describe("formatDays", () => {
  it.each<[number[], string]>([
    [[], "every day"],
    [[0, 1, 2, 3, 4, 5, 6], "every day"],
    [[1, 2, 3, 4, 5], "weekdays"],
    [[0, 6], "weekends"],
    [[1, 3], "Mon, Wed"],
    [[3, 1, 3], "Mon, Wed"],
    [[0, 5], "Sun, Fri"],
    [[4], "Thu"],
  ])("%j -> %j", (days, text) => expect(formatDays(days)).toBe(text));

  it("round-trips with parseDays", () => {
    for (const days of [[], [1, 2, 3, 4, 5], [0, 6], [1, 3], [0, 2, 4, 6], [6]]) expect(parseDays(formatDays(days))).toEqual(days);
  });
});

describe("time zones", () => {
  it.each([
    ["UTC", true],
    ["Europe/Berlin", true],
    ["America/New_York", true],
    ["Asia/Kolkata", true],
    ["Pacific/Auckland", true],
    ["Mars/Base", false],
    ["", false],
    ["Europe/Berlinn", false],
    ["Not a zone", false],
  ])("isValidTimezone(%j) = %j", (zone, valid) => expect(isValidTimezone(zone)).toBe(valid));

  it("normalizes case to the listed name", () => {
    expect(normalizeTimezone("europe/berlin")).toBe("Europe/Berlin");
    expect(normalizeTimezone("utc")).toBe("UTC");
    expect(normalizeTimezone("america/new york")).toBe("America/New_York");
    expect(normalizeTimezone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(normalizeTimezone("Mars/Base")).toBeUndefined();
  });

  it.each<[string, number, string[]]>([
    ["utc", 1, ["UTC"]],
    ["europe/ber", 5, ["Europe/Berlin"]],
    ["berlin", 5, ["Europe/Berlin"]],
    ["BERLIN", 5, ["Europe/Berlin"]],
    ["new york", 5, ["America/New_York"]],
    ["kolkata", 5, ["Asia/Kolkata"]],
    ["auckland", 5, ["Pacific/Auckland"]],
    ["mars", 5, []],
  ])("timezoneChoices(%j, %d) = %j", (typed, limit, choices) => expect(timezoneChoices(typed, limit)).toEqual(choices));

  it("ranks prefix matches before matches inside a name, and respects the limit", () => {
    const choices = timezoneChoices("america/", 200);
    expect(choices.length).toBeGreaterThan(50);
    expect(choices.every((name) => name.startsWith("America/"))).toBe(true);
    expect(choices).toEqual([...choices].sort());

    // "Europe/..." names start with "eu"; "Australia/Eucla" only has a part starting with it.
    const eu = timezoneChoices("eu", 100);
    expect(eu[0]).toMatch(/^Europe\//);
    expect(eu.indexOf("Australia/Eucla")).toBeGreaterThan(eu.lastIndexOf("Europe/Zurich"));

    // "York" starts a part of "America/New_York".
    expect(timezoneChoices("york", 3)).toEqual(["America/New_York"]);
    expect(timezoneChoices("a", 25)).toHaveLength(25);
    expect(timezoneChoices("", 3)[0]).toBe("UTC");
    expect(timezoneChoices("a", 0)).toEqual([]);
  });
});

describe("nextRun", () => {
  it("runs at the local time, strictly after `after`", () => {
    const nine = every("09:00", "Europe/Berlin");
    expect(nextRun(nine, at("2026-01-15T07:00:00Z")).toISOString()).toBe("2026-01-15T08:00:00.000Z");
    // Exactly at a run time: the next one.
    expect(nextRun(nine, at("2026-01-15T08:00:00Z")).toISOString()).toBe("2026-01-16T08:00:00.000Z");
    expect(nextRun(nine, at("2026-01-15T08:00:00.001Z")).toISOString()).toBe("2026-01-16T08:00:00.000Z");
    expect(nextRun(nine, at("2026-01-15T07:59:59.999Z")).toISOString()).toBe("2026-01-15T08:00:00.000Z");
    expect(nextRun(every("00:00", "UTC"), at("2026-12-31T23:59:59Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("Europe/Berlin spring forward (2026-03-29): 09:00 is 08:00Z the day before and 07:00Z on the day", () => {
    expect(runs(every("09:00", "Europe/Berlin"), "2026-03-27T12:00:00Z", 3)).toEqual([
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
  });

  it("Europe/Berlin spring forward: 02:30 does not exist, so it runs once at the first instant after the gap (03:00 CEST)", () => {
    expect(runs(every("02:30", "Europe/Berlin"), "2026-03-27T12:00:00Z", 3)).toEqual([
      "2026-03-28T01:30:00.000Z", // 02:30 CET
      "2026-03-29T01:00:00.000Z", // 03:00 CEST: the gap is 02:00-03:00
      "2026-03-30T00:30:00.000Z", // 02:30 CEST
    ]);
    const gapDay = nextRun(every("02:30", "Europe/Berlin"), at("2026-03-28T12:00:00Z"));
    expect(localTime(gapDay, "Europe/Berlin")).toEqual({ date: "2026-03-29", time: "03:00", weekday: 0 });
    expect(slotKey(every("02:30", "Europe/Berlin"), gapDay)).toBe("2026-03-29");
    // 02:00, the first minute of the gap, also runs at 03:00.
    expect(nextRun(every("02:00", "Europe/Berlin"), at("2026-03-28T12:00:00Z")).toISOString()).toBe("2026-03-29T01:00:00.000Z");
  });

  it("Europe/Berlin fall back (2026-10-25): 02:30 happens twice and runs once, at the first", () => {
    const schedule = every("02:30", "Europe/Berlin");
    expect(runs(schedule, "2026-10-23T12:00:00Z", 3)).toEqual([
      "2026-10-24T00:30:00.000Z", // 02:30 CEST
      "2026-10-25T00:30:00.000Z", // 02:30 CEST, the first of the two
      "2026-10-26T01:30:00.000Z", // 02:30 CET
    ]);
    // Between the two occurrences, and exactly at the first: the next run is the next day, not 01:30Z.
    expect(nextRun(schedule, at("2026-10-25T00:30:00Z")).toISOString()).toBe("2026-10-26T01:30:00.000Z");
    expect(nextRun(schedule, at("2026-10-25T01:00:00Z")).toISOString()).toBe("2026-10-26T01:30:00.000Z");
    expect(nextRun(every("09:00", "Europe/Berlin"), at("2026-10-24T12:00:00Z")).toISOString()).toBe("2026-10-25T08:00:00.000Z");
  });

  it("America/New_York spring forward (2026-03-08) and fall back (2026-11-01)", () => {
    expect(runs(every("09:00", "America/New_York"), "2026-03-06T20:00:00Z", 3)).toEqual([
      "2026-03-07T14:00:00.000Z", // EST
      "2026-03-08T13:00:00.000Z", // EDT
      "2026-03-09T13:00:00.000Z",
    ]);
    expect(runs(every("02:30", "America/New_York"), "2026-03-06T20:00:00Z", 3)).toEqual([
      "2026-03-07T07:30:00.000Z",
      "2026-03-08T07:00:00.000Z", // 03:00 EDT, right after the 02:00-03:00 gap
      "2026-03-09T06:30:00.000Z",
    ]);
    expect(runs(every("01:30", "America/New_York"), "2026-10-30T20:00:00Z", 3)).toEqual([
      "2026-10-31T05:30:00.000Z",
      "2026-11-01T05:30:00.000Z", // 01:30 EDT; 01:30 EST (06:30Z) does not run
      "2026-11-02T06:30:00.000Z",
    ]);
    expect(runs(every("09:00", "America/New_York"), "2026-10-31T20:00:00Z", 2)).toEqual(["2026-11-01T14:00:00.000Z", "2026-11-02T14:00:00.000Z"]);
  });

  it("a gap at midnight (America/Santiago, 2026-09-06 00:00 -> 01:00) runs at 01:00 the same day", () => {
    const schedule = every("00:00", "America/Santiago");
    const runsThen = nextRuns(schedule, at("2026-09-04T12:00:00Z"), 3);
    expect(runsThen.map((run) => run.toISOString())).toEqual(["2026-09-05T04:00:00.000Z", "2026-09-06T04:00:00.000Z", "2026-09-07T03:00:00.000Z"]);
    expect(runsThen.map((run) => slotKey(schedule, run))).toEqual(["2026-09-05", "2026-09-06", "2026-09-07"]);
  });

  it("weekdays: the run after a Friday's is Monday's", () => {
    const weekdays = every("10:00", "Europe/Berlin", [1, 2, 3, 4, 5]);
    // Friday 2026-03-13 10:00 CET = 09:00Z.
    expect(nextRun(weekdays, at("2026-03-13T09:00:00Z")).toISOString()).toBe("2026-03-16T09:00:00.000Z");
    expect(nextRun(weekdays, at("2026-03-14T12:00:00Z")).toISOString()).toBe("2026-03-16T09:00:00.000Z");
    const weekend = every("10:00", "Europe/Berlin", [0, 6]);
    expect(runs(weekend, "2026-03-13T09:00:00Z", 3)).toEqual(["2026-03-14T09:00:00.000Z", "2026-03-15T09:00:00.000Z", "2026-03-21T09:00:00.000Z"]);
  });

  it("weekdays are local: Monday 07:00 in Auckland is Sunday in UTC", () => {
    const monday = every("07:00", "Pacific/Auckland", [1]);
    const run = nextRun(monday, at("2026-01-01T00:00:00Z"));
    // Monday 2026-01-05 07:00 NZDT (+13) = Sunday 2026-01-04 18:00Z.
    expect(run.toISOString()).toBe("2026-01-04T18:00:00.000Z");
    expect(run.getUTCDay()).toBe(0);
    expect(slotKey(monday, run)).toBe("2026-01-05");
  });

  it("the slot key is the local date, east and west of UTC", () => {
    const auckland = every("08:00", "Pacific/Auckland");
    const aucklandRun = nextRun(auckland, at("2026-06-10T00:00:00Z"));
    expect(aucklandRun.toISOString()).toBe("2026-06-10T20:00:00.000Z"); // 08:00 NZST (+12) on the 11th
    expect(slotKey(auckland, aucklandRun)).toBe("2026-06-11");

    const losAngeles = every("20:00", "America/Los_Angeles");
    const laRun = nextRun(losAngeles, at("2026-06-10T00:00:00Z"));
    expect(laRun.toISOString()).toBe("2026-06-10T03:00:00.000Z"); // 20:00 PDT (-7) on the 9th
    expect(slotKey(losAngeles, laRun)).toBe("2026-06-09");

    expect(slotKey(every("09:00", "UTC"), at("2026-06-10T23:59:59Z"))).toBe("2026-06-10");
  });

  it("consecutive runs have distinct slot keys through a year of DST changes", () => {
    for (const schedule of [every("02:30", "Europe/Berlin"), every("01:30", "America/New_York"), every("00:00", "America/Santiago"), every("23:30", "Australia/Lord_Howe")]) {
      const all = nextRuns(schedule, at("2026-01-01T00:00:00Z"), 365);
      const keys = all.map((run) => slotKey(schedule, run));
      expect(new Set(keys).size, schedule.timezone).toBe(365);
      for (let i = 1; i < all.length; i++) expect(all[i]!.getTime()).toBeGreaterThan(all[i - 1]!.getTime());
    }
  });

  it("rejects an invalid schedule", () => {
    expect(() => nextRun(every("25:00", "UTC"), new Date())).toThrow(RangeError);
    expect(() => nextRun(every("09:00", "Mars/Base"), new Date())).toThrow(/Mars\/Base/);
    expect(() => nextRun(every("09:00", "UTC", [7]), new Date())).toThrow(RangeError);
    expect(() => nextRun(every("09:00", "UTC"), new Date(Number.NaN))).toThrow(RangeError);
  });
});
