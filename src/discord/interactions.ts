import {
  ApplicationCommandOptionType,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type ModalSubmitInteraction,
  GuildMember,
  PermissionFlagsBits,
} from "discord.js";
import type { Logger } from "pino";
import type { CommandRunner } from "../command-kit/runner.ts";
import type { Invocation } from "../command-kit/types.ts";
import type { RateLimiter } from "../rate-limit.ts";
import { ephemeralMessage, type Reply } from "../render/reply.ts";
import { fitReply } from "../render/limits.ts";
import type { Observer } from "../ops/observer.ts";
import { messageBody, modalBody, replyOptions } from "./payload.ts";

/** Discord drops an interaction not acknowledged within 3 s; past this, we acknowledge first and answer after. */
const DEFER_AFTER_MS = 2000;
const EDIT_INTERVAL_MS = 1500;

export interface InteractionDeps {
  runner: CommandRunner;
  limiter: RateLimiter;
  /** Autocomplete has its own, larger budget (it fires as one types) but a budget all the same. */
  autocompleteLimiter: RateLimiter;
  logger: Logger;
  observer?: Observer;
}

/** Discord's options as the plain record the handlers validate; a subcommand's name comes as `subcommand`. */
function optionsOf(interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const flat = (options: readonly CommandInteractionOption[]) => Object.fromEntries(options.map((option) => [option.name, option.value]));
  const [first] = interaction.options.data;
  if (first?.type === ApplicationCommandOptionType.Subcommand) return { subcommand: first.name, ...flat(first.options ?? []) };
  return flat(interaction.options.data);
}

function invocationOf(interaction: Interaction): Invocation {
  return {
    userId: interaction.user.id,
    guildId: interaction.guildId ?? undefined,
    channelId: interaction.channelId ?? undefined,
    canManageServer: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    canPostIn: (channelId) => {
      const channel = interaction.guild?.channels.cache.get(channelId);
      const member = interaction.member;
      if (!channel || !member || !("permissionsFor" in channel) || !(member instanceof GuildMember)) return undefined;
      return channel.permissionsFor(member).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]);
    },
  };
}

/** The adapter for one interaction: autocomplete, a slash command or a button press, answered once. */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<void> {
  if (interaction.isAutocomplete()) {
    if (deps.autocompleteLimiter.take(interaction.user.id) > 0) {
      await interaction.respond([]);
      return;
    }
    const focused = interaction.options.getFocused(true);
    await interaction.respond(deps.runner.autocomplete(interaction.commandName, focused.name, String(focused.value), invocationOf(interaction)));
    return;
  }
  if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isModalSubmit()) {
    // paperbot has no menus or context commands: one arriving comes from a stale or forged client, and
    // unanswered it would show "This interaction failed".
    if (interaction.isRepliable()) await interaction.reply(replyOptions(ephemeralMessage("That is not one of my commands, or it is out of date.")));
    return;
  }
  const waitMs = deps.limiter.take(interaction.user.id);
  if (waitMs > 0) {
    deps.observer?.interaction(interaction.isChatInputCommand() ? interaction.commandName : "component", "rate_limited", 0);
    const seconds = Math.ceil(waitMs / 1000);
    await interaction.reply(replyOptions(ephemeralMessage(`You are going a little fast. Please try again in ${seconds} s.`)));
    return;
  }
  if (interaction.isChatInputCommand() && deps.runner.isDeferred(interaction.commandName)) {
    await answerDeferred(interaction, (progress) => deps.runner.execute(interaction.commandName, optionsOf(interaction), { ...invocationOf(interaction), progress }));
    return;
  }
  if (interaction.isModalSubmit()) {
    const fields = Object.fromEntries(interaction.fields.fields.map((field) => [field.customId, "value" in field ? String(field.value) : ""]));
    await answerDeferred(interaction, (progress) => deps.runner.submit(interaction.customId, fields, { ...invocationOf(interaction), progress }));
    return;
  }
  const work = interaction.isChatInputCommand()
    ? deps.runner.execute(interaction.commandName, optionsOf(interaction), invocationOf(interaction))
    : deps.runner.press(interaction.customId, invocationOf(interaction));
  await respond(interaction, work);
}

/**
 * Work that takes seconds (an answer being written): "thinking…" at once, then the reply edited in, and
 * edited as it grows when the work reports progress, at most once per EDIT_INTERVAL_MS (Discord limits
 * edits of a message to about five per five seconds).
 */
async function answerDeferred(interaction: ChatInputCommandInteraction | ModalSubmitInteraction, run: (progress: (reply: Reply) => void) => Promise<Reply>): Promise<void> {
  await interaction.deferReply();
  let lastEdit = 0;
  let editing: Promise<unknown> = Promise.resolve();
  const progress = (partial: Reply) => {
    const now = Date.now();
    if (now - lastEdit < EDIT_INTERVAL_MS) return;
    lastEdit = now;
    editing = editing.then(() => interaction.editReply(messageBody(fitReply(partial)))).catch(() => undefined);
  };
  const reply = await run(progress);
  await editing;
  if (!reply.ephemeral) {
    await interaction.editReply(messageBody(reply));
    return;
  }
  // A deferred reply is public; an error must not be, so it goes as a private follow-up instead.
  await interaction.deleteReply();
  await interaction.followUp(replyOptions(reply));
}

async function respond(interaction: ChatInputCommandInteraction | ButtonInteraction, work: Promise<Reply>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, DEFER_AFTER_MS, undefined)));
  const early = await Promise.race([work, deadline]);
  clearTimeout(timer);
  if (early) return answerNow(interaction, early);
  // Slow: acknowledge within Discord's 3 s, then answer when the work is done.
  if (interaction.isButton()) {
    await interaction.deferUpdate();
    const reply = await work;
    if (reply.replaceSource) await interaction.editReply(messageBody(reply));
    else await interaction.followUp(replyOptions(reply));
    return;
  }
  await interaction.deferReply();
  const reply = await work;
  if (!reply.ephemeral) {
    await interaction.editReply(messageBody(reply));
    return;
  }
  // A deferred reply is public; an error must not be, so it goes as a private follow-up instead.
  await interaction.deleteReply();
  await interaction.followUp(replyOptions(reply));
}

async function answerNow(interaction: ChatInputCommandInteraction | ButtonInteraction, reply: Reply): Promise<void> {
  if (interaction.isButton() && reply.modal) await interaction.showModal(modalBody(reply.modal));
  else if (interaction.isButton() && reply.replaceSource) await interaction.update(messageBody(reply));
  else await interaction.reply(replyOptions(reply));
}
