// Proves the fake Discord works with the real discord.js Client: login over REST + gateway,
// guild cache, command registration, every interaction response style, files, DMs the bot opens
// (and users who refuse them), resume/re-identify, Discord-shaped errors, the zlib-stream
// transport a zlib-sync-equipped client would use, and gateway sharding over several guilds.
import type { EventEmitter } from "node:events";
import { once } from "node:events";
import zlib from "node:zlib";
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  PermissionFlagsBits,
  REST,
  ModalBuilder,
  PermissionsBitField,
  Routes,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
  type TextChannel,
} from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startFakeDiscord, type FakeDiscord } from "./server.ts";

const TEST_TIMEOUT_MS = 15_000;
/** A real 1x1 PNG: discord.js sniffs the content type from these bytes, and Discord only embeds images. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

let fake: FakeDiscord;
let client: Client;
/** Errors thrown inside the bot's handlers; the last test asserts there were none. */
const handlerErrors: unknown[] = [];

/** A tiny stand-in bot: one behaviour per command / custom id. */
async function handle(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    const typed = String(interaction.options.getFocused());
    await interaction.respond([{ name: `Attention is all you need (${typed})`, value: "1706.03762" }]);
    return;
  }
  if (interaction.isButton() && interaction.customId === "refresh") {
    await interaction.update({ content: "refreshed", components: [] });
    return;
  }
  if (interaction.isModalSubmit()) {
    await interaction.reply({ content: `thanks for ${interaction.fields.getTextInputValue("url")}` });
    return;
  }
  if (interaction.isStringSelectMenu()) {
    await interaction.reply({ content: `picked ${interaction.values.join(",")}`, flags: 64 });
    return;
  }
  if (!interaction.isChatInputCommand()) return;
  switch (interaction.commandName) {
    case "ping":
      await interaction.reply({ content: "pong", allowedMentions: { parse: [] } });
      break;
    case "slow":
      await interaction.deferReply();
      await interaction.editReply({ content: "slow answer" });
      break;
    case "follow":
      await interaction.deferReply({ flags: 64 });
      await interaction.followUp({ content: "first follow-up" });
      await interaction.followUp({ content: "second follow-up" });
      break;
    case "paper": {
      const sub = interaction.options.getSubcommand();
      const who = interaction.options.getUser("for", true);
      await interaction.reply({ content: `${sub} for ${who.username}`, allowedMentions: { parse: [] } });
      break;
    }
    case "receipt": {
      // withResponse returns the interaction callback response; fetchReply GETs @original.
      const response = await interaction.reply({ content: "receipt", withResponse: true });
      const fetched = await interaction.fetchReply();
      await interaction.followUp({ content: `${response.resource?.message?.id}=${fetched.id}` });
      break;
    }
    case "suggest":
      await interaction.showModal(
        new ModalBuilder()
          .setCustomId("suggest-modal")
          .setTitle("Suggest a paper")
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder().setCustomId("url").setLabel("arXiv URL").setStyle(TextInputStyle.Short),
            ),
          ),
      );
      break;
    case "chart":
      await interaction.reply({
        embeds: [{ title: "Citations per year", image: { url: "attachment://chart.png" } }],
        files: [{ attachment: PNG, name: "chart.png" }],
      });
      break;
    case "secret":
      await interaction.reply({
        content: "only you",
        files: [{ attachment: Buffer.from("private notes"), name: "notes.txt", description: "reading notes" }],
        flags: 64,
      });
      break;
    case "report":
      await interaction.deferReply();
      await interaction.editReply({ content: "v1", files: [{ attachment: Buffer.from("first draft"), name: "report-v1.txt" }] });
      await interaction.followUp({ content: "raw data", files: [{ attachment: Buffer.from("id,year\n1,2017\n"), name: "data.csv" }] });
      // An edit with files replaces the earlier ones: discord.js lists only the new files in `attachments`.
      await interaction.editReply({ content: "v2", files: [{ attachment: Buffer.from("final"), name: "report-v2.txt" }] });
      break;
    case "long":
      await interaction.reply({ content: "x".repeat(2001) }).catch(async (error: unknown) => {
        const code = error instanceof DiscordAPIError ? error.code : "?";
        await interaction.reply({ content: `rejected ${code}` });
      });
      break;
  }
}

function textChannel(name: string): TextChannel {
  const id = fake.channels.find((c) => c.name === name)?.id;
  const channel = id ? client.channels.cache.get(id) : undefined;
  if (!channel?.isTextBased()) throw new Error(`no cached text channel ${name}`);
  return channel as TextChannel;
}

beforeAll(async () => {
  fake = await startFakeDiscord();
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    handle(interaction).catch((error: unknown) => handlerErrors.push(error));
  });
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(10_000) });
  await client.login(fake.token);
  await ready;
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await client?.destroy();
  await fake?.close();
});

