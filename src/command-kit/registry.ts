import { readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import type { Command } from "./types.ts";

/** The commands/ folder: adding a command is adding one file there that default-exports a command. */
export const COMMANDS_DIR = fileURLToPath(new URL("../../commands/", import.meta.url));

function isCommand(value: unknown): value is Command {
  const candidate = value as Partial<Command> | undefined;
  return typeof candidate?.definition?.name === "string" && typeof candidate.execute === "function";
}

export async function loadCommands(dir = COMMANDS_DIR): Promise<Command[]> {
  const files = (await readdir(dir)).filter((name) => /\.(ts|js)$/.test(name) && !name.endsWith(".d.ts")).sort();
  const commands: Command[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    if (!isCommand(module.default)) throw new Error(`${file} in ${dir} does not default-export a command`);
    commands.push(module.default);
  }
  const names = commands.map((command) => command.definition.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`two commands are named ${duplicate}`);
  return commands;
}
