import { z } from "zod";
import { ChannelType, OptionType } from "../discord-api.ts";

/**
 * Slash-command options declared once: each builder gives both the definition Discord registers (its
 * application-command JSON, so no Discord import is needed here) and the zod schema every adapter's input
 * is validated with. Messages name the option, so a user knows what to fix.
 */

export interface OptionDefinition {
  type: (typeof OptionType)[keyof typeof OptionType];
  name: string;
  description: string;
  required?: boolean;
  /** A subcommand's own options. */
  options?: OptionDefinition[];
  channel_types?: number[];
  autocomplete?: boolean;
  min_length?: number;
  max_length?: number;
  min_value?: number;
  max_value?: number;
  /** The only values Discord lets a user pick (shown by name). */
  choices?: Array<{ name: string; value: string }>;
}

export interface CommandDefinition {
  name: string;
  description: string;
  options: OptionDefinition[];
  /** Permission bits a member needs to see the command by default, as Discord's decimal string. */
  default_member_permissions?: string;
  /** Where the command can be used: 0 = servers, 1 = the bot's DMs, 2 = private channels. */
  contexts?: number[];
  /** How it can be installed: 0 = to a server, 1 = to a user's own account. */
  integration_types?: number[];
}

export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  definition: Omit<OptionDefinition, "name">;
  schema: S;
}

interface StringOptionSpec {
  description: string;
  maxLength: number;
  autocomplete?: boolean;
  /** What the option is, for messages: "a search query". */
  noun: string;
}

function stringSchema(spec: StringOptionSpec) {
  return z
    .string({ error: `Please give ${spec.noun}.` })
    .trim()
    .min(1, `Please give ${spec.noun}: it cannot be empty.`)
    .max(spec.maxLength, { error: (issue) => `${capitalize(spec.noun)} can be at most ${spec.maxLength} characters (yours has ${String(issue.input).trim().length}).` });
}

export function stringOption(spec: StringOptionSpec & { required: true }): OptionSpec<ReturnType<typeof stringSchema>>;
export function stringOption(spec: StringOptionSpec & { required?: false }): OptionSpec<z.ZodOptional<ReturnType<typeof stringSchema>>>;
export function stringOption(spec: StringOptionSpec & { required?: boolean }): OptionSpec {
  const required = spec.required ?? false;
  const schema = stringSchema(spec);
  return {
    definition: { type: OptionType.String, description: spec.description, required, autocomplete: spec.autocomplete, max_length: spec.maxLength },
    schema: required ? schema : schema.optional(),
  };
}

export function integerOption(spec: { description: string; min: number; max: number; noun: string }) {
  const message = `${capitalize(spec.noun)} must be a whole number from ${spec.min} to ${spec.max}.`;
  const schema = z.coerce.number({ error: message }).int(message).min(spec.min, message).max(spec.max, message).optional();
  return {
    definition: { type: OptionType.Integer, description: spec.description, required: false, min_value: spec.min, max_value: spec.max },
    schema,
  };
}

export function booleanOption(spec: { description: string }) {
  return { definition: { type: OptionType.Boolean, description: spec.description, required: false }, schema: z.boolean().optional() };
}

/** One of a few fixed values, picked from a list (`values`: value -> the name shown). */
export function choiceOption<const Values extends readonly [string, ...string[]]>(spec: { description: string; values: Values; names?: Partial<Record<Values[number], string>>; noun: string }) {
  const message = `${capitalize(spec.noun)} must be one of: ${spec.values.join(", ")}.`;
  return {
    definition: { type: OptionType.String, description: spec.description, required: false, choices: spec.values.map((value) => ({ name: spec.names?.[value as Values[number]] ?? value, value })) },
    schema: z.enum(spec.values, { error: message }).optional(),
  };
}

/** A text channel of the server (Discord sends its id); `required: false` for one that may be left out. */
export function channelOption(spec: { description: string; noun: string; required?: true }): OptionSpec<z.ZodString>;
export function channelOption(spec: { description: string; noun: string; required: false }): OptionSpec<z.ZodOptional<z.ZodString>>;
export function channelOption(spec: { description: string; noun: string; required?: boolean }): OptionSpec {
  const schema = z.string({ error: `Please give ${spec.noun}.` }).regex(/^\w{1,32}$/, `Please give ${spec.noun}.`);
  return {
    definition: { type: OptionType.Channel, description: spec.description, required: spec.required ?? true, channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
    schema: spec.required === false ? schema.optional() : schema,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
