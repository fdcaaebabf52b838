import { DiscordAPIError, HTTPError, PermissionFlagsBits, Routes, type Client } from "discord.js";
import { SendError, type Transport } from "../delivery/transport.ts";
import { channelMessage } from "./payload.ts";

/**
 * Discord's error codes for a channel the bot cannot use: unknown channel, missing access, missing
 * permissions, and a person who does not accept direct messages from it (50007).
 */
const CHANNEL_CLOSED = new Set([10003, 50001, 50013, 50007]);

const NEEDED = [
  [PermissionFlagsBits.ViewChannel, "View Channel"],
  [PermissionFlagsBits.SendMessages, "Send Messages"],
  [PermissionFlagsBits.EmbedLinks, "Embed Links"],
] as const;

function classify(error: unknown): SendError {
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === "number" ? error.code : 0;
    if (CHANNEL_CLOSED.has(code)) return new SendError("pause", `${error.message} (Discord error ${code})`);
    return new SendError(error.status >= 500 || error.status === 429 ? "retry" : "fail", `${error.message} (HTTP ${error.status})`);
  }
  if (error instanceof HTTPError) return new SendError(error.status >= 500 || error.status === 429 ? "retry" : "fail", error.message);
  return new SendError("retry", (error as Error).message); // network errors and timeouts pass
}

/** Digests and alerts on Discord: channel checks from the guild cache, posts through REST with a nonce. */
export function discordTransport(client: Client): Transport {
  return {
    async checkChannel(guildId, channelId) {
      const channel = await client.channels.fetch(channelId).catch(() => null);
      if (!channel || !("guildId" in channel) || channel.guildId !== guildId) return "that channel does not exist in this server or I cannot see it";
      if (!channel.isTextBased() || channel.isVoiceBased()) return "it is not a text channel";
      const permissions = client.user ? channel.permissionsFor(client.user) : null;
      const missing = NEEDED.filter(([bit]) => !permissions?.has(bit)).map(([, name]) => name);
      return missing.length ? `I am missing the ${missing.join(", ")} permission there` : undefined;
    },
    async directChannel(userId) {
      try {
        return (await client.users.createDM(userId)).id;
      } catch (error) {
        throw classify(error);
      }
    },
    async send(channelId, reply, nonce) {
      try {
        const message = (await client.rest.post(Routes.channelMessages(channelId), { body: channelMessage(reply, nonce) })) as { id: string };
        return { messageId: message.id };
      } catch (error) {
        throw classify(error);
      }
    },
    async findPosted(channelId, marker) {
      const messages = (await client.rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: "50" }) })) as Array<{
        id: string;
        author?: { id: string };
        embeds?: Array<{ footer?: { text?: string } }>;
      }>;
      const ours = messages.find((message) => message.author?.id === client.user?.id && message.embeds?.some((embed) => embed.footer?.text?.includes(marker)));
      return ours?.id;
    },
  };
}
