import type { Message } from "discord.js";
import type { Logger } from "pino";
import type { CommandRunner } from "../command-kit/runner.ts";
import type { RateLimiter } from "../rate-limit.ts";
import { ephemeralMessage } from "../render/reply.ts";
import { messageBody } from "./payload.ts";

/**
 * A message that mentions the bot ("@paperbot any recent work on grokking?"), or any message in a DM with
 * it, is answered like /ask, as a reply to that message. Discord delivers the text of exactly these
 * messages without the privileged Message Content intent. Bots (this one included) are never answered,
 * the same rate limit as commands applies, and the reply pings nobody, not even the asker.
 */
export async function handleMessage(message: Message, deps: { runner: CommandRunner; limiter: RateLimiter; logger: Logger; botId: string }): Promise<void> {
  if (message.author.bot || message.system) return;
  const direct = message.channel.isDMBased();
  if (!direct && !message.mentions.users.has(deps.botId)) return;
  const question = message.content.replace(new RegExp(`<@!?${deps.botId}>`, "g"), " ").replace(/\s+/g, " ").trim();
  const answer = (text: string) => message.reply({ ...messageBody(ephemeralMessage(text)), allowedMentions: { parse: [], repliedUser: false } });
  if (!question) {
    await answer("Ask me a question after the mention, e.g. “@paperbot any recent work on grokking?”, or use /search.");
    return;
  }
  const waitMs = deps.limiter.take(message.author.id);
  if (waitMs > 0) {
    await answer(`You are going a little fast. Please try again in ${Math.ceil(waitMs / 1000)} s.`);
    return;
  }
  if ("sendTyping" in message.channel) await message.channel.sendTyping().catch(() => undefined);
  const reply = await deps.runner.execute("ask", { question }, { userId: message.author.id, guildId: message.guildId ?? undefined, channelId: message.channelId, canManageServer: false });
  await message.reply({ ...messageBody(reply), allowedMentions: { parse: [], repliedUser: false } });
}
