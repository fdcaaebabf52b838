import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { CommandRunner } from "../command-kit/runner.ts";
import type { Attachment, Modal, Reply } from "../render/reply.ts";
import { parseConsoleInput } from "./parse-input.ts";
import { actionButtons, renderText } from "./render-text.ts";

/**
 * The offline console: the same commands and handlers as on Discord, typed at a prompt (with history and
 * Tab completion) or piped in one per line, with replies printed as Discord would show them. Buttons of
 * the last reply are pressed by typing their label ("next", "open 2", "another one").
 */
export async function runConsole(runner: CommandRunner, io: { input: Readable; output: Writable; interactive: boolean; filesDir?: string }): Promise<void> {
  const definitions = runner.commands.map((command) => command.definition);
  const rl = createInterface({
    input: io.input,
    output: io.interactive ? io.output : undefined,
    terminal: io.interactive,
    historySize: 500,
    prompt: "paperbot> ",
    completer: io.interactive ? (line: string) => complete(runner, line) : undefined,
  });
  const print = (text: string) => io.output.write(`${text}\n`);
  const filesDir = io.filesDir ?? join(tmpdir(), "paperbot");
  /** A reply as Discord would show it; its files (a chart, an export) saved where the user can open them. */
  const show = async (reply: Reply) => {
    print(renderText(reply, { ansi: io.interactive }));
    for (const file of reply.files ?? []) print(`   saved to ${await saveFile(filesDir, file)}`);
    print("");
  };
  let last: Reply | undefined;
  /** A form a button opened: the next line is what is typed into it. */
  let form: Modal | undefined;
  if (io.interactive) {
    print(`paperbot ${runner.ctx.version}, offline console over ${runner.ctx.engine.size} papers. Type /help, Tab completes, /quit leaves.`);
    print("(Set DISCORD_TOKEN to run on Discord instead.)");
    rl.prompt();
  }
  for await (const line of rl) {
    if (form) {
      const { customId, field } = form;
      form = undefined;
      if (line.trim()) {
        last = await runner.submit(customId, { [field.id]: line });
        await show(last);
      } else print("(cancelled)");
      if (io.interactive) rl.prompt();
      continue;
    }
    const input = parseConsoleInput(line, definitions);
    if (input.kind === "command" && (input.name === "quit" || input.name === "exit")) break;
    if (input.kind === "command") {
      last = await runner.execute(input.name, input.options);
      await show(last);
    } else if (input.kind === "button") {
      const button = findButton(last, input.label);
      if (button) {
        const reply = await runner.press(button.customId);
        if (reply.modal) {
          form = reply.modal;
          print(`┃ ${form.title}: type ${form.field.label.toLowerCase()} (an empty line cancels)`);
        } else {
          last = reply;
          await show(last);
        }
      } else print(`No button “${input.label}” here. Commands start with /: try /help (and /quit to leave).`);
    }
    if (io.interactive) rl.prompt();
  }
  rl.close();
}


/** Writes a reply's file into `dir` under its own name, numbered if that name is taken; returns the path. */
async function saveFile(dir: string, file: Attachment): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = file.name.replace(/[\\/\0]/g, "_") || "file";
  const dot = name.lastIndexOf(".");
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let n = 1; ; n++) {
    const path = join(dir, n === 1 ? name : `${stem}-${n}${extension}`);
    try {
      await writeFile(path, file.data, { flag: "wx" });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || n >= 1000) throw error;
    }
  }
}

const simplify = (label: string) => label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

function findButton(reply: Reply | undefined, label: string) {
  const wanted = simplify(label);
  const buttons = reply ? actionButtons(reply) : [];
  return buttons.find((button) => simplify(button.label) === wanted) ?? buttons.find((button) => simplify(button.label).startsWith(wanted) && wanted);
}

/** Tab: command names, then the command's own autocomplete for its main option. */
function complete(runner: CommandRunner, line: string): [string[], string] {
  const space = line.indexOf(" ");
  if (!line.startsWith("/") || space === -1) {
    const names = runner.commands.map((command) => `/${command.definition.name}`);
    return [names.filter((name) => name.startsWith(line)), line];
  }
  const name = line.slice(1, space);
  const option = runner.commands.find((command) => command.definition.name === name)?.definition.options.find((candidate) => candidate.autocomplete);
  if (!option) return [[], line];
  const choices = runner.autocomplete(name, option.name, line.slice(space + 1));
  return [choices.map((choice) => `/${name} ${choice.value}`), line];
}
