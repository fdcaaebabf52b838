// Fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests with a real discord.js Client.
//
//   const fake = await startFakeDiscord();
//   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
//   await client.login(fake.token);           // REST GET /gateway/bot -> ws://127.0.0.1:PORT/gateway
//   await fake.waitForReady();                 // or await the client's ClientReady event
//   const h = await fake.slashCommand("search", [{ name: "query", type: 3, value: "transformers" }]);
//   expect(await h.callback()).toMatchObject({ type: 4 });
//   expect(h.files().map((f) => f.filename)).toEqual(["chart.png"]);   // uploads of callback, edits, follow-ups
//
//   const reader = fake.addUser({ username: "reader" });        // a user the bot has not cached
//   await (await client.users.fetch(reader.id)).send("hi");     // POST /users/@me/channels, then the DM
//   expect(fake.directMessages(reader.id).map((m) => m.content)).toEqual(["hi"]);
//   fake.refuseDirectMessages(reader.id);                       // sends now fail: 403 code 50007
//   ...
//   await client.destroy(); await fake.close();
//
// discord.js needs only `rest.api = fake.apiUrl` (it appends /v10). No compression option is
// needed: without the optional `zlib-sync` package discord.js uses plain JSON text frames; if
// zlib-sync is installed it asks for `compress=zlib-stream`, which the fake also speaks.
//
// The world: one application whose bot user id == application id, one guild (owned by a third user,
// so the default user `tester` only has role permissions) with text channels, an @everyone role and
// the bot's managed role; DM channels (one per user, the same whether the user or the bot opened it);
// plus every registered command and every message sent. `extraGuilds: n` adds n more guilds built the
// same way (fake.guilds; guild i is on shard i % count for shard counts up to 16).
//
// Sharding: `shards` / `maxConcurrency` are what GET /gateway/bot reports. An IDENTIFY with
// `shard: [id, count]` gets READY + GUILD_CREATE for that shard's guilds only, and guild events go to the
// session of the guild's shard, DM events to shard 0's (see gateway.ts). Two shards in one discord.js
// Client identify 5 s apart unless maxConcurrency >= 2.
//
//   const fake = await startFakeDiscord({ shards: 2, maxConcurrency: 2, extraGuilds: 1 });
//   const client = new Client({ intents, rest: { api: fake.apiUrl }, shards: [0, 1], shardCount: 2 });
//   await client.login(fake.token); await fake.waitForShards(2);
//   await fake.slashCommand("ping", [], { guildId: fake.guilds[1]!.id });   // goes to shard 1's session
// Requests are checked against Discord's well-known limits (2000-char content, embed sizes, 25
// choices, command names, callback type per interaction type...) and fail with Discord-shaped errors
// (validate.ts). Interaction helpers wait (bounded) until a bot session is ready, then dispatch.
//
// Files: multipart uploads are kept on every route that takes them (interaction callback, follow-up,
// @original edit, channel and DM messages): as `files` (bytes) on the recorded request, as `attachments`
// on the stored message. As on Discord, an embed image/thumbnail/icon set to `attachment://name.png`
// becomes that attachment's URL and the file then no longer appears in `attachments`; an edit with an
// `attachments` list keeps only the listed files (discord.js sends one whenever the edit has files).
//
// Timing facts worth knowing: discord.js reconnects 500 ms after a drop, and spaces IDENTIFYs at
// least 5 s apart (its SimpleIdentifyThrottler), so a re-identify soon after login takes ~5-6 s;
// a RESUME does not wait. Events dispatched while the bot is disconnected are replayed on RESUME.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIApplicationCommand, APIInteraction, APIMessage, APIOverwrite, APIUser } from "discord.js";
import { Gateway } from "./gateway.ts";
import type { CommandOptionInput, ComponentContext, InteractionContext } from "./interaction-payloads.ts";
import {
  autocompletePayload,
  buttonPayload,
  modalSubmitPayload,
  slashCommandPayload,
  stringSelectPayload,
} from "./interaction-payloads.ts";
import type { InteractionHandle } from "./interactions.ts";
import { createHandle, DEFAULT_TIMEOUT_MS, InteractionRegistry } from "./interactions.ts";
import { channelPayload, memberPayload } from "./payloads.ts";
import type { RecordedRequest, RestRequest, RouteOverride, RouteResponse } from "./rest.ts";
import { RestApi } from "./rest.ts";
import { Notifier } from "./wait.ts";
import type { WorldOptions } from "./world.ts";
import { channelById, createWorld, dmChannelOf, guildOf, makeUser, openDmChannel, shardOf, userById } from "./world.ts";
import { snowflake } from "./ids.ts";

