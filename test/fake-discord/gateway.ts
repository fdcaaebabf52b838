// Fake gateway: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME with replay of the
// events a session missed, and dispatch of arbitrary events to the session that should get them.
//
// Sharding, as Discord does it: an IDENTIFY with `shard: [id, count]` starts a session for that shard
// (no `shard` means [0, 1]). Its READY lists, and GUILD_CREATE is sent for, only the guilds with
// `(guild_id >> 22) % count === id`. A guild event (one with a guild_id; GUILD_CREATE/UPDATE/DELETE by
// their `id`) goes to the session of that guild's shard, any other event (DMs...) to shard 0's. When
// several sessions qualify (two clients claiming the same shard, stale sessions awaiting RESUME), the one
// most recently identified or resumed wins; without sharding that is simply the newest session.
//
// Encoding is JSON only (what discord.js uses). Transport compression: `compress=zlib-stream` is
// supported (one shared deflate context, each payload flushed with Z_SYNC_FLUSH so it ends in
// 00 00 ff ff), as is the older per-payload `identify.compress`. discord.js 14 only asks for
// zlib-stream when the optional `zlib-sync` package is installed; without it, frames are plain text.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import zlib from "node:zlib";
import { GatewayIntentBits, GatewayOpcodes } from "discord.js";
import { WebSocket, WebSocketServer } from "ws";
import { randomToken } from "./ids.ts";
import { guildCreatePayload, memberPayload, readyPayload } from "./payloads.ts";
import type { Notifier } from "./wait.ts";
import type { FakeGuild, World } from "./world.ts";
import { guildById, shardOf } from "./world.ts";

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** When true, IDENTIFY/RESUME with a token other than world.token is closed with 4004. */
  strictToken: boolean;
}

export interface GatewayPayload {
  op: number;
  d: any;
  s: number | null;
  t: string | null;
}

/** Events Discord only sends when the session asked for the intent. Unlisted events always go out. */
const REQUIRED_INTENT: Record<string, number> = {
  MESSAGE_CREATE: GatewayIntentBits.GuildMessages,
  MESSAGE_UPDATE: GatewayIntentBits.GuildMessages,
  MESSAGE_DELETE: GatewayIntentBits.GuildMessages,
  CHANNEL_CREATE: GatewayIntentBits.Guilds,
  CHANNEL_UPDATE: GatewayIntentBits.Guilds,
  CHANNEL_DELETE: GatewayIntentBits.Guilds,
  GUILD_UPDATE: GatewayIntentBits.Guilds,
  GUILD_ROLE_UPDATE: GatewayIntentBits.Guilds,
  GUILD_MEMBER_ADD: GatewayIntentBits.GuildMembers,
  GUILD_MEMBER_UPDATE: GatewayIntentBits.GuildMembers,
  GUILD_MEMBER_REMOVE: GatewayIntentBits.GuildMembers,
};

const REPLAY_LOG_LIMIT = 500;

interface Session {
  id: string;
  seq: number;
  intents: number;
  log: GatewayPayload[];
  conn: Connection | undefined;
  /** [shard_id, num_shards] from IDENTIFY ([0, 1] without one). */
  shard: [number, number];
  /** Set on IDENTIFY and RESUME: among the sessions an event qualifies for, the highest wins. */
  activeAt: number;
}

/** What a test sees of a session (FakeDiscord.sessionsByShard). */
export interface ShardSession {
  shard: [number, number];
  sessionId: string;
  connected: boolean;
}

/** The guild whose shard receives an event, if it is a guild event. */
function routingGuildId(t: string, d: unknown): string | undefined {
  const data = (d ?? {}) as { guild_id?: unknown; id?: unknown };
  let id = data.guild_id;
  if (id === undefined && (t === "GUILD_CREATE" || t === "GUILD_UPDATE" || t === "GUILD_DELETE")) id = data.id;
  return typeof id === "string" && /^\d+$/.test(id) ? id : undefined;
}

