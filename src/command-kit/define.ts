import { z } from "zod";
import { IntegrationType, InteractionContext, OptionType } from "../discord-api.ts";
import type { Choice, Reply } from "../render/reply.ts";
import type { OptionSpec } from "./options.ts";
import type { Command, CommandContext, Invocation } from "./types.ts";

/**
 * Where a command can be used. Read-only commands go everywhere: installed to a server or to a member's own
 * account, in servers, the bot's DMs and private channels. Commands that change a server stay in servers.
 */
function installation(scope: "everywhere" | "servers") {
  return scope === "everywhere"
    ? { integration_types: [IntegrationType.GuildInstall, IntegrationType.UserInstall], contexts: [InteractionContext.Guild, InteractionContext.BotDm, InteractionContext.PrivateChannel] }
    : { integration_types: [IntegrationType.GuildInstall], contexts: [InteractionContext.Guild] };
}

/** A user's input that fails validation: shown to them as an ephemeral message, never logged as a fault. */
export class UserInputError extends Error {
  override name = "UserInputError";
}

type Inputs<Options extends Record<string, OptionSpec>> = { [K in keyof Options]: z.infer<Options[K]["schema"]> };

type OptionSpecs = Record<string, OptionSpec>;

function optionsSchema(options: OptionSpecs) {
  return z.object(Object.fromEntries(Object.entries(options).map(([name, option]) => [name, option.schema])));
}

/** Discord requires required options before optional ones. */
function optionDefinitions(options: OptionSpecs) {
  return Object.entries(options)
    .map(([name, option]) => ({ name, ...option.definition }))
    .sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false));
}

function validate<T>(schema: z.ZodType<T>, options: Record<string, unknown>): T {
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw new UserInputError(parsed.error.issues[0]?.message ?? "That input is not valid.");
  return parsed.data;
}

/**
 * Builds a command from its options: the registered definition and the input validation both come from
 * the same option specs, so they cannot drift apart.
 */
export function defineCommand<const Options extends Record<string, OptionSpec>>(spec: {
  name: string;
  description: string;
  options: Options;
  examples: string[];
  execute(ctx: CommandContext, input: Inputs<Options>, invocation: Invocation): Reply | Promise<Reply>;
  autocomplete?(ctx: CommandContext, option: keyof Options & string, value: string, invocation: Invocation): Choice[];
  component?(ctx: CommandContext, payload: string, invocation: Invocation): Reply | Promise<Reply>;
  modal?(ctx: CommandContext, payload: string, fields: Record<string, string>, invocation: Invocation): Reply | Promise<Reply>;
  deferred?: boolean;
  /** Where it can be used: "everywhere" (servers, the bot's DMs, private channels, installed to a user too) or "servers". */
  scope?: "everywhere" | "servers";
}): Command {
  const schema = optionsSchema(spec.options);
  return {
    definition: { name: spec.name, description: spec.description, options: optionDefinitions(spec.options), ...installation(spec.scope ?? "everywhere") },
    examples: spec.examples,
    execute: (ctx, options, invocation) => spec.execute(ctx, validate(schema, options) as Inputs<Options>, invocation),
    autocomplete: spec.autocomplete as Command["autocomplete"],
    component: spec.component,
    modal: spec.modal,
    deferred: spec.deferred,
  };
}

interface SubcommandSpec<Options extends OptionSpecs> {
  description: string;
  options: Options;
  execute(ctx: CommandContext, input: Inputs<Options>, invocation: Invocation): Reply | Promise<Reply>;
}

/** A subcommand, typed by its own options (a helper so that each subcommand's input type is inferred). */
export function subcommand<const Options extends OptionSpecs>(spec: SubcommandSpec<Options>): SubcommandSpec<OptionSpecs> {
  return spec as unknown as SubcommandSpec<OptionSpecs>;
}

/** A command made of subcommands (`/digest subscribe`, `/digest list`, …); adapters pass the chosen one as `subcommand`. */
export function defineCommandGroup(spec: {
  name: string;
  description: string;
  examples: string[];
  defaultMemberPermissions?: string;
  guildOnly?: boolean;
  subcommands: Record<string, SubcommandSpec<OptionSpecs>>;
  autocomplete?(ctx: CommandContext, option: string, value: string, invocation: Invocation): Choice[];
  component?(ctx: CommandContext, payload: string, invocation: Invocation): Reply | Promise<Reply>;
}): Command {
  const schemas = Object.fromEntries(Object.entries(spec.subcommands).map(([name, sub]) => [name, optionsSchema(sub.options)]));
  return {
    definition: {
      name: spec.name,
      description: spec.description,
      options: Object.entries(spec.subcommands).map(([name, sub]) => ({ type: OptionType.Subcommand, name, description: sub.description, options: optionDefinitions(sub.options) })),
      default_member_permissions: spec.defaultMemberPermissions,
      ...installation(spec.guildOnly ? "servers" : "everywhere"),
    },
    examples: spec.examples,
    execute(ctx, { subcommand: name, ...options }, invocation) {
      const sub = typeof name === "string" ? spec.subcommands[name] : undefined;
      if (!sub) throw new UserInputError(`Choose what to do: ${Object.keys(spec.subcommands).map((key) => `/${spec.name} ${key}`).join(", ")}.`);
      return sub.execute(ctx, validate(schemas[name as string]!, options), invocation);
    },
    autocomplete: spec.autocomplete,
    component: spec.component,
  };
}