export type { CommandOptionInput, ComponentContext, InteractionContext } from "./interaction-payloads.ts";
export type { InteractionCallbackBody, InteractionFile, InteractionHandle } from "./interactions.ts";
export type { UploadedFile } from "./payloads.ts";
export type { RecordedRequest, RestRequest, RouteOverride, RouteResponse } from "./rest.ts";
export type { ShardSession } from "./gateway.ts";

export interface FakeDiscordOptions extends WorldOptions {
  /** Port on 127.0.0.1 (default 0 = any free port). */
  port?: number;
  /** HELLO heartbeat_interval in ms (default 41250, Discord's usual value). */
  heartbeatIntervalMs?: number;
  /** Reject REST calls and IDENTIFY whose token is not `fake.token` (401 / close 4004). Default false. */
  strictToken?: boolean;
  /** Answer interaction callbacks later than this with 404 10062 "Unknown interaction" (Discord: 3000). Default: off. */
  interactionDeadlineMs?: number;
  /** How long an `enforce_nonce` nonce is remembered (default 5 minutes). */
  nonceWindowMs?: number;
  /** GET /gateway/bot `shards`, the recommended shard count (default 1). Sessions may still IDENTIFY with any count. */
  shards?: number;
  /** GET /gateway/bot `session_start_limit.max_concurrency` (default 1: discord.js then IDENTIFYs its shards 5 s apart). */
  maxConcurrency?: number;
}

export interface FakeGuildInfo {
  id: string;
  name: string;
  channels: { id: string; name: string }[];
}

export interface NewUser {
  /** Default: a fresh snowflake. */
  id?: string;
  /** Default: "user-" + the id's last 4 digits. */
  username?: string;
  bot?: boolean;
  /** Also a member of the (first) guild (sent as GUILD_MEMBER_ADD, which needs the GuildMembers intent). Default true. */
  member?: boolean;
}

export interface SlashCommandContext extends InteractionContext {
  subcommand?: string;
  subcommandGroup?: string;
}

export interface FakeDiscord {
  /** "http://127.0.0.1:PORT/api": pass as discord.js `rest.api` (it appends /v10). */
  apiUrl: string;
  /** "ws://127.0.0.1:PORT/gateway": what GET /gateway/bot returns. */
  gatewayUrl: string;
  /** The bot token to log in with (any token works unless strictToken). */
  token: string;
  applicationId: string;
  botUserId: string;
  /** The default user who triggers interactions. */
  userId: string;
  /** The first guild. */
  guildId: string;
  /** The bot's role in the first guild. */
  botRoleId: string;
  /** The first guild's text channels. */
  channels: { id: string; name: string }[];
  /** Every guild, the first (guildId, channels) first, then the `extraGuilds`. */
  guilds: FakeGuildInfo[];
  /** Every REST request (path relative to /api/v10), in arrival order, with the fake's status/response. */
  requests: RecordedRequest[];
  /** Every IDENTIFY payload `d` received. */
  identifies: any[];
  readonly identifyCount: number;
  readonly resumeCount: number;
  readonly heartbeatCount: number;

