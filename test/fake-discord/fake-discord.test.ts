// Proves the fake Discord works with the real discord.js Client: login over REST + gateway,
// guild cache, command registration, every interaction response style, files, DMs the bot opens
// (and users who refuse them), resume/re-identify, Discord-shaped errors, and the zlib-stream
// transport a zlib-sync-equipped client would use.
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
  Routes,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
  type TextChannel,
} from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
