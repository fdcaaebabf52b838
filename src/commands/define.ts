import { z } from "zod";
import type { Choice, Reply } from "../render/reply.ts";
import type { OptionSpec } from "./options.ts";
import type { Command, CommandContext } from "./types.ts";

/** A user's input that fails validation: shown to them as an ephemeral message, never logged as a fault. */
export class UserInputError extends Error {
  override name = "UserInputError";
}

type Inputs<Options extends Record<string, OptionSpec>> = { [K in keyof Options]: z.infer<Options[K]["schema"]> };

/**
 * Builds a command from its options: the registered definition and the input validation both come from
 * the same option specs, so they cannot drift apart.
 */
export function defineCommand<const Options extends Record<string, OptionSpec>>(spec: {
  name: string;
  description: string;
  options: Options;
  examples: string[];
  execute(ctx: CommandContext, input: Inputs<Options>): Reply | Promise<Reply>;
  autocomplete?(ctx: CommandContext, option: keyof Options & string, value: string): Choice[];
  component?(ctx: CommandContext, payload: string): Reply | Promise<Reply>;
}): Command {
  const entries = Object.entries(spec.options);
  const schema = z.object(Object.fromEntries(entries.map(([name, option]) => [name, option.schema])));
  return {
    definition: {
      name: spec.name,
      description: spec.description,
      // Discord requires required options before optional ones.
      options: entries
        .map(([name, option]) => ({ name, ...option.definition }))
        .sort((a, b) => Number(b.required) - Number(a.required)),
    },
    examples: spec.examples,
    execute(ctx, options) {
      const parsed = schema.safeParse(options);
      if (!parsed.success) throw new UserInputError(parsed.error.issues[0]?.message ?? "That input is not valid.");
      return spec.execute(ctx, parsed.data as Inputs<Options>);
    },
    autocomplete: spec.autocomplete as Command["autocomplete"],
    component: spec.component,
  };
}