  /** First request (already recorded or future) matching pred; rejects after timeoutMs (default 5000). */
  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Polls cond (and re-checks on every fake event) until true; rejects after timeoutMs (default 5000). */
  waitFor(cond: () => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves once a bot session is identified/resumed and was sent READY + GUILD_CREATE (or RESUMED). */
  waitForReady(timeoutMs?: number): Promise<void>;
  /**
   * Resolves once sessions for all shards [0, count] ... [count - 1, count] are identified (or resumed) and were
   * sent READY + their GUILD_CREATEs. Default timeout: 5000 ms plus 6000 ms per shard after the first (discord.js
   * spaces IDENTIFYs 5 s apart when max_concurrency is 1).
   */
  waitForShards(count: number, timeoutMs?: number): Promise<void>;
  /** The session of each shard [id, count] (the newest if several claimed it; `connected: false` while it awaits RESUME), ordered by shard id. */
  sessionsByShard(): Array<{ shard: [number, number]; sessionId: string; connected: boolean }>;
  /** Discord's formula: the shard (of `count`) that receives the guild's events, `(guildId >> 22) % count`. */
  shardOf(guildId: string, count: number): number;

  slashCommand(name: string, options?: CommandOptionInput[], ctx?: SlashCommandContext): Promise<InteractionHandle>;
  /** Mark the option being typed with `focused: true`. */
  autocomplete(name: string, options: CommandOptionInput[], ctx?: SlashCommandContext): Promise<InteractionHandle>;
  button(customId: string, ctx?: ComponentContext): Promise<InteractionHandle>;
  selectMenu(customId: string, values: string[], ctx?: ComponentContext): Promise<InteractionHandle>;
  modalSubmit(customId: string, fields: Record<string, string>, ctx?: InteractionContext): Promise<InteractionHandle>;

  /**
   * A user posts a message: in a server channel (`channelId`, of any guild; default the first guild's first
   * channel), mentioning the bot when `mentionBot` (as "<@bot> …" in the content), or in their DM with the bot
   * (`dm`). Dispatched as MESSAGE_CREATE, subject to intents, to the guild's shard (DMs: shard 0).
   */
  userMessage(message: { content: string; userId?: string; channelId?: string; dm?: boolean; mentionBot?: boolean; bot?: boolean }): APIMessage;
  /**
   * Adds a user to the world; added after login, the bot has not cached it (GUILD_CREATE is past), but
   * GET /users/{id} finds it, member or not. Ids a test simply makes up are also invented on first use, as members.
   */
  addUser(user?: NewUser): APIUser;
  /**
   * Makes a user refuse (or, with false, accept again) DMs from the bot, like the "Direct Messages" privacy
   * setting or a block: opening the DM channel still works, sending there answers 403
   * `{ message: "Cannot send messages to this user", code: 50007 }`. Bots never accept DMs from bots.
   */
  refuseDirectMessages(userId: string, refuse?: boolean): void;
  /** The bot's messages in its DM with the user, oldest first, in their current state ([] if no DM was opened). */
  directMessages(userId: string): APIMessage[];
  /**
   * Sends any gateway dispatch (e.g. "GUILD_DELETE") to the bot: to the session of the shard of its `guild_id`
   * (GUILD_CREATE/UPDATE/DELETE: its `id`), else to shard 0's; dropped if that session's intents exclude it.
   */
  dispatch(t: string, d: unknown): void;
  /**
   * Sends a raw opcode, e.g. 7 (RECONNECT) or 9 (INVALID_SESSION, d=false), to the newest session, or to the
   * session of shard id `shard`.
   */
  sendGatewayOp(op: number, d?: unknown, shard?: number): void;
  /**
   * Closes the bot's socket (the newest session's, or shard id `shard`'s): no code = abrupt drop (client
   * resumes); 4000 = resume; 1000 = re-identify.
   */
  disconnectGateway(code?: number, shard?: number): void;
  /** Replaces a channel's permission overwrites and sends CHANNEL_UPDATE (e.g. deny the bot SendMessages). */
  setChannelOverwrites(channelId: string, overwrites: APIOverwrite[]): void;
  /** Intercepts matching requests (path after /api/v10); return undefined to fall through. Returns a remover. */
  setRouteOverride(method: string, pathRegex: RegExp, handler: RouteOverride): () => void;
  clearRouteOverrides(): void;
  /** Commands registered for "global" or a guild id. */
  registeredCommands(scope?: string): APIApplicationCommand[];
  /** Messages the bot created, and users' messages sent with userMessage (optionally in one channel), oldest first, in their current state. */
  messages(channelId?: string): APIMessage[];
  close(): Promise<void>;
}

export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const world = createWorld(opts);
  const notifier = new Notifier();
  const interactions = new InteractionRegistry();
  let port = 0;
  const gatewayUrl = () => `ws://127.0.0.1:${port}/gateway`;
  const gateway = new Gateway(
    world,
    { heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41250, strictToken: opts.strictToken ?? false },
    notifier,
    gatewayUrl,
  );
  const rest = new RestApi({
    world,
    interactions,
    notifier,
    gatewayUrl,
    emit: (t, d) => gateway.dispatch(t, d),
    opts: {
      strictToken: opts.strictToken ?? false,
      interactionDeadlineMs: opts.interactionDeadlineMs,
      nonceWindowMs: opts.nonceWindowMs ?? 5 * 60_000,
      shards: opts.shards ?? 1,
      maxConcurrency: opts.maxConcurrency ?? 1,
    },
  });

