// Fake REST API under /api/v10: records every request, lets tests override any route, and
// implements the endpoints the bot uses (gateway info, commands, interaction responses, channel
// and DM messages with files, guild/channel reads). Unknown routes get Discord's 404 shape; nothing throws.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { APIMessage } from "discord.js";
import { MessageFlags, PermissionFlagsBits } from "discord.js";
import type { DecodedBody } from "./body.ts";
import { decodeBody, readRaw } from "./body.ts";
import type { InteractionFile, InteractionRecord, InteractionRegistry } from "./interactions.ts";
import type { MessageBody, UploadedFile } from "./payloads.ts";
import {
  applicationPayload,
  applyMessageEdit,
  channelPayload,
  commandPayload,
  dmChannelPayload,
  guildPayload,
  memberPayload,
  messagePayload,
} from "./payloads.ts";
import { computePermissions } from "./permissions.ts";
import type { ApiErrorResponse } from "./validate.ts";
import { apiError, validateCallback, validateCommands, validateCreateDm, validateMessage } from "./validate.ts";
import type { Notifier } from "./wait.ts";
import type { FakeGuild, World } from "./world.ts";
import { channelById, guildById, guildOf, openDmChannel } from "./world.ts";

export interface RestRequest {
  method: string;
  /** Path after /api/v10, without the query string, e.g. "/channels/123/messages". */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (or payload_json of a multipart body); undefined when empty. */
  body: any;
  files: UploadedFile[];
  headers: IncomingHttpHeaders;
  at: number;
}

export interface RecordedRequest extends RestRequest {
  status: number;
  response: unknown;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteOverride = (req: RestRequest, match: RegExpExecArray) => RouteResponse | undefined;

export interface RestOptions {
  strictToken: boolean;
  /** If set, interaction callbacks later than this get 404 "Unknown interaction" (Discord: 3000 ms). */
  interactionDeadlineMs: number | undefined;
  /** How long `enforce_nonce` de-duplicates (Discord: "a few minutes"). */
  nonceWindowMs: number;
  /** GET /gateway/bot `shards` (recommended shard count). */
  shards: number;
  /** GET /gateway/bot `session_start_limit.max_concurrency`. */
  maxConcurrency: number;
}

export interface RestDeps {
  world: World;
  interactions: InteractionRegistry;
  notifier: Notifier;
  opts: RestOptions;
  gatewayUrl: () => string;
  /** Emits a gateway dispatch (the gateway drops it if the session lacks the intent). */
  emit: (t: string, d: unknown) => void;
}

type Params = Record<string, string>;
type Handler = (req: RestRequest, p: Params) => RouteResponse;

const API_PREFIX = "/api/v10";
const EPHEMERAL = MessageFlags.Ephemeral as number;
const LOADING = MessageFlags.Loading as number;
/** Discord's default per-file upload limit (what interactions report as `attachment_size_limit`). */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

const json = (status: number, body?: unknown): RouteResponse => ({ status, body });
const fromError = (e: ApiErrorResponse): RouteResponse => ({ status: e.status, body: e.body });
const notFound = (code: number, message: string) => fromError(apiError(404, code, message));

export class RestApi {
  readonly requests: RecordedRequest[] = [];
  private readonly overrides: Array<{ method: string; pattern: RegExp; handler: RouteOverride }> = [];
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly routes: Array<[string, RegExp, Handler, { auth: boolean }]>;