describe("fake Discord with a real discord.js Client", { timeout: TEST_TIMEOUT_MS }, () => {
  it("logs in: gateway info over REST, IDENTIFY, READY and a cached guild with working permissions", async () => {
    expect(fake.requests[0]).toMatchObject({ method: "GET", path: "/gateway/bot", status: 200 });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(fake.identifyCount).toBe(1);
    expect(fake.identifies[0]).toMatchObject({ token: fake.token, intents: GatewayIntentBits.Guilds });
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.application?.id).toBe(fake.applicationId);

    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.size).toBe(fake.channels.length);
    const me = guild?.members.me;
    expect(me?.roles.cache.has(fake.botRoleId)).toBe(true);
    const perms = textChannel("general").permissionsFor(me!);
    expect(perms.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(perms.has(PermissionFlagsBits.ManageGuild)).toBe(false);
  });

  it("stores commands PUT via REST and returns them with server-assigned fields", async () => {
    const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
    const body = [
      { name: "ping", description: "Replies pong" },
      {
        name: "search",
        description: "Search papers",
        options: [{ name: "query", description: "Words", type: ApplicationCommandOptionType.String, required: true, autocomplete: true }],
      },
    ];
    const route = Routes.applicationGuildCommands(fake.applicationId, fake.guildId);
    const put = (await rest.put(route, { body })) as Array<{ id: string; name: string }>;
    const got = (await rest.get(route)) as Array<Record<string, unknown>>;
    expect(got).toEqual(put);
    expect(got.map((c) => c.name)).toEqual(["ping", "search"]);
    expect(got[0]).toMatchObject({ application_id: fake.applicationId, guild_id: fake.guildId, type: 1 });
    expect(typeof got[0]?.id).toBe("string");
    expect(typeof got[0]?.version).toBe("string");

    // Bulk overwrite keeps ids of surviving commands; invalid names are a 50035 like on Discord.
    const again = (await rest.put(route, { body: body.slice(0, 1) })) as Array<{ id: string }>;
    expect(again[0]?.id).toBe(put[0]?.id);
    await expect(rest.put(route, { body: [{ name: "Bad Name", description: "x" }] })).rejects.toMatchObject({ code: 50035 });
    expect(fake.registeredCommands(fake.guildId)).toHaveLength(1);
  });

  it("slash command answered with interaction.reply", async () => {
    const h = await fake.slashCommand("ping");
    const cb = await h.callback();
    expect(cb).toEqual({ type: 4, data: expect.objectContaining({ content: "pong", allowed_mentions: { parse: [] } }) });
    expect(await h.finalMessage()).toMatchObject({ content: "pong" });
    expect(h.original()).toMatchObject({ content: "pong", author: { id: fake.botUserId } });
    // The interaction resolved the registered command id.
    expect((h.payload.data as { id: string }).id).toBe(fake.registeredCommands(fake.guildId)[0]?.id);
  });

  it("deferred reply + editReply, and deferred reply + follow-ups", async () => {
    const slow = await fake.slashCommand("slow");
    expect((await slow.callback()).type).toBe(5);
    expect(await slow.finalMessage()).toMatchObject({ content: "slow answer" });
    expect(slow.original()).toMatchObject({ content: "slow answer" });

    const follow = await fake.slashCommand("follow");
    expect(await follow.callback()).toEqual({ type: 5, data: { flags: 64 } });
    expect(await follow.finalMessage()).toMatchObject({ content: "first follow-up" });
    expect(await follow.waitForFollowUp(1)).toMatchObject({ content: "second follow-up" });
    // The first follow-up replaced the ephemeral "thinking" message, like on Discord.
    expect(follow.original()).toMatchObject({ content: "first follow-up", flags: 64 });
  });

  it("reply withResponse + fetchReply see the stored @original message", async () => {
    const h = await fake.slashCommand("receipt");
    const follow = await h.waitForFollowUp(0);
    const originalId = h.original()?.id;
    expect(originalId).toBeDefined();
    expect(follow).toMatchObject({ content: `${originalId}=${originalId}` });
  });

  it("modal: showModal callback, then a modal submit", async () => {
    const show = await fake.slashCommand("suggest");
    const cb = await show.callback();
    expect(cb).toMatchObject({ type: 9, data: { custom_id: "suggest-modal", title: "Suggest a paper" } });
    const submit = await fake.modalSubmit("suggest-modal", { url: "https://arxiv.org/abs/1706.03762" });
    expect(await submit.finalMessage()).toMatchObject({ content: "thanks for https://arxiv.org/abs/1706.03762" });
  });

  it("subcommand with a user option is resolved for the bot", async () => {
    const h = await fake.slashCommand("paper", [{ name: "for", type: 6, value: fake.userId }], { subcommand: "digest" });
    expect(await h.finalMessage()).toMatchObject({ content: "digest for tester" });
  });

  it("button interaction answered with interaction.update", async () => {
    const h = await fake.button("refresh");
    const cb = await h.callback();
    expect(cb.type).toBe(7);
    expect(cb.data).toMatchObject({ content: "refreshed", components: [] });
    expect(h.payload).toMatchObject({ type: 3, data: { component_type: 2, custom_id: "refresh" } });
    expect(h.original()).toMatchObject({ content: "refreshed" });
  });

  it("select menu and autocomplete", async () => {
    const select = await fake.selectMenu("topics", ["nlp", "cv"]);
    expect(await select.finalMessage()).toMatchObject({ content: "picked nlp,cv", flags: 64 });

    const ac = await fake.autocomplete("search", [{ name: "query", type: 3, value: "atten", focused: true }]);
    expect(await ac.callback()).toEqual({
      type: 8,
      data: { choices: [{ name: "Attention is all you need (atten)", value: "1706.03762" }] },
    });
  });

  it("rejects an over-long reply with Discord's 50035 and lets the bot answer again", async () => {
    const h = await fake.slashCommand("long");
    expect(await h.finalMessage()).toMatchObject({ content: "rejected 50035" });
    const rejected = fake.requests.find((r) => r.path === `/interactions/${h.id}/${h.token}/callback` && r.status === 400);
    expect(rejected?.response).toMatchObject({ code: 50035, errors: { data: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } } });
  });

  it("channel messages: nonce de-duplication, 403 override surfaced as DiscordAPIError 50013, 404 for unknown routes", async () => {
    const channel = textChannel("papers");
    const first = await channel.send({ content: "daily digest", nonce: "digest-2024-01-01", enforceNonce: true });
    const second = await channel.send({ content: "daily digest", nonce: "digest-2024-01-01", enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(fake.messages(channel.id).filter((m) => m.content === "daily digest")).toHaveLength(1);

    // Attachments go out as multipart/form-data; the fake decodes payload_json and the files.
    const withFile = await channel.send({ content: "abstract", files: [{ attachment: Buffer.from("hello"), name: "abstract.txt" }] });
    expect(withFile.attachments.first()?.name).toBe("abstract.txt");
    const upload = await fake.waitForRequest((r) => r.method === "POST" && r.files.length > 0);
    expect(upload.body).toMatchObject({ content: "abstract" });
    expect(upload.files[0]?.data.toString()).toBe("hello");

    const remove = fake.setRouteOverride("POST", /^\/channels\/\d+\/messages$/, () => ({
      status: 403,
      body: { message: "Missing Permissions", code: 50013 },
    }));
    const error = await channel.send("will fail").catch((e: unknown) => e);
    remove();
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50013, status: 403, method: "POST" });

    // The same error without an override, from a real permission overwrite denying the bot.
    fake.setChannelOverwrites(channel.id, [{ id: fake.botRoleId, type: 0, allow: "0", deny: String(PermissionFlagsBits.SendMessages) }]);
    await fake.waitFor(() => !channel.permissionsFor(client.user!)?.has(PermissionFlagsBits.SendMessages));
    await expect(channel.send("denied")).rejects.toMatchObject({ code: 50013 });
    fake.setChannelOverwrites(channel.id, []);

    await expect(client.rest.get("/nonexistent/route" as `/${string}`)).rejects.toMatchObject({ status: 404, code: 0 });
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: "/nonexistent/route", status: 404 });
  });

  it("files on interaction answers: reply (public and ephemeral), deferred edits and follow-ups", async () => {
    const chart = await fake.slashCommand("chart");
    expect((await chart.callback()).data).toMatchObject({ attachments: [{ id: "0" }], embeds: [{ image: { url: "attachment://chart.png" } }] });
    expect(chart.files()).toEqual([{ field: "files[0]", filename: "chart.png", contentType: "image/png", data: PNG, via: "callback" }]);
    // Discord swaps the attachment:// reference for the file's URL and shows the file only in the embed.
    const shown = chart.original()!;
    expect(shown.embeds[0]?.image?.url).toMatch(/^https:\/\/cdn\.discordapp\.invalid\/attachments\/\d+\/chart\.png$/);
    expect(shown.attachments).toEqual([]);
    const callbackRequest = fake.requests.find((r) => r.path === `/interactions/${chart.id}/${chart.token}/callback`);
    expect(callbackRequest?.files.map((f) => f.filename)).toEqual(["chart.png"]);

    const secret = await fake.slashCommand("secret");
    await secret.callback();
    expect(secret.files().map((f) => [f.filename, f.data.toString()])).toEqual([["notes.txt", "private notes"]]);
    // The description travels in payload_json's `attachments` entry for files[0]; Discord puts it on the attachment.
    expect(secret.original()).toMatchObject({ flags: 64, attachments: [{ filename: "notes.txt", size: 13, description: "reading notes" }] });

    const report = await fake.slashCommand("report");
    await fake.waitFor(() => report.edits().length === 2);
    expect(report.files().map((f) => [f.via, f.filename, f.data.toString()])).toEqual([
      ["edit", "report-v1.txt", "first draft"],
      ["followUp", "data.csv", "id,year\n1,2017\n"],
      ["edit", "report-v2.txt", "final"],
    ]);
    expect(report.original()).toMatchObject({ content: "v2", attachments: [{ filename: "report-v2.txt" }] });
    expect(report.original()?.attachments).toHaveLength(1);
    const followUp = fake.messages().find((m) => m.interaction_metadata?.id === report.id && m.content === "raw data");
    expect(followUp?.attachments.map((a) => a.filename)).toEqual(["data.csv"]);
    const webhookUploads = fake.requests.filter((r) => r.path.startsWith(`/webhooks/${fake.applicationId}/${report.token}`) && r.files.length > 0);
    expect(webhookUploads.map((r) => `${r.method} ${r.files[0]?.filename}`)).toEqual(["PATCH report-v1.txt", "POST data.csv", "PATCH report-v2.txt"]);
  });

  it("files on channel messages: an embedded image leaves attachments until an edit drops the embed; 413 over 10 MiB", async () => {
    const channel = textChannel("bot-log");
    const sent = await channel.send({
      embeds: [{ title: "Chart", image: { url: "attachment://chart.png" } }],
      files: [{ attachment: PNG, name: "chart.png" }],
    });
    expect(sent.attachments.size).toBe(0);
    expect(sent.embeds[0]?.image?.url).toMatch(/\/chart\.png$/);
    // Editing the embed away brings the file back, as Discord does; the edit sent no files, so all are kept.
    const edited = await sent.edit({ content: "chart below", embeds: [] });
    expect([...edited.attachments.values()].map((a) => [a.name, a.contentType, a.url])).toEqual([["chart.png", "image/png", sent.embeds[0]?.image?.url]]);

    await expect(channel.send({ files: [{ attachment: Buffer.alloc(10 * 1024 * 1024 + 1), name: "huge.bin" }] })).rejects.toMatchObject({
      status: 413,
      code: 40005,
    });
  });

  it("opens DMs with users it has not cached, the same channel a user's own DM uses", async () => {
    const reader = fake.addUser({ username: "reader" });
    expect(client.users.cache.has(reader.id)).toBe(false);
    const user = await client.users.fetch(reader.id); // GET /users/{id}
    const first = await user.send("your digest is ready");
    expect(first.channel.type).toBe(ChannelType.DM);
    const opened = fake.requests.find((r) => r.method === "POST" && r.path === "/users/@me/channels");
    expect(opened).toMatchObject({ status: 200, body: { recipient_id: reader.id }, response: { id: first.channelId, type: 1, recipients: [{ id: reader.id }] } });

    // Opening again gives the same channel; so does a DM the user starts, and the channel routes work there.
    const again = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: reader.id } })) as { id: string };
    expect(again.id).toBe(first.channelId);
    expect(fake.userMessage({ content: "thanks!", userId: reader.id, dm: true }).channel_id).toBe(first.channelId);
    await first.edit("your digest is ready (updated)");
    await user.send({ content: "the chart", files: [{ attachment: PNG, name: "chart.png" }] });
    expect(fake.directMessages(reader.id).map((m) => [m.content, m.attachments.map((a) => a.filename)])).toEqual([
      ["your digest is ready (updated)", []],
      ["the chart", ["chart.png"]],
    ]);
    const dmUpload = fake.requests.find((r) => r.path === `/channels/${first.channelId}/messages` && r.files.length > 0);
    expect(dmUpload?.files[0]).toMatchObject({ filename: "chart.png", contentType: "image/png" });
    const fetched = await client.channels.fetch(first.channelId, { force: true }); // GET /channels/{dm}
    expect(fetched?.type).toBe(ChannelType.DM);
    const history = await first.channel.messages.fetch({ limit: 10 });
    expect(history.size).toBe(3); // the bot's two messages and the user's

    // A user outside the guild who wrote first: the bot's DM lands in that same channel.
    const stranger = fake.addUser({ member: false });
    expect((await client.users.fetch(stranger.id)).id).toBe(stranger.id);
    const theirs = fake.userMessage({ content: "hello bot", userId: stranger.id, dm: true });
    const dm = await client.users.createDM(stranger.id);
    expect(dm.id).toBe(theirs.channel_id);
    await dm.send("hello human");
    expect(fake.directMessages(stranger.id).map((m) => m.content)).toEqual(["hello human"]);
    expect(fake.directMessages(fake.userId)).toEqual([]);

    await expect(client.users.createDM("123456789012345678")).rejects.toMatchObject({ status: 400, code: 50033 });
    await expect(client.rest.post(Routes.userChannels(), { body: {} })).rejects.toMatchObject({ status: 400, code: 50035 });
  });

  it("users who refuse DMs: opening works, sending is 403 code 50007 until they accept again", async () => {
    const shy = fake.addUser({ username: "shy" });
    fake.refuseDirectMessages(shy.id);
    const user = await client.users.fetch(shy.id);
    const error = await user.send("your digest").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50007, status: 403, method: "POST", message: "Cannot send messages to this user" });
    const opened = fake.requests.find((r) => r.path === "/users/@me/channels" && r.body?.recipient_id === shy.id);
    expect(opened?.status).toBe(200);
    expect(fake.directMessages(shy.id)).toEqual([]);

    fake.refuseDirectMessages(shy.id, false);
    await user.send("your digest");
    expect(fake.directMessages(shy.id).map((m) => m.content)).toEqual(["your digest"]);

    const otherBot = fake.addUser({ bot: true });
    await expect(client.users.send(otherBot.id, "hi")).rejects.toMatchObject({ code: 50007 });
  });

  it("resumes after a 4000 close and an abrupt drop, re-identifies after 1000, and keeps answering", async () => {
    fake.disconnectGateway(4000);
    await fake.waitFor(() => fake.resumeCount === 1, 10_000);
    expect((await (await fake.slashCommand("ping")).callback()).type).toBe(4);

    fake.disconnectGateway(); // abrupt: the client sees 1006
    await fake.waitFor(() => fake.resumeCount === 2, 10_000);
    expect((await (await fake.slashCommand("ping")).callback()).type).toBe(4);

    fake.disconnectGateway(1000);
    await fake.waitFor(() => fake.identifyCount === 2, 10_000);
    expect((await (await fake.slashCommand("ping")).callback()).type).toBe(4);
    expect(fake.resumeCount).toBe(2);
  });

  it("events dispatched while the bot is disconnected are replayed on RESUME", async () => {
    const channelId = fake.channels[2]!.id;
    const channelJson = (await client.rest.get(Routes.channel(channelId))) as object;
    fake.disconnectGateway(4000);
    // The session is down right now, so this event waits in the replay log until RESUME.
    fake.dispatch("CHANNEL_UPDATE", { ...channelJson, topic: "replayed topic" });
    await fake.waitFor(() => fake.resumeCount === 3, 10_000);
    await fake.waitFor(() => (client.channels.cache.get(channelId) as TextChannel | undefined)?.topic === "replayed topic");
  });

  it("speaks zlib-stream when a client asks for it (what discord.js does with zlib-sync installed)", async () => {
    const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const frames: Buffer[] = [];
    ws.on("message", (data: Buffer) => frames.push(data));
    await once(ws, "open", { signal: AbortSignal.timeout(5000) });
    await fake.waitFor(() => frames.length >= 1);
    ws.send(JSON.stringify({ op: 1, d: null })); // heartbeat (no IDENTIFY: the bot keeps the session)
    await fake.waitFor(() => frames.length >= 2);
    ws.terminate();

    // One inflate context for the whole connection; every frame ends with the sync-flush marker.
    const inflate = zlib.createInflate();
    const decoded: unknown[] = [];
    for (const frame of frames) {
      expect(frame.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
      const text = await new Promise<string>((resolve, reject) => {
        inflate.once("data", (chunk: Buffer) => resolve(chunk.toString("utf8")));
        inflate.once("error", reject);
        inflate.write(frame);
      });
      decoded.push(JSON.parse(text));
    }
    expect(decoded).toEqual([
      { op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null },
      { op: 11, d: null, s: null, t: null },
    ]);
  });

  it("bot handlers raised no errors", () => {
    expect(handlerErrors).toEqual([]);
  });
});

