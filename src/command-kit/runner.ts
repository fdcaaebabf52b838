import { randomBytes } from "node:crypto";
import { splitCustomId } from "./custom-ids.ts";
import { fitChoices, fitReply } from "../render/limits.ts";
import { ephemeralMessage, type Choice, type Reply } from "../render/reply.ts";
import { UserInputError } from "./define.ts";
import { NO_OBSERVER, type Observer } from "../ops/observer.ts";
import { CONSOLE_INVOCATION, type Command, type CommandContext, type Invocation } from "./types.ts";

/**
 * The one entry point both adapters (Discord and the console) call. Whatever comes in, a reply comes out:
 * bad input becomes a clear ephemeral message, a failure becomes "something went wrong (ref …)" with the
 * error logged under that ref, and every reply is cut to Discord's limits.
 */
export class CommandRunner {
  private readonly byName: Map<string, Command>;

  constructor(
    readonly commands: readonly Command[],
    readonly ctx: CommandContext,
    private readonly observer: Observer = NO_OBSERVER,
  ) {
    this.byName = new Map(commands.map((command) => [command.definition.name, command]));
  }

  async execute(name: string, options: Record<string, unknown>, invocation: Invocation = CONSOLE_INVOCATION): Promise<Reply> {
    const command = this.byName.get(name);
    if (!command) return ephemeralMessage(`Unknown command /${name}. Try /help.`);
    return this.guard(name, { command: name }, () => command.execute(this.ctx, options, invocation));
  }

  /** A button press, routed by the custom id's "<command>:" prefix. */
  async press(customId: string, invocation: Invocation = CONSOLE_INVOCATION): Promise<Reply> {
    const parts = splitCustomId(customId);
    const command = parts && this.byName.get(parts.command);
    if (!parts || !command?.component) return ephemeralMessage("That button is not one of mine, or it is out of date. Run the command again.");
    const component = command.component.bind(command);
    return this.guard(parts.command, { customId }, () => component(this.ctx, parts.payload, invocation));
  }

  /** A submitted form (modal), routed like a button by its custom id. */
  async submit(customId: string, fields: Record<string, string>, invocation: Invocation = CONSOLE_INVOCATION): Promise<Reply> {
    const parts = splitCustomId(customId);
    const command = parts && this.byName.get(parts.command);
    if (!parts || !command?.modal) return ephemeralMessage("That form is not one of mine, or it is out of date. Run the command again.");
    const modal = command.modal.bind(command);
    return this.guard(parts.command, { customId }, () => modal(this.ctx, parts.payload, fields, invocation));
  }

  /** Whether a command's answers take long enough to say "thinking…" first. */
  isDeferred(name: string): boolean {
    return this.byName.get(name)?.deferred ?? false;
  }

  autocomplete(name: string, option: string, value: string, invocation: Invocation = CONSOLE_INVOCATION): Choice[] {
    const command = this.byName.get(name);
    try {
      return fitChoices(command?.autocomplete?.(this.ctx, option, value.slice(0, 200), invocation) ?? []);
    } catch (error) {
      this.ctx.logger.error({ err: error, command: name, option }, "autocomplete failed");
      return [];
    }
  }

  private async guard(command: string, what: Record<string, string>, run: () => Reply | Promise<Reply>): Promise<Reply> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const reply = fitReply(await run());
      this.observer.interaction(command, "ok", seconds());
      return reply;
    } catch (error) {
      if (error instanceof UserInputError) {
        this.observer.interaction(command, "user_error", seconds());
        return ephemeralMessage(error.message);
      }
      this.observer.interaction(command, "failed", seconds());
      const ref = randomBytes(3).toString("hex").toUpperCase();
      this.ctx.logger.error({ err: error, ref, ...what }, "command failed");
      return ephemeralMessage(`Something went wrong (ref ${ref}). It has been logged; please try again.`);
    }
  }
}
