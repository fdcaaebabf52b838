import { DiscordAPIError, PermissionFlagsBits, PermissionsBitField, type Client } from "discord.js";
import { describe, expect, it } from "vitest";
import { SendError } from "../../../src/delivery/transport.ts";
import { discordTransport, footerMatches } from "../../../src/discord/transport.ts";
import { digestMarker } from "../../../src/render/digest.ts";
import { alertMarker } from "../../../src/render/alert.ts";

const BOT = "100";
const ALL = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.ReadMessageHistory;

/** A guild text channel as discord.js caches it, with the bot's permissions there. */
const textChannel = (id: string, permissions: bigint) => ({
  id,
  guildId: "g1",
  isTextBased: () => true,
  isVoiceBased: () => false,
  permissionsFor: () => new PermissionsBitField(permissions),
});

/** Just what the transport uses of a discord.js Client: the cache, and REST answering with `messages` (or failing). */
function fakeClient(options: { messages?: unknown[]; fail?: unknown; channels?: ReturnType<typeof textChannel>[] }) {
  const channels = new Map((options.channels ?? []).map((channel) => [channel.id, channel]));
  return {
    user: { id: BOT },
    channels: { cache: channels, fetch: async (id: string) => channels.get(id) ?? null },
    rest: {
      get: async () => {
        if (options.fail) throw options.fail;
        return options.messages ?? [];
      },
    },
  } as unknown as Client;
}

const message = (id: string, footer: string, author = BOT) => ({ id, author: { id: author }, embeds: [{ footer: { text: footer } }] });

describe("finding a post of ours by its marker", () => {
  it("matches the marker exactly, never a longer number or another slot that starts the same way", async () => {
    const transport = discordTransport(
      fakeClient({
        messages: [
          message("m-123", `${alertMarker(123)} · /watch list to manage`),
          message("m-digest-long", `${digestMarker(3, "2026-03-28")} · /search finds more`),
          message("m-other-author", `${alertMarker(12)} · /watch list to manage`, "999"),
        ],
      }),
    );
    expect(await transport.findPosted("dm-channel", alertMarker(12))).toBeUndefined();
    expect(await transport.findPosted("dm-channel", alertMarker(123))).toBe("m-123");
    expect(await transport.findPosted("dm-channel", alertMarker(1))).toBeUndefined();
    // Digests: with " · /search finds more" after the marker, and alone (an empty digest's footer).
    expect(await transport.findPosted("dm-channel", digestMarker(3, "2026-03-28"))).toBe("m-digest-long");
    expect(await transport.findPosted("dm-channel", digestMarker(3, "2026-03-2"))).toBeUndefined();
    const alone = discordTransport(fakeClient({ messages: [message("m-empty-digest", digestMarker(30, "2026-03-28"))] }));
    expect(await alone.findPosted("c", digestMarker(30, "2026-03-28"))).toBe("m-empty-digest");
    expect(await alone.findPosted("c", digestMarker(3, "2026-03-28"))).toBeUndefined();
    expect(footerMatches(undefined, "x")).toBe(false);
  });

  it("throws when it cannot tell (Discord failing, or a channel it may not read), rather than answering 'not posted'", async () => {
    const missingAccess = new DiscordAPIError({ code: 50001, message: "Missing Access" }, 50001, 403, "GET", "/channels/c/messages", { body: undefined, files: undefined });
    await expect(discordTransport(fakeClient({ fail: missingAccess })).findPosted("c", alertMarker(1))).rejects.toBeInstanceOf(SendError);
    await expect(discordTransport(fakeClient({ fail: new Error("socket hang up") })).findPosted("c", alertMarker(1))).rejects.toMatchObject({ failure: "retry" });
    // Without Read Message History Discord lists no messages at all: that is not an answer.
    const unreadable = discordTransport(fakeClient({ messages: [], channels: [textChannel("c", ALL & ~PermissionFlagsBits.ReadMessageHistory)] }));
    await expect(unreadable.findPosted("c", alertMarker(1))).rejects.toThrow("Read Message History");
    const readable = discordTransport(fakeClient({ messages: [message("m1", alertMarker(1))], channels: [textChannel("c", ALL)] }));
    expect(await readable.findPosted("c", alertMarker(1))).toBe("m1");
  });

  it("checks for Read Message History where it would post", async () => {
    const client = fakeClient({ channels: [textChannel("ok", ALL), textChannel("blind", ALL & ~PermissionFlagsBits.ReadMessageHistory)] });
    const transport = discordTransport(client);
    expect(await transport.checkChannel("g1", "ok")).toBeUndefined();
    expect(await transport.checkChannel("g1", "blind")).toBe("I am missing the Read Message History permission there");
  });
});
