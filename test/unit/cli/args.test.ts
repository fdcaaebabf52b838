import { describe, expect, it } from "vitest";
import { parseCliArgs, UsageError } from "../../../src/cli/args.ts";

describe("paperbot's command line", () => {
  it("reads each command with its options", () => {
    expect(parseCliArgs(["search", "graph", "networks", "--json", "--limit", "10", "--page", "2"])).toEqual({ command: "search", text: "graph networks", batch: false, json: true, limit: 10, page: 2 });
    expect(parseCliArgs(["search", "--batch"])).toMatchObject({ command: "search", batch: true, limit: 5, page: 1 });
    expect(parseCliArgs(["paper", "2408.01234", "--json"])).toEqual({ command: "paper", text: "2408.01234", json: true });
    expect(parseCliArgs(["random"])).toEqual({ command: "random", text: "", json: false });
    expect(parseCliArgs(["index"])).toEqual({ command: "index" });
    expect(parseCliArgs(["ingest", "hf", "--date", "today"])).toEqual({ command: "ingest", args: ["hf", "--date", "today"] });
    expect(parseCliArgs(["--help"])).toEqual({ command: "help", ok: true });
    expect(parseCliArgs([])).toEqual({ command: "help", ok: false });
  });

  it.each([
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["search"], "search needs a QUERY"],
    [["search", "x", "--limit", "51"], "--limit must be a whole number from 1 to 50"],
    [["search", "x", "--limit", "2.5"], "--limit must be a whole number"],
    [["search", "x", "--page", "0"], "--page must be a whole number from 1 to 1000"],
    [["search", "x", "--bogus"], "--bogus"],
    [["paper"], "paper needs an ID or TITLE"],
  ])("refuses %j: %s", (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(UsageError);
    expect(() => parseCliArgs(args)).toThrow(message);
  });
});