  const server = createServer((req, res) => {
    rest.handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end(); // never leave discord.js hanging
    });
  });
  server.on("upgrade", (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  const waitForReady = (timeoutMs = DEFAULT_TIMEOUT_MS) =>
    notifier.until(() => (gateway.isReady() ? true : undefined), timeoutMs, () => "a bot session to IDENTIFY or RESUME").then(
      () => undefined,
    );

  const waitForShards = (count: number, timeoutMs = DEFAULT_TIMEOUT_MS + 6000 * Math.max(0, count - 1)) =>
    notifier
      .until(
        () => (gateway.shardsReady(count) ? true : undefined),
        timeoutMs,
        () =>
          `sessions for shards 0..${count - 1} of ${count}; have: ${
            gateway
              .shardSessions()
              .map((s) => `[${s.shard.join(",")}]${s.connected ? "" : " (disconnected)"}`)
              .join(" ") || "none"
          }`,
      )
      .then(() => undefined);

  async function dispatchInteraction(payload: APIInteraction, componentMessage?: APIMessage): Promise<InteractionHandle> {
    // Wait for the session that gets this interaction: the one of its guild's shard (shard 0 without a guild).
    await notifier.until(
      () => (gateway.readyFor("INTERACTION_CREATE", payload) ? true : undefined),
      DEFAULT_TIMEOUT_MS,
      () => `a bot session to IDENTIFY or RESUME${payload.guild_id ? ` for the shard of guild ${payload.guild_id}` : ""}`,
    );
    const userId = payload.member?.user.id ?? payload.user?.id ?? world.defaultUser.id;
    const record = {
      id: payload.id,
      token: payload.token,
      type: payload.type,
      channelId: payload.channel_id ?? world.channels[0]?.id ?? "",
      userId,
      createdAt: Date.now(),
      ...(componentMessage ? { componentMessage } : {}),
      edits: [],
      followUps: [],
      files: [],
    };
    interactions.add(record);
    gateway.dispatch("INTERACTION_CREATE", payload);
    return createHandle(record, payload, world, notifier);
  }

  /** Wraps options into subcommand (group) options, the way Discord nests them. */
  const nest = (options: CommandOptionInput[], ctx: SlashCommandContext): CommandOptionInput[] => {
    let nested = options;
    if (ctx.subcommand) nested = [{ name: ctx.subcommand, type: 1, options: nested }];
    if (ctx.subcommandGroup) nested = [{ name: ctx.subcommandGroup, type: 2, options: nested }];
    return nested;
  };

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    token: world.token,
    applicationId: world.applicationId,
    botUserId: world.botUser.id,
    userId: world.defaultUser.id,
    guildId: world.guildId,
    botRoleId: world.botRoleId,
    channels: world.channels.map((c) => ({ id: c.id, name: c.name })),
    guilds: world.guilds.map((g) => ({ id: g.id, name: g.name, channels: g.channels.map((c) => ({ id: c.id, name: c.name })) })),
    requests: rest.requests,
    identifies: gateway.identifies,
    get identifyCount() {
      return gateway.identifyCount;
    },
    get resumeCount() {
      return gateway.resumeCount;
    },
    get heartbeatCount() {
      return gateway.heartbeatCount;
    },

    waitForRequest(pred, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return notifier.until(
        () => rest.requests.find(pred),
        timeoutMs,
        () => `a matching REST request; last seen: ${rest.requests.slice(-5).map((r) => `${r.method} ${r.path} -> ${r.status}`).join(", ") || "none"}`,
      );
    },
    waitFor(cond, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return notifier.until(() => (cond() ? true : undefined), timeoutMs, () => `condition ${cond.toString().slice(0, 120)}`).then(
        () => undefined,
      );
    },
    waitForReady,
    waitForShards,
    sessionsByShard: () => gateway.shardSessions(),
    shardOf: (guildId, count) => shardOf(guildId, count),

    // async: a bad context (unknown guild, a channel of another guild) rejects instead of throwing.
    slashCommand: async (name, options = [], ctx = {}) => dispatchInteraction(slashCommandPayload(world, name, nest(options, ctx), ctx)),
    autocomplete: async (name, options, ctx = {}) => dispatchInteraction(autocompletePayload(world, name, nest(options, ctx), ctx)),
    button: async (customId, ctx = {}) => {
      const payload = buttonPayload(world, customId, ctx);
      return dispatchInteraction(payload, payload.message);
    },
    selectMenu: async (customId, values, ctx = {}) => {
      const payload = stringSelectPayload(world, customId, values, ctx);
      return dispatchInteraction(payload, payload.message);
    },
    modalSubmit: async (customId, fields, ctx = {}) => dispatchInteraction(modalSubmitPayload(world, customId, fields, ctx)),

    dispatch: (t, d) => gateway.dispatch(t, d),
    userMessage({ content, userId = world.defaultUser.id, channelId, dm = false, mentionBot = false, bot = false }) {
      const author = { ...userById(world, userId), bot };
      const channel = dm ? openDmChannel(world, userId) : (channelId ?? world.channels[0]!.id);
      const message: APIMessage = {
        id: snowflake(),
        channel_id: channel,
        author,
        content: mentionBot ? `<@${world.botUser.id}> ${content}` : content,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: false,
        mentions: mentionBot ? [world.botUser] : [],
        mention_roles: [],
        attachments: [],
        embeds: [],
        components: [],
        pinned: false,
        type: 0,
      };
      world.messages.set(message.id, message);
      const guild = guildOf(world, { channelId: channel });
      const { user: _user, ...member } = memberPayload(world, userId, guild);
      // Discord says which kind of channel a message is in (discord.js needs it to place a DM's message).
      gateway.dispatch("MESSAGE_CREATE", dm ? { ...message, channel_type: 1 } : { ...message, channel_type: 0, guild_id: guild.id, member });
      return message;
    },
    addUser({ id = snowflake(), username, bot = false, member = true } = {}) {
      if (world.users.has(id)) throw new Error(`fake-discord: user ${id} already exists`);
      const user = makeUser(id, username ?? `user-${id.slice(-4)}`, bot);
      world.users.set(id, user);
      if (member) {
        world.memberRoles.set(id, []);
        gateway.dispatch("GUILD_MEMBER_ADD", { ...memberPayload(world, id), guild_id: world.guildId });
      }
      return user;
    },
    refuseDirectMessages(userId, refuse = true) {
      if (refuse) world.refusingDirectMessages.add(userId);
      else world.refusingDirectMessages.delete(userId);
    },
    directMessages(userId) {
      const channel = dmChannelOf(world, userId);
      return [...world.messages.values()].filter((m) => m.channel_id === channel && m.author.id === world.botUser.id);
    },
    sendGatewayOp: (op, d, shard) => gateway.sendOp(op, d, shard),
    disconnectGateway: (code, shard) => gateway.disconnect(code, shard),
    setChannelOverwrites(channelId, overwrites) {
      const channel = channelById(world, channelId);
      if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
      channel.permission_overwrites = overwrites;
      gateway.dispatch("CHANNEL_UPDATE", channelPayload(world, channel));
    },
    setRouteOverride: (method, pathRegex, handler) => rest.addOverride(method, pathRegex, handler),
    clearRouteOverrides: () => rest.clearOverrides(),
    registeredCommands: (scope = "global") => [...(world.commands.get(scope) ?? [])],
    messages: (channelId) => [...world.messages.values()].filter((m) => channelId === undefined || m.channel_id === channelId),

    async close() {
      notifier.close(new Error("fake-discord: server closed"));
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