  constructor(private readonly deps: RestDeps) {
    const AUTH = { auth: true };
    const NO_AUTH = { auth: false }; // interaction/webhook routes are authenticated by their token
    const S = "([^/]+)"; // path segment
    this.routes = [
      ["GET", /^\/gateway\/bot$/, () => this.gatewayBot(), AUTH],
      ["GET", /^\/gateway$/, () => json(200, { url: deps.gatewayUrl() }), NO_AUTH],
      ["GET", /^\/users\/@me$/, () => json(200, deps.world.botUser), AUTH],
      ["GET", /^\/users\/(?<userId>\d+)$/, (_r, p) => this.getUser(p), AUTH],
      ["POST", /^\/users\/@me\/channels$/, (r) => this.createDm(r), AUTH],
      ["GET", /^\/applications\/@me$/, () => json(200, applicationPayload(deps.world)), AUTH],
      ["GET", re(`/applications/(?<appId>${S})(?:/guilds/(?<guildId>${S}))?/commands`), (r, p) => this.commands(r, p), AUTH],
      ["PUT", re(`/applications/(?<appId>${S})(?:/guilds/(?<guildId>${S}))?/commands`), (r, p) => this.commands(r, p), AUTH],
      ["POST", re(`/applications/(?<appId>${S})(?:/guilds/(?<guildId>${S}))?/commands`), (r, p) => this.commands(r, p), AUTH],
      ["GET", re(`/applications/(?<appId>${S})(?:/guilds/(?<guildId>${S}))?/commands/(?<commandId>${S})`), (r, p) => this.command(r, p), AUTH],
      ["PATCH", re(`/applications/(?<appId>${S})(?:/guilds/(?<guildId>${S}))?/commands/(?<commandId>${S})`), (r, p) => this.command(r, p), AUTH],
      ["DELETE", re(`/applications/(?<appId>${S})(?:/guilds/(?<guildId>${S}))?/commands/(?<commandId>${S})`), (r, p) => this.command(r, p), AUTH],
      ["POST", re(`/interactions/(?<id>${S})/(?<token>${S})/callback`), (r, p) => this.interactionCallback(r, p), NO_AUTH],
      ["POST", re(`/webhooks/(?<appId>${S})/(?<token>${S})`), (r, p) => this.followUp(r, p), NO_AUTH],
      ["GET", re(`/webhooks/(?<appId>${S})/(?<token>${S})/messages/(?<messageId>${S})`), (r, p) => this.webhookMessage(r, p), NO_AUTH],
      ["PATCH", re(`/webhooks/(?<appId>${S})/(?<token>${S})/messages/(?<messageId>${S})`), (r, p) => this.webhookMessage(r, p), NO_AUTH],
      ["DELETE", re(`/webhooks/(?<appId>${S})/(?<token>${S})/messages/(?<messageId>${S})`), (r, p) => this.webhookMessage(r, p), NO_AUTH],
      ["GET", re(`/channels/(?<channelId>${S})`), (_r, p) => this.getChannel(p), AUTH],
      ["GET", re(`/channels/(?<channelId>${S})/messages`), (r, p) => this.listMessages(r, p), AUTH],
      ["POST", re(`/channels/(?<channelId>${S})/messages`), (r, p) => this.createMessage(r, p), AUTH],
      ["GET", re(`/channels/(?<channelId>${S})/messages/(?<messageId>${S})`), (r, p) => this.channelMessage(r, p), AUTH],
      ["PATCH", re(`/channels/(?<channelId>${S})/messages/(?<messageId>${S})`), (r, p) => this.channelMessage(r, p), AUTH],
      ["DELETE", re(`/channels/(?<channelId>${S})/messages/(?<messageId>${S})`), (r, p) => this.channelMessage(r, p), AUTH],
      ["POST", re(`/channels/(?<channelId>${S})/typing`), (_r, p) => this.withChannel(p, () => json(204)), AUTH],
      ["PUT", re(`/channels/(?<channelId>${S})/messages/(?<messageId>${S})/reactions/${S}/@me`), () => json(204), AUTH],
      ["DELETE", re(`/channels/(?<channelId>${S})/messages/(?<messageId>${S})/reactions/${S}/@me`), () => json(204), AUTH],
      ["GET", re(`/guilds/(?<guildId>${S})`), (_r, p) => this.withGuild(p, (g) => json(200, guildPayload(deps.world, g))), AUTH],
      ["GET", re(`/guilds/(?<guildId>${S})/channels`), (_r, p) => this.withGuild(p, (g) => json(200, g.channels.map((c) => channelPayload(deps.world, c)))), AUTH],
      ["GET", re(`/guilds/(?<guildId>${S})/roles`), (_r, p) => this.withGuild(p, (g) => json(200, g.roles)), AUTH],
      ["GET", re(`/guilds/(?<guildId>${S})/members/(?<userId>${S})`), (_r, p) => this.getMember(p), AUTH],
    ];
  }

  /** Later overrides win; return undefined from the handler to fall through to the normal route. */
  addOverride(method: string, pattern: RegExp, handler: RouteOverride): () => void {
    const entry = { method: method.toUpperCase(), pattern, handler };
    this.overrides.unshift(entry);
    return () => {
      const i = this.overrides.indexOf(entry);
      if (i !== -1) this.overrides.splice(i, 1);
    };
  }

