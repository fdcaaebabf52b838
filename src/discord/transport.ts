import { DiscordAPIError, HTTPError, PermissionFlagsBits, Routes, type Client, type GuildBasedChannel } from "discord.js";
import { SendError, type Transport } from "../delivery/transport.ts";
import { channelMessage } from "./payload.ts";

/**
 * Discord's error codes for a channel the bot cannot use: unknown channel, missing access, missing
 * permissions, and a person who does not accept direct messages from it (50007).
 */
const CHANNEL_CLOSED = new Set([10003, 50001, 50013, 50007]);

/**
 * What posting digests and alerts needs in a channel. Read Message History too: after a crash, a post
 * whose confirmation was lost is looked for among the channel's recent messages before it is sent again
 * (without it Discord lists no messages, and the bot could not tell a post from none).
 */
const NEEDED = [
  [PermissionFlagsBits.ViewChannel, "View Channel"],
  [PermissionFlagsBits.SendMessages, "Send Messages"],
  [PermissionFlagsBits.EmbedLinks, "Embed Links"],
  [PermissionFlagsBits.ReadMessageHistory, "Read Message History"],
] as const;

/** Reading a channel's recent messages: what findPosted needs. */
const READING = [
  [PermissionFlagsBits.ViewChannel, "View Channel"],
  [PermissionFlagsBits.ReadMessageHistory, "Read Message History"],
] as const;

/**
 * Whether a footer is the one `marker` names: exactly it, or it followed by " · " and more ("Watch alert
 * #12 · /watch list…", "Digest #3 · 2026-03-28 · /search finds more"), never a longer number
 * ("Watch alert #123") or another slot that merely starts the same way.
 */
export function footerMatches(footer: string | undefined, marker: string): boolean {
  return footer !== undefined && (footer === marker || footer.startsWith(`${marker} ·`));
}

/** The names of the permissions in `needed` the bot lacks in a server channel. */
function missingPermissions(client: Client, channel: GuildBasedChannel, needed: ReadonlyArray<readonly [bigint, string]>): string[] {
  const permissions = client.user ? channel.permissionsFor(client.user) : null;
  return needed.filter(([bit]) => !permissions?.has(bit)).map(([, name]) => name);
}

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
      const missing = missingPermissions(client, channel, NEEDED);
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
    /**
     * Throws (a SendError) when it cannot tell: Discord failing, or a channel the bot may not read (where
     * Discord would answer with no messages at all, which must not pass for "not posted").
     */
    async findPosted(channelId, marker) {
      const channel = client.channels.cache.get(channelId);
      if (channel && "guildId" in channel && channel.guildId) {
        const missing = missingPermissions(client, channel, READING);
        if (missing.length) throw new SendError("pause", `I am missing the ${missing.join(", ")} permission there`);
      }
      let messages: Array<{ id: string; author?: { id: string }; embeds?: Array<{ footer?: { text?: string } }> }>;
      try {
        messages = (await client.rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: "50" }) })) as typeof messages;
      } catch (error) {
        throw classify(error);
      }
      const ours = messages.find((message) => message.author?.id === client.user?.id && message.embeds?.some((embed) => footerMatches(embed.footer?.text, marker)));
      return ours?.id;
    },
  };
}
