import { describe, expect, it } from "vitest";
import { parseConsoleInput } from "../../../src/console/parse-input.ts";
import { appWith, paper } from "../../helpers/papers.ts";

const definitions = async () => (await appWith([paper({ title: "Any paper" })])).commands.map((command) => command.definition);

describe("console input", () => {
  it("reads the words after a text option as its value, up to the next option (a bug: only the first word was kept)", async () => {
    const all = await definitions();
    expect(parseConsoleInput("/watch add query:knowledge distillation, -survey where:#papers", all)).toEqual({
      kind: "command",
      name: "watch",
      options: { subcommand: "add", query: "knowledge distillation, -survey", where: "papers" },
    });
    expect(parseConsoleInput("/trend topic:diffusion models vs:graph neural networks", all)).toMatchObject({ options: { topic: "diffusion models", vs: "graph neural networks" } });
  });

  it("gives free words to the main text option and options after them keep their own value", async () => {
    const all = await definitions();
    expect(parseConsoleInput("/search knowledge distillation page:2", all)).toEqual({ kind: "command", name: "search", options: { query: "knowledge distillation", page: "2" } });
    expect(parseConsoleInput("/saved export format:jsonl", all)).toMatchObject({ options: { subcommand: "export", format: "jsonl" } });
    expect(parseConsoleInput("open 2", all)).toEqual({ kind: "button", label: "open 2" });
  });
});