/** IDENTIFY's `shard`, checked as Discord does (close 4010 "Invalid shard" otherwise); absent = [0, 1]. */
function parseShard(value: unknown): [number, number] | undefined {
  if (value === undefined || value === null) return [0, 1];
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return undefined;
  if ((count as number) < 1 || (id as number) < 0 || (id as number) >= (count as number)) return undefined;
  return [id as number, count as number];
}

class Connection {
  /** True once IDENTIFY/RESUME succeeded and READY/RESUMED has been queued. */
  ready = false;
  session: Session | undefined;
  identifyCompress = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly deflate: zlib.Deflate | undefined;

  constructor(
    readonly ws: WebSocket,
    zlibStream: boolean,
  ) {
    this.deflate = zlibStream ? zlib.createDeflate({ chunkSize: 65535 }) : undefined;
  }

  /** Sends in order; compression is async, so payloads go through a queue. */
  send(payload: GatewayPayload): void {
    this.queue = this.queue
      .then(() => this.encode(JSON.stringify(payload)))
      .then((frame) => {
        if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
      })
      .catch(() => undefined); // a socket that died mid-send is not the test's problem
  }

  close(code?: number, reason?: string): void {
    this.ready = false;
    // 1006 cannot be sent on the wire: it is what the client sees after an abrupt drop.
    if (code === undefined || code === 1006) this.ws.terminate();
    else this.ws.close(code, reason);
    this.deflate?.close();
  }

  private encode(json: string): Promise<string | Buffer> | string | Buffer {
    if (this.deflate) return syncFlush(this.deflate, json);
    if (this.identifyCompress) return zlib.deflateSync(json);
    return json;
  }
}

/** Writes into the shared zlib context and collects output up to the 00 00 ff ff flush marker. */
function syncFlush(deflate: zlib.Deflate, json: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.subarray(-4).equals(Buffer.from([0, 0, 0xff, 0xff]))) {
        deflate.off("data", onData);
        deflate.off("error", onError);
        resolve(all);
      }
    };
    const onError = (error: Error) => {
      deflate.off("data", onData);
      reject(error);
    };
    deflate.on("data", onData);
    deflate.once("error", onError);
    deflate.write(json);
    deflate.flush(zlib.constants.Z_SYNC_FLUSH);
  });
}

export class Gateway {
  identifyCount = 0;
  resumeCount = 0;
  heartbeatCount = 0;
  /** Every IDENTIFY `d` received (token, intents, properties, shard, ...). */
  readonly identifies: any[] = [];
  /** Every non-heartbeat payload received from clients, for assertions on presence updates etc. */
  readonly received: Array<{ op: number; d: any; at: number }> = [];

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  private readonly sessions = new Map<string, Session>();
  /** Increases on every IDENTIFY/RESUME; see Session.activeAt. */
  private clock = 0;

  constructor(
    private readonly world: World,
    private readonly opts: GatewayOptions,
    private readonly notifier: Notifier,
    private readonly gatewayUrl: () => string,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/gateway" && url.pathname !== "/gateway/") {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, url.searchParams));
  }

  /** True once the most recently identified/resumed session was sent READY + GUILD_CREATEs (or RESUMED) and is connected. */
  isReady(): boolean {
    return this.newest()?.conn?.ready === true;
  }

  /** True once the session that would receive this event is connected and ready. */
  readyFor(t: string, d: unknown): boolean {
    return this.target(t, d)?.conn?.ready === true;
  }

  /** True once, for every shard 0..count-1, the session of [shard, count] is connected and ready. */
  shardsReady(count: number): boolean {
    for (let id = 0; id < count; id++) {
      if (this.newest((s) => s.shard[0] === id && s.shard[1] === count)?.conn?.ready !== true) return false;
    }
    return true;
  }

  /** One entry per shard [id, count] that has a session (the winning one), ordered by shard id, then count. */
  shardSessions(): ShardSession[] {
    const winners = new Map<string, Session>();
    for (const s of this.sessions.values()) {
      const key = s.shard.join("/");
      const seen = winners.get(key);
      if (!seen || s.activeAt > seen.activeAt) winners.set(key, s);
    }
    return [...winners.values()]
      .sort((a, b) => a.shard[0] - b.shard[0] || a.shard[1] - b.shard[1])
      .map((s) => ({ shard: [s.shard[0], s.shard[1]], sessionId: s.id, connected: s.conn?.ready === true }));
  }

