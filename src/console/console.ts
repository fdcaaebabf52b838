import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { CommandRunner } from "../command-kit/runner.ts";
import type { Modal, Reply } from "../render/reply.ts";
import { parseConsoleInput } from "./parse-input.ts";
import { actionButtons, renderText } from "./render-text.ts";

/**
 * The offline console: the same commands and handlers as on Discord, typed at a prompt (with history and
 * Tab completion) or piped in one per line, with replies printed as Discord would show them. Buttons of
 * the last reply are pressed by typing their label ("next", "open 2", "another one").
 */
export async function runConsole(runner: CommandRunner, io: { input: Readable; output: Writable; interactive: boolean }): Promise<void> {
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
        print(`${renderText(last, { ansi: io.interactive })}\n`);
      } else print("(cancelled)");
      if (io.interactive) rl.prompt();
      continue;
    }
    const input = parseConsoleInput(line, definitions);
    if (input.kind === "command" && (input.name === "quit" || input.name === "exit")) break;
    if (input.kind === "command") {
      last = await runner.execute(input.name, input.options);
      print(`${renderText(last, { ansi: io.interactive })}\n`);
    } else if (input.kind === "button") {
      const button = findButton(last, input.label);
      if (button) {
        const reply = await runner.press(button.customId);
        if (reply.modal) {
          form = reply.modal;
          print(`┃ ${form.title}: type ${form.field.label.toLowerCase()} (an empty line cancels)`);
        } else {
          last = reply;
          print(`${renderText(last, { ansi: io.interactive })}\n`);
        }
      } else print(`No button “${input.label}” here. Commands start with /: try /help (and /quit to leave).`);
    }
    if (io.interactive) rl.prompt();
  }
  rl.close();
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