// --- sharding -------------------------------------------------------------------------------------

interface ShardedBot {
  client: Client;
  /** Every gateway dispatch the client received, with the shard it came in on. */
  raw: Array<{ t: string; d: any; shardId: number }>;
  /** Every interaction the client received. */
  interactions: Array<{ id: string; guildId: string | null; shardId: number | undefined }>;
  errors: unknown[];
}

/** A real discord.js Client running the given shards of `shardCount`; answers every slash command with "<label> shard <n>". */
async function startShardedBot(f: FakeDiscord, shards: number[], shardCount: number, label: string): Promise<ShardedBot> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    rest: { api: f.apiUrl },
    shards,
    shardCount,
  });
  const bot: ShardedBot = { client, raw: [], interactions: [], errors: [] };
  // "raw" is not in discord.js' typed events: (packet, shardId) for every dispatch.
  (client as unknown as EventEmitter).on("raw", (packet: { t: string; d: any }, shardId: number) => {
    bot.raw.push({ t: packet.t, d: structuredClone(packet.d), shardId }); // discord.js mutates packets later
  });
  client.on(Events.InteractionCreate, (interaction) => {
    bot.interactions.push({ id: interaction.id, guildId: interaction.guildId, shardId: interaction.guild?.shardId });
    if (!interaction.isChatInputCommand()) return;
    interaction.reply({ content: `${label} shard ${interaction.guild?.shardId}` }).catch((error: unknown) => bot.errors.push(error));
  });
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(10_000) });
  await Promise.all([ready, client.login(f.token)]);
  return bot;
}