  /**
   * Sends a dispatch (op 0) to the session of the event's shard (see the note at the top); buffered for
   * RESUME replay if that session is disconnected; dropped if it lacks the intent or there is no session.
   */
  dispatch(t: string, d: unknown): void {
    const session = this.target(t, d);
    if (!session) return;
    // A message in a DM needs the Direct Messages intent, not Guild Messages.
    const direct = t.startsWith("MESSAGE_") && !(d as { guild_id?: string }).guild_id;
    const intent = direct ? GatewayIntentBits.DirectMessages : REQUIRED_INTENT[t];
    if (intent !== undefined && (session.intents & intent) === 0) return;
    this.dispatchTo(session, t, d);
  }

  /** Sends a raw opcode (e.g. 7 RECONNECT, 9 INVALID_SESSION) to the newest session's socket, or to shard `shard`'s. */
  sendOp(op: number, d: unknown = null, shard?: number): void {
    this.pick(shard)?.conn?.send({ op, d, s: null, t: null });
  }

  /** Closes the newest session's socket (or shard `shard`'s): no code = abrupt drop (client sees 1006). */
  disconnect(code?: number, shard?: number): void {
    const conn = this.pick(shard)?.conn ?? (shard === undefined ? [...this.connections].at(-1) : undefined);
    if (!conn) return;
    if (conn.session) conn.session.conn = undefined;
    conn.close(code, "fake-discord disconnect");
    this.notifier.notify();
  }

  /** The most recently identified/resumed session among those matching `pred`. */
  private newest(pred: (s: Session) => boolean = () => true): Session | undefined {
    let best: Session | undefined;
    for (const s of this.sessions.values()) if (pred(s) && (!best || s.activeAt > best.activeAt)) best = s;
    return best;
  }

  /** Without a shard: the newest session (today's "current" one); with one: the newest session of that shard id. */
  private pick(shard: number | undefined): Session | undefined {
    return shard === undefined ? this.newest() : this.newest((s) => s.shard[0] === shard);
  }

  /** The session an event goes to: its guild's shard (shard 0 for DMs and other non-guild events). */
  private target(t: string, d: unknown): Session | undefined {
    const guildId = routingGuildId(t, d);
    return this.newest((s) => s.shard[0] === (guildId === undefined ? 0 : shardOf(guildId, s.shard[1])));
  }

  /** The guilds a shard receives. */
  private guildsOf(shard: [number, number]): FakeGuild[] {
    return this.world.guilds.filter((g) => shardOf(g.id, shard[1]) === shard[0]);
  }

  close(): void {
    for (const conn of this.connections) conn.close();
    this.connections.clear();
    this.wss.close();
  }