  clearOverrides(): void {
    this.overrides.length = 0;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let decoded: DecodedBody = { body: undefined, files: [] };
    try {
      decoded = decodeBody(await readRaw(req), req.headers["content-type"]);
    } catch {
      // A broken body still gets recorded and answered below.
    }
    const rawPath = safeDecode(url.pathname);
    const request: RestRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: rawPath.startsWith(API_PREFIX) ? rawPath.slice(API_PREFIX.length) || "/" : rawPath,
      query: Object.fromEntries(url.searchParams),
      body: decoded.body,
      files: decoded.files,
      headers: req.headers,
      at: Date.now(),
    };
    let response: RouteResponse;
    try {
      response = rawPath.startsWith(`${API_PREFIX}/`) ? this.route(request) : notFound(0, "404: Not Found");
    } catch (error) {
      response = json(500, { message: `fake-discord internal error: ${String(error)}`, code: 0 });
    }
    this.requests.push({ ...request, status: response.status, response: response.body });
    this.deps.notifier.notify();
    const headers: Record<string, string> = { ...response.headers };
    if (response.status === 204 || response.body === undefined) {
      res.writeHead(response.status, headers).end();
    } else {
      headers["content-type"] = "application/json";
      res.writeHead(response.status, headers).end(JSON.stringify(response.body));
    }
  }

  private route(req: RestRequest): RouteResponse {
    for (const o of this.overrides) {
      if (o.method !== "*" && o.method !== req.method) continue;
      const match = o.pattern.exec(req.path);
      if (!match) continue;
      const result = o.handler(req, match);
      if (result) return result;
    }
    // Discord refuses oversized uploads before looking at the route.
    if (req.files.some((f) => f.data.length > MAX_FILE_BYTES)) return fromError(apiError(413, 40005, "Request entity too large"));
    for (const [method, pattern, handler, { auth }] of this.routes) {
      if (method !== req.method) continue;
      const match = pattern.exec(req.path);
      if (!match) continue;
      if (auth) {
        const authError = this.checkAuth(req);
        if (authError) return authError;
      }
      return handler(req, { ...match.groups });
    }
    return notFound(0, "404: Not Found");
  }

  private checkAuth(req: RestRequest): RouteResponse | undefined {
    const header = req.headers.authorization;
    if (typeof header !== "string" || !header.startsWith("Bot ")) return json(401, { message: "401: Unauthorized", code: 0 });
    if (this.deps.opts.strictToken && header.slice(4) !== this.deps.world.token) {
      return json(401, { message: "401: Unauthorized", code: 0 });
    }
    return undefined;
  }

  // --- gateway / users / guilds -------------------------------------------------------------