describe("sharding", { timeout: TEST_TIMEOUT_MS }, () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (opts: Parameters<typeof startFakeDiscord>[0]) => {
    const f = await startFakeDiscord(opts);
    cleanups.push(() => f.close());
    return f;
  };
  const startBot = async (f: FakeDiscord, shards: number[], shardCount: number, label: string) => {
    const bot = await startShardedBot(f, shards, shardCount, label);
    cleanups.push(() => bot.client.destroy());
    return bot;
  };
  /** Ids of the guilds on `shard` of `count`, in fake.guilds order. */
  const guildsOn = (f: FakeDiscord, shard: number, count: number) => f.guilds.filter((g) => f.shardOf(g.id, count) === shard).map((g) => g.id);

  it("one client with shards [0, 1]: per-shard READY and GUILD_CREATEs, routed guild events, REST in every guild", async () => {
    const f = await start({ shards: 2, maxConcurrency: 2, extraGuilds: 3 });
    const bot = await startBot(f, [0, 1], 2, "bot");
    await f.waitForShards(2);

    expect(f.requests.find((r) => r.path === "/gateway/bot")?.response).toMatchObject({ shards: 2, session_start_limit: { max_concurrency: 2 } });
    expect(f.identifies.map((d) => d.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(f.sessionsByShard()).toEqual([
      { shard: [0, 2], sessionId: expect.any(String), connected: true },
      { shard: [1, 2], sessionId: expect.any(String), connected: true },
    ]);

    // Four guilds, the first one being fake.guildId; guild i is on shard i % count.
    expect(f.guilds).toHaveLength(4);
    expect(f.guilds[0]).toEqual({ id: f.guildId, name: expect.any(String), channels: f.channels });
    expect(new Set(f.guilds.map((g) => g.id)).size).toBe(4);
    expect(f.guilds.map((g) => f.shardOf(g.id, 2))).toEqual([0, 1, 0, 1]);
    expect(f.guilds.map((g) => f.shardOf(g.id, 3))).toEqual([0, 1, 2, 0]);
    expect(f.guilds[1]?.channels.map((c) => c.name)).toEqual(f.channels.map((c) => c.name));

    for (const shard of [0, 1]) {
      const own = guildsOn(f, shard, 2);
      const ready = bot.raw.find((p) => p.t === "READY" && p.shardId === shard);
      expect(ready?.d.shard).toEqual([shard, 2]);
      expect(ready?.d.guilds).toEqual(own.map((id) => ({ id, unavailable: true })));
      expect(bot.raw.filter((p) => p.t === "GUILD_CREATE" && p.shardId === shard).map((p) => p.d.id)).toEqual(own);
    }
    expect([...bot.client.guilds.cache.keys()].sort()).toEqual(f.guilds.map((g) => g.id).sort());
    for (const g of f.guilds) {
      const guild = bot.client.guilds.cache.get(g.id)!;
      expect(guild.shardId).toBe(f.shardOf(g.id, 2));
      expect([...guild.channels.cache.keys()].sort()).toEqual(g.channels.map((c) => c.id).sort());
      expect(guild.members.me?.permissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
      expect(guild.members.cache.has(f.userId)).toBe(true);
    }

    // An interaction in a guild on shard 1 arrives on shard 1, with that guild's channel and member.
    const g1 = f.guilds[1]!;
    const channel = g1.channels[1]!;
    const h = await f.slashCommand("where", [], { guildId: g1.id, channelId: channel.id });
    expect(h.payload).toMatchObject({
      guild_id: g1.id,
      channel_id: channel.id,
      channel: { id: channel.id, guild_id: g1.id, name: channel.name },
      member: { user: { id: f.userId } },
    });
    expect(await h.finalMessage()).toMatchObject({ content: "bot shard 1" });
    expect(bot.interactions.find((i) => i.id === h.id)).toEqual({ id: h.id, guildId: g1.id, shardId: 1 });
    expect(bot.raw.find((p) => p.t === "INTERACTION_CREATE" && p.d.id === h.id)?.shardId).toBe(1);
    // A channel alone picks its guild; a channel of another guild is a mistake.
    const g2channel = f.guilds[2]!.channels[0]!.id;
    const h2 = await f.slashCommand("where", [], { channelId: g2channel });
    expect(h2.payload).toMatchObject({ guild_id: f.guilds[2]!.id, channel_id: g2channel });
    expect(await h2.finalMessage()).toMatchObject({ content: "bot shard 0" });
    expect(bot.raw.find((p) => p.t === "INTERACTION_CREATE" && p.d.id === h2.id)?.shardId).toBe(0);
    await expect(f.slashCommand("where", [], { guildId: g1.id, channelId: f.channels[0]!.id })).rejects.toThrow(/belongs to guild/);
    await expect(f.button("x", { guildId: "1" })).rejects.toThrow(/unknown guild/);

    // REST works in every guild: reads, guild commands, channel messages (MESSAGE_CREATE comes back on the guild's shard).
    const rest = bot.client.rest;
    expect(await rest.get(Routes.guild(g1.id))).toMatchObject({ id: g1.id, name: g1.name, owner_id: expect.any(String) });
    expect(((await rest.get(Routes.guildChannels(g1.id))) as Array<{ id: string; guild_id: string }>).map((c) => [c.id, c.guild_id])).toEqual(
      g1.channels.map((c) => [c.id, g1.id]),
    );
    expect(await rest.get(Routes.channel(channel.id))).toMatchObject({ id: channel.id, guild_id: g1.id });
    const botMember = (await rest.get(Routes.guildMember(g1.id, f.botUserId))) as { roles: string[] };
    expect(botMember.roles).toHaveLength(1);
    expect(botMember.roles[0]).not.toBe(f.botRoleId); // each guild has its own bot role
    await expect(rest.get(Routes.guildMember(g1.id, "123"))).rejects.toMatchObject({ code: 10007 });
    const route = Routes.applicationGuildCommands(f.applicationId, g1.id);
    const [where] = (await rest.put(route, { body: [{ name: "where", description: "Which shard?" }] })) as Array<{ id: string; guild_id: string }>;
    expect(where?.guild_id).toBe(g1.id);
    expect(await rest.get(route)).toEqual([where]);
    expect(f.registeredCommands(g1.id).map((c) => c.name)).toEqual(["where"]);
    expect(f.registeredCommands(f.guildId)).toEqual([]);
    const registered = await f.slashCommand("where", [], { guildId: g1.id });
    expect((registered.payload.data as { id: string }).id).toBe(where?.id);
    await registered.callback();

    const text = bot.client.channels.cache.get(channel.id) as TextChannel;
    const sent = await text.send("hello from shard 1");
    await f.waitFor(() => bot.raw.some((p) => p.t === "MESSAGE_CREATE" && p.d.id === sent.id));
    expect(bot.raw.find((p) => p.t === "MESSAGE_CREATE" && p.d.id === sent.id)).toMatchObject({ shardId: 1, d: { guild_id: g1.id } });
    const said = f.userMessage({ content: "hi bot", channelId: channel.id });
    await f.waitFor(() => bot.raw.some((p) => p.t === "MESSAGE_CREATE" && p.d.id === said.id));
    expect(bot.raw.find((p) => p.t === "MESSAGE_CREATE" && p.d.id === said.id)).toMatchObject({ shardId: 1, d: { guild_id: g1.id } });
    expect(f.messages(channel.id).map((m) => m.content)).toEqual(["bot shard 1", "hello from shard 1", "hi bot"]);

    // Permissions are checked per guild channel; CHANNEL_UPDATE reaches the client through shard 1.
    const deny = String(PermissionFlagsBits.SendMessages);
    f.setChannelOverwrites(channel.id, [{ id: f.botUserId, type: 1, allow: "0", deny }]);
    await f.waitFor(() => !text.permissionsFor(bot.client.user!)?.has(PermissionFlagsBits.SendMessages));
    expect(bot.raw.find((p) => p.t === "CHANNEL_UPDATE")?.shardId).toBe(1);
    await expect(text.send("denied")).rejects.toMatchObject({ code: 50013 });
    const h3 = await f.slashCommand("where", [], { channelId: channel.id });
    expect(new PermissionsBitField(BigInt(h3.payload.app_permissions)).has(PermissionFlagsBits.SendMessages)).toBe(false);
    await h3.callback();

    // Only shard 1's socket drops: shard 0 stays up, shard 1 resumes and gets what it missed.
    const channelJson = (await rest.get(Routes.channel(f.guilds[3]!.channels[0]!.id))) as object;
    const sessions = f.sessionsByShard();
    f.disconnectGateway(4000, 1);
    expect(f.sessionsByShard().map((s) => s.connected)).toEqual([true, false]);
    f.dispatch("CHANNEL_UPDATE", { ...channelJson, topic: "missed while down" });
    await f.waitFor(() => f.resumeCount === 1, 10_000);
    await f.waitForShards(2);
    expect(f.sessionsByShard()).toEqual(sessions.map((s) => ({ ...s, connected: true })));
    await f.waitFor(() => (bot.client.channels.cache.get(f.guilds[3]!.channels[0]!.id) as TextChannel).topic === "missed while down");
    expect((await (await f.slashCommand("where", [], { guildId: f.guilds[3]!.id })).finalMessage()).content).toBe("bot shard 1");

    // GUILD_DELETE goes to the guild's shard (by its `id`).
    f.dispatch("GUILD_DELETE", { id: f.guilds[3]!.id });
    await f.waitFor(() => !bot.client.guilds.cache.has(f.guilds[3]!.id));
    expect(bot.raw.find((p) => p.t === "GUILD_DELETE")?.shardId).toBe(1);
    expect(bot.errors).toEqual([]);
  });

  it("two clients with one shard each see only their guilds and get only their guilds' events; a newer session takes over a shard", async () => {
    const f = await start({ shards: 2, extraGuilds: 3 });
    const a = await startBot(f, [0], 2, "A");
    const b = await startBot(f, [1], 2, "B");
    await f.waitForShards(2);
    const [own0, own1] = [guildsOn(f, 0, 2), guildsOn(f, 1, 2)];
    expect(own0).toHaveLength(2);
    expect(own1).toHaveLength(2);
    expect([...a.client.guilds.cache.keys()].sort()).toEqual([...own0].sort());
    expect([...b.client.guilds.cache.keys()].sort()).toEqual([...own1].sort());
    expect(a.raw.find((p) => p.t === "READY")?.d.shard).toEqual([0, 2]);
    expect(b.raw.find((p) => p.t === "READY")?.d.shard).toEqual([1, 2]);

    // A DM goes to shard 0.
    const dm = f.userMessage({ content: "hello in private", dm: true });
    await f.waitFor(() => a.raw.some((p) => p.t === "MESSAGE_CREATE" && p.d.id === dm.id));

    // One interaction per guild, then one more per client: each client processes its socket in order, so once
    // both late ones are answered, anything misrouted earlier would have shown up.
    const handles = [];
    for (const g of [...f.guilds, f.guilds[0]!, f.guilds[1]!]) handles.push(await f.slashCommand("where", [], { guildId: g.id }));
    const answers = await Promise.all(handles.map(async (h) => (await h.finalMessage()).content));
    expect(answers).toEqual(["A shard 0", "B shard 1", "A shard 0", "B shard 1", "A shard 0", "B shard 1"]);
    expect(a.interactions.map((i) => i.guildId)).toEqual([own0[0], own0[1], own0[0]]);
    expect(b.interactions.map((i) => i.guildId)).toEqual([own1[0], own1[1], own1[0]]);
    expect(a.interactions.every((i) => i.shardId === 0) && b.interactions.every((i) => i.shardId === 1)).toBe(true);
    expect(b.raw.some((p) => p.d?.id === dm.id)).toBe(false);

    // Rolling restart: a newer session for shard 1 gets shard 1's events; when it ends, the older one gets them again.
    const c = await startBot(f, [1], 2, "C");
    await f.waitFor(() => f.identifyCount === 3);
    const cSession = c.raw.find((p) => p.t === "READY")?.d.session_id;
    expect(f.sessionsByShard()).toEqual([
      { shard: [0, 2], sessionId: expect.any(String), connected: true },
      { shard: [1, 2], sessionId: cSession, connected: true },
    ]);
    expect((await (await f.slashCommand("where", [], { guildId: own1[1] })).finalMessage()).content).toBe("C shard 1");
    await c.client.destroy();
    await f.waitFor(() => f.sessionsByShard()[1]?.sessionId !== cSession);
    expect((await (await f.slashCommand("where", [], { guildId: own1[1] })).finalMessage()).content).toBe("B shard 1");
    expect(b.interactions).toHaveLength(4);
    expect(c.interactions).toHaveLength(1);
    expect(a.interactions).toHaveLength(3);
    expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
  });

  it("without a shard in IDENTIFY everything goes to the one session; bad shards are refused", async () => {
    const f = await start({ extraGuilds: 1 });
    const bot = await startBot(f, [0], 1, "solo");
    expect(f.requests.find((r) => r.path === "/gateway/bot")?.response).toMatchObject({ shards: 1, session_start_limit: { max_concurrency: 1 } });
    expect(f.sessionsByShard()).toEqual([{ shard: [0, 1], sessionId: expect.any(String), connected: true }]);
    expect(bot.client.guilds.cache.size).toBe(2);
    expect((await (await f.slashCommand("where", [], { guildId: f.guilds[1]!.id })).finalMessage()).content).toBe("solo shard 0");

    const ws = new WebSocket(`${f.gatewayUrl}?v=10&encoding=json`);
    await once(ws, "open", { signal: AbortSignal.timeout(5000) });
    const closed = once(ws, "close", { signal: AbortSignal.timeout(5000) });
    ws.send(JSON.stringify({ op: 2, d: { token: f.token, intents: 1, properties: {}, shard: [2, 2] } }));
    expect((await closed)[0]).toBe(4010);
  });
});
