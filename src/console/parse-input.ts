import type { CommandDefinition } from "../command-kit/options.ts";
import { OptionType } from "../discord-api.ts";

export type ConsoleInput =
  | { kind: "command"; name: string; options: Record<string, string> }
  | { kind: "button"; label: string }
  | { kind: "empty" };

/** A channel as a console user writes it, "#papers" (or Discord's "<#123>"), as the name or id Discord would send. */
function channelName(text: string): string {
  return text.replace(/^<#(\w+)>$/, "$1").replace(/^#/, "");
}

/** Splits on spaces, keeping "double quoted" or 'single quoted' words together. */
function words(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? "");
}

/**
 * A console line as Discord would receive it: "/search knowledge distillation page:2" gives the command
 * "search" with page "2" and the other words as its main text option (the first required text option, or
 * the first text option). A line without "/" presses a button of the last reply by its label.
 */
export function parseConsoleInput(line: string, definitions: readonly CommandDefinition[]): ConsoleInput {
  const trimmed = line.trim();
  if (!trimmed) return { kind: "empty" };
  if (!trimmed.startsWith("/")) return { kind: "button", label: trimmed };
  const [head = "", ...rest] = trimmed.slice(1).split(/\s+/);
  const name = head.toLowerCase();
  const definition = definitions.find((candidate) => candidate.name === name);
  const tokens = rest.length ? words(trimmed.slice(1 + head.length).trim()) : [];
  const options: Record<string, string> = {};
  // "/digest list": the first word picks the subcommand, whose own options follow.
  let optionDefinitions = definition?.options ?? [];
  if (optionDefinitions[0]?.type === OptionType.Subcommand) {
    const sub = optionDefinitions.find((option) => option.name === tokens[0]?.toLowerCase());
    if (sub) {
      options.subcommand = sub.name;
      tokens.shift();
    }
    optionDefinitions = sub?.options ?? [];
  }
  const free: string[] = [];
  // Words after a text option ("query:knowledge distillation, -survey") are its value up to the next option, as Discord's box would take them.
  let text: string | undefined;
  for (const word of tokens) {
    const colon = word.indexOf(":");
    const option = colon > 0 ? optionDefinitions.find((candidate) => candidate.name === word.slice(0, colon).toLowerCase()) : undefined;
    if (option) {
      options[option.name] = option.type === OptionType.Channel ? channelName(word.slice(colon + 1)) : word.slice(colon + 1);
      text = option.type === OptionType.String ? option.name : undefined;
    } else if (text) options[text] = `${options[text]} ${word}`;
    else free.push(word);
  }
  const main = optionDefinitions.find((option) => option.type === OptionType.String && option.required) ?? optionDefinitions.find((option) => option.type === OptionType.String);
  if (main && free.length && options[main.name] === undefined) options[main.name] = free.join(" ");
  return { kind: "command", name, options };
}