  private gatewayBot(): RouteResponse {
    return json(200, {
      url: this.deps.gatewayUrl(),
      shards: this.deps.opts.shards,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.deps.opts.maxConcurrency },
    });
  }

  private getUser(p: Params): RouteResponse {
    const user = this.deps.world.users.get(p.userId ?? "");
    return user ? json(200, user) : notFound(10013, "Unknown User");
  }

  /** POST /users/@me/channels: one DM channel per user, returned again if it exists (whoever opened it). */
  private createDm(req: RestRequest): RouteResponse {
    const { world } = this.deps;
    const invalid = validateCreateDm(req.body);
    if (invalid) return fromError(invalid);
    const recipientId = String(req.body.recipient_id);
    // Opening succeeds even for users who refuse DMs: only sending fails (50007), as on Discord.
    if (!world.users.has(recipientId)) return fromError(apiError(400, 50033, "Invalid Recipient(s)"));
    return json(200, dmChannelPayload(world, openDmChannel(world, recipientId)));
  }

  private withGuild(p: Params, fn: (guild: FakeGuild) => RouteResponse): RouteResponse {
    const guild = guildById(this.deps.world, p.guildId ?? "");
    return guild ? fn(guild) : notFound(10004, "Unknown Guild");
  }

  private getMember(p: Params): RouteResponse {
    return this.withGuild(p, (guild) =>
      guild.memberRoles.has(p.userId ?? "")
        ? json(200, memberPayload(this.deps.world, p.userId ?? "", guild))
        : notFound(10007, "Unknown Member"),
    );
  }

  // --- application commands -----------------------------------------------------------------

  private commandScope(p: Params): string | RouteResponse {
    if (p.appId !== this.deps.world.applicationId) return fromError(apiError(403, 50001, "Missing Access"));
    if (p.guildId === undefined) return "global";
    return guildById(this.deps.world, p.guildId) ? p.guildId : notFound(10004, "Unknown Guild");
  }

  private commands(req: RestRequest, p: Params): RouteResponse {
    const { world } = this.deps;
    const scope = this.commandScope(p);
    if (typeof scope !== "string") return scope;
    const existing = world.commands.get(scope) ?? [];
    if (req.method === "GET") return json(200, existing);
    const sameCommand = (c: { name: string; type?: number }, b: any) => c.name === b?.name && (c.type ?? 1) === (b?.type ?? 1);
    if (req.method === "PUT") {
      const list: any[] = Array.isArray(req.body) ? req.body : [];
      const invalid = validateCommands(list, true);
      if (invalid) return fromError(invalid);
      // Bulk overwrite keeps the id of commands whose name+type survive, like Discord.
      const stored = list.map((b) => commandPayload(world, b, scope, existing.find((c) => sameCommand(c, b))?.id));
      world.commands.set(scope, stored);
      return json(200, stored);
    }
    const invalid = validateCommands([req.body], false);
    if (invalid) return fromError(invalid);
    const prior = existing.find((c) => sameCommand(c, req.body));
    const created = commandPayload(world, req.body, scope, prior?.id);
    world.commands.set(scope, [...existing.filter((c) => c !== prior), created]);
    return json(prior ? 200 : 201, created);
  }

  private command(req: RestRequest, p: Params): RouteResponse {
    const { world } = this.deps;
    const scope = this.commandScope(p);
    if (typeof scope !== "string") return scope;
    const existing = world.commands.get(scope) ?? [];
    const found = existing.find((c) => c.id === p.commandId);
    if (!found) return notFound(10063, "Unknown application command");
    if (req.method === "GET") return json(200, found);
    if (req.method === "DELETE") {
      world.commands.set(scope, existing.filter((c) => c !== found));
      return json(204);
    }
    const merged = { ...found, ...req.body };
    const invalid = validateCommands([merged], false);
    if (invalid) return fromError(invalid);
    const updated = commandPayload(world, merged, scope, found.id);
    world.commands.set(scope, existing.map((c) => (c === found ? updated : c)));
    return json(200, updated);
  }

  // --- interactions -------------------------------------------------------------------------

  private interactionCallback(req: RestRequest, p: Params): RouteResponse {
    const { world, opts } = this.deps;
    const record = this.deps.interactions.get(p.token ?? "");
    if (!record || record.id !== p.id) return notFound(10062, "Unknown interaction");
    const deadline = opts.interactionDeadlineMs;
    if (deadline !== undefined && req.at - record.createdAt > deadline) return notFound(10062, "Unknown interaction");
    if (record.callback) return fromError(apiError(400, 40060, "Interaction has already been acknowledged."));
    const body = req.body ?? {};
    const invalid = validateCallback(body, req.files.length, record.type);
    if (invalid) return fromError(invalid);
    record.callback = { type: body.type, ...(body.data !== undefined ? { data: body.data } : {}) };

    let message: APIMessage | undefined;
    const flags = Number(body.data?.flags ?? 0);
    if (body.type === 4 || body.type === 5) {
      // 4 = reply, 5 = deferred reply: both create the @original message (5 as a "thinking" placeholder).
      const data: MessageBody = body.type === 4 ? body.data : { content: "", flags: flags | LOADING };
      message = this.storeInteractionMessage(record, data, req.files);
      record.originalMessageId = message.id;
    } else if ((body.type === 6 || body.type === 7) && record.componentMessage) {
      // 6 = deferred update, 7 = update: @original is the message the component is on.
      const target = world.messages.get(record.componentMessage.id) ?? record.componentMessage;
      message = body.type === 7 ? applyMessageEdit(world, target, body.data ?? {}, req.files) : target;
      world.messages.set(message.id, message);
      record.originalMessageId = message.id;
      if (body.type === 7) this.emitMessage("MESSAGE_UPDATE", message);
    }
    if (body.type === 4 || (body.type === 7 && message)) record.files.push(...tagFiles(req.files, "callback"));
    if (req.query.with_response !== "true") return json(204);
    return json(200, {
      interaction: {
        id: record.id,
        type: record.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: body.type === 5,
              response_message_ephemeral: ((message.flags ?? 0) & EPHEMERAL) !== 0,
            }
          : {}),
      },
      ...(message ? { resource: { type: body.type, message } } : {}),
    });
  }

  private storeInteractionMessage(record: InteractionRecord, body: MessageBody, files: UploadedFile[]): APIMessage {
    const { world } = this.deps;
    const message = messagePayload(world, record.channelId, body, {
      files,
      webhookId: world.applicationId,
      interactionId: record.id,
      interactionUserId: record.userId,
    });
    world.messages.set(message.id, message);
    if (((message.flags ?? 0) & EPHEMERAL) === 0) this.emitMessage("MESSAGE_CREATE", message);
    return message;
  }

  private webhookRecord(p: Params): InteractionRecord | RouteResponse {
    const record = this.deps.interactions.get(p.token ?? "");
    if (!record || p.appId !== this.deps.world.applicationId) return notFound(10015, "Unknown Webhook");
    return record;
  }

  private followUp(req: RestRequest, p: Params): RouteResponse {
    const { world } = this.deps;
    const record = this.webhookRecord(p);
    if (!("token" in record)) return record;
    if (!record.callback) return notFound(10015, "Unknown Webhook"); // follow-ups need an acknowledged interaction
    const invalid = validateMessage(req.body, req.files.length, true);
    if (invalid) return fromError(invalid);
    record.followUps.push(req.body);
    record.files.push(...tagFiles(req.files, "followUp"));
    const original = record.originalMessageId ? world.messages.get(record.originalMessageId) : undefined;
    let message: APIMessage;
    if (record.callback.type === 5 && original && ((original.flags ?? 0) & LOADING) !== 0) {
      // On Discord the first follow-up after a deferred reply replaces the "thinking" message.
      message = applyMessageEdit(world, original, { ...req.body, flags: (original.flags ?? 0) & EPHEMERAL }, req.files);
      world.messages.set(message.id, message);
    } else {
      message = this.storeInteractionMessage(record, req.body ?? {}, req.files);
    }
    return req.query.wait === "false" ? json(204) : json(200, message);
  }

  private webhookMessage(req: RestRequest, p: Params): RouteResponse {
    const { world } = this.deps;
    const record = this.webhookRecord(p);
    if (!("token" in record)) return record;
    const isOriginal = p.messageId === "@original" || p.messageId === record.originalMessageId;
    const id = p.messageId === "@original" ? record.originalMessageId : p.messageId;
    const message = id ? world.messages.get(id) : undefined;
    const belongs = message && (isOriginal || message.interaction_metadata?.id === record.id);
    if (!message || !belongs) return notFound(10008, "Unknown Message");
    if (req.method === "GET") return json(200, message);
    if (req.method === "DELETE") return this.deleteMessage(message);
    const invalid = validateMessage(req.body, req.files.length, false);
    if (invalid) return fromError(invalid);
    if (isOriginal) record.edits.push(req.body);
    record.files.push(...tagFiles(req.files, "edit"));
    const edited = applyMessageEdit(world, message, req.body ?? {}, req.files);
    edited.flags = (edited.flags ?? 0) & ~LOADING; // an edit ends the "thinking" state
    world.messages.set(edited.id, edited);
    this.emitMessage("MESSAGE_UPDATE", edited);
    return json(200, edited);
  }

  // --- channels -----------------------------------------------------------------------------

  private withChannel(p: Params, fn: () => RouteResponse): RouteResponse {
    const id = p.channelId ?? "";
    return channelById(this.deps.world, id) || this.deps.world.dmChannels.has(id) ? fn() : notFound(10003, "Unknown Channel");
  }

  private getChannel(p: Params): RouteResponse {
    const { world } = this.deps;
    const id = p.channelId ?? "";
    const channel = channelById(world, id);
    if (channel) return json(200, channelPayload(world, channel));
    return world.dmChannels.has(id) ? json(200, dmChannelPayload(world, id)) : notFound(10003, "Unknown Channel");
  }

  private listMessages(req: RestRequest, p: Params): RouteResponse {
    return this.withChannel(p, () => {
      const limit = Math.min(Number(req.query.limit ?? 50) || 50, 100);
      const inChannel = [...this.deps.world.messages.values()].filter((m) => m.channel_id === p.channelId);
      return json(200, inChannel.reverse().slice(0, limit)); // newest first, like Discord
    });
  }

  /** Discord checks the bot's permissions in the channel before anything else. */
  private missingPermission(channelId: string, needed: bigint): RouteResponse | undefined {
    const perms = computePermissions(this.deps.world, this.deps.world.botUser.id, channelId);
    if ((perms & PermissionFlagsBits.ViewChannel) === 0n) return fromError(apiError(403, 50001, "Missing Access"));
    if ((perms & needed) !== needed) return fromError(apiError(403, 50013, "Missing Permissions"));
    return undefined;
  }

  /** A DM is refused when the user said so (privacy settings, a block) or is a bot: bots cannot DM bots. */
  private refusedDm(channelId: string): RouteResponse | undefined {
    const { world } = this.deps;
    const userId = world.dmChannels.get(channelId) ?? "";
    const refused = world.refusingDirectMessages.has(userId) || world.users.get(userId)?.bot === true;
    return refused ? fromError(apiError(403, 50007, "Cannot send messages to this user")) : undefined;
  }

  private createMessage(req: RestRequest, p: Params): RouteResponse {
    const { world, opts } = this.deps;
    const channelId = p.channelId ?? "";
    const direct = world.dmChannels.has(channelId);
    if (!direct && !channelById(world, channelId)) return notFound(10003, "Unknown Channel");
    const needed = PermissionFlagsBits.SendMessages | (req.files.length ? PermissionFlagsBits.AttachFiles : 0n);
    const denied = direct ? this.refusedDm(channelId) : this.missingPermission(channelId, needed);
    if (denied) return denied;
    const body = req.body ?? {};
    const invalid = validateMessage(body, req.files.length, true);
    if (invalid) return fromError(invalid);
    const nonce = body.nonce === undefined ? undefined : String(body.nonce);
    if (nonce !== undefined && body.enforce_nonce === true) {
      const seen = this.nonces.get(nonce);
      const previous = seen && req.at - seen.at < opts.nonceWindowMs ? world.messages.get(seen.messageId) : undefined;
      if (previous) return json(200, previous); // same nonce again: the original message, nothing new
    }
    const message = messagePayload(world, channelId, body, { files: req.files });
    world.messages.set(message.id, message);
    if (nonce !== undefined && body.enforce_nonce === true) this.nonces.set(nonce, { messageId: message.id, at: req.at });
    this.emitMessage("MESSAGE_CREATE", message);
    return json(200, message);
  }

  private channelMessage(req: RestRequest, p: Params): RouteResponse {
    const { world } = this.deps;
    return this.withChannel(p, () => {
      const message = world.messages.get(p.messageId ?? "");
      if (!message || message.channel_id !== p.channelId) return notFound(10008, "Unknown Message");
      if (req.method === "GET") return json(200, message);
      if (req.method === "DELETE") return this.deleteMessage(message);
      const invalid = validateMessage(req.body, req.files.length, false);
      if (invalid) return fromError(invalid);
      const edited = applyMessageEdit(world, message, req.body ?? {}, req.files);
      world.messages.set(edited.id, edited);
      this.emitMessage("MESSAGE_UPDATE", edited);
      return json(200, edited);
    });
  }

  private deleteMessage(message: APIMessage): RouteResponse {
    const { world } = this.deps;
    world.messages.delete(message.id);
    world.embeddedFiles.delete(message.id);
    // Without guild_id the gateway treats it as a DM event (Direct Messages intent), as Discord does.
    const direct = world.dmChannels.has(message.channel_id);
    const guildId = guildOf(world, { channelId: message.channel_id }).id;
    this.deps.emit("MESSAGE_DELETE", { id: message.id, channel_id: message.channel_id, ...(direct ? {} : { guild_id: guildId }) });
    return json(204);
  }

  private emitMessage(t: "MESSAGE_CREATE" | "MESSAGE_UPDATE", message: APIMessage): void {
    const { world } = this.deps;
    if (world.dmChannels.has(message.channel_id)) {
      this.deps.emit(t, { ...message, channel_type: 1 });
      return;
    }
    const guild = guildOf(world, { channelId: message.channel_id });
    const { user: _user, ...member } = memberPayload(world, message.author.id, guild);
    this.deps.emit(t, { ...message, guild_id: guild.id, member });
  }
}

function tagFiles(files: UploadedFile[], via: InteractionFile["via"]): InteractionFile[] {
  return files.map((f) => ({ ...f, via }));
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // malformed escapes: match on the raw path rather than fail the request
  }
}

function re(path: string): RegExp {
  return new RegExp(`^${path}$`);
}