  private onConnection(ws: WebSocket, query: URLSearchParams): void {
    const conn = new Connection(ws, query.get("compress") === "zlib-stream");
    this.connections.add(conn);
    ws.on("message", (data, isBinary) => this.onMessage(conn, data as Buffer, isBinary));
    ws.on("error", () => undefined);
    ws.on("close", (code) => {
      this.connections.delete(conn);
      conn.ready = false;
      const session = conn.session;
      if (session?.conn === conn) session.conn = undefined;
      // A clean 1000/1001 close from the client ends the session, as on Discord.
      if (session && (code === 1000 || code === 1001)) this.sessions.delete(session.id);
      this.notifier.notify();
    });
    if (query.get("v") !== "10") return conn.close(4012, "Invalid API version");
    if ((query.get("encoding") ?? "json") !== "json") return conn.close(4002, "fake-discord only speaks encoding=json");
    const compress = query.get("compress");
    if (compress && compress !== "zlib-stream") return conn.close(4002, `Unsupported compress=${compress}`);
    conn.send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.opts.heartbeatIntervalMs }, s: null, t: null });
  }

  private onMessage(conn: Connection, data: Buffer, isBinary: boolean): void {
    let payload: { op: number; d: any };
    try {
      payload = JSON.parse(isBinary ? zlib.inflateSync(data).toString("utf8") : data.toString("utf8"));
    } catch {
      return conn.close(4002, "Error while decoding payload");
    }
    if (payload.op !== GatewayOpcodes.Heartbeat) this.received.push({ op: payload.op, d: payload.d, at: Date.now() });
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeatCount++;
        conn.send({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        break;
      case GatewayOpcodes.Identify:
        this.identify(conn, payload.d);
        break;
      case GatewayOpcodes.Resume:
        this.resume(conn, payload.d);
        break;
      case GatewayOpcodes.RequestGuildMembers:
        if (!conn.ready) return conn.close(4003, "Not authenticated");
        this.guildMembers(conn.session!, payload.d);
        break;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
        if (!conn.ready) return conn.close(4003, "Not authenticated");
        break;
      default:
        conn.close(4001, "Unknown opcode");
    }
    this.notifier.notify();
  }

  private identify(conn: Connection, d: any): void {
    if (conn.session) return conn.close(4005, "Already authenticated");
    if (this.opts.strictToken && d?.token !== this.world.token) return conn.close(4004, "Authentication failed");
    const shard = parseShard(d?.shard);
    if (!shard) return conn.close(4010, "Invalid shard");
    this.identifyCount++;
    this.identifies.push(d);
    conn.identifyCompress = d?.compress === true;
    const session: Session = {
      id: randomToken("fake-session-", 12),
      seq: 0,
      intents: Number(d?.intents ?? 0),
      log: [],
      conn,
      shard,
      activeAt: ++this.clock,
    };
    this.sessions.set(session.id, session);
    conn.session = session;
    const guilds = this.guildsOf(shard);
    this.dispatchTo(session, "READY", readyPayload(this.world, session.id, this.gatewayUrl(), shard, guilds));
    // Guilds arrive unavailable in READY, then one GUILD_CREATE each (discord.js waits for these).
    for (const guild of guilds) this.dispatchTo(session, "GUILD_CREATE", guildCreatePayload(this.world, guild));
    conn.ready = true;
  }

  private resume(conn: Connection, d: any): void {
    if (conn.session) return conn.close(4005, "Already authenticated");
    if (this.opts.strictToken && d?.token !== this.world.token) return conn.close(4004, "Authentication failed");
    const session = this.sessions.get(d?.session_id);
    if (!session) {
      conn.send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    this.resumeCount++;
    session.conn?.close(4009, "Session resumed elsewhere");
    session.conn = conn;
    conn.session = session;
    session.activeAt = ++this.clock;
    const from = Number(d?.seq ?? 0);
    for (const missed of session.log) if (missed.s !== null && missed.s > from) conn.send(missed);
    this.dispatchTo(session, "RESUMED", null);
    conn.ready = true;
  }

  /** Answers REQUEST_GUILD_MEMBERS with one chunk per requested guild (the first guild if none is known). */
  private guildMembers(session: Session, d: any): void {
    const requested: unknown[] = Array.isArray(d?.guild_id) ? d.guild_id : [d?.guild_id];
    const known = requested.map((id) => guildById(this.world, String(id))).filter((g): g is FakeGuild => g !== undefined);
    for (const guild of known.length ? known : [this.world.guilds[0]!]) {
      this.dispatchTo(session, "GUILD_MEMBERS_CHUNK", {
        guild_id: guild.id,
        members: [...guild.memberRoles.keys()].map((id) => memberPayload(this.world, id, guild)),
        chunk_index: 0,
        chunk_count: 1,
        not_found: [],
        ...(d?.nonce ? { nonce: d.nonce } : {}),
      });
    }
  }

  private dispatchTo(session: Session, t: string, d: unknown): void {
    const payload: GatewayPayload = { op: GatewayOpcodes.Dispatch, t, s: ++session.seq, d };
    if (t !== "RESUMED") session.log.push(payload); // RESUMED itself is never replayed
    if (session.log.length > REPLAY_LOG_LIMIT) session.log.shift();
    session.conn?.send(payload);
    this.notifier.notify();
  }
}
