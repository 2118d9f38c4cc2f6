import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import { shardOfGuild } from './snowflake.js';

type Json = Record<string, unknown>;

export const GatewayIntent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  MessageContent: 1 << 15,
} as const;

export interface SessionView {
  shard: [number, number];
  intents: number;
}

export interface GatewayHooks {
  token: () => string;
  /** user, application and the guild ids of that shard */
  ready: (session: SessionView) => { user: Json; application: Json; guildIds: string[] };
  guildCreate: (guildId: string, session: SessionView) => Json | undefined;
  heartbeatIntervalMs: number;
  /** how long a disconnected session can still be resumed */
  resumeWindowMs: number;
}

interface BufferedDispatch {
  s: number;
  t: string;
  d: unknown;
}

interface Session extends SessionView {
  id: string;
  seq: number;
  socket: WebSocket | null;
  buffer: BufferedDispatch[];
  disconnectedAt: number | null;
}

export interface DispatchTarget {
  /** only sessions whose shard holds this guild */
  guildId?: string;
  /** only sessions that asked for this intent */
  intent?: number;
}

const BUFFER_LIMIT = 2000;

/** The bot gateway: HELLO / IDENTIFY / READY / GUILD_CREATE, heartbeats, RESUME with replay, shard routing. */
export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  private readonly socketSessions = new Map<WebSocket, Session>();
  private readonly sockets = new Set<WebSocket>();
  private url = '';

  constructor(
    server: Server,
    private readonly hooks: GatewayHooks,
  ) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (socket, req) => this.onConnection(socket, req.url ?? '/'));
  }

  setUrl(url: string): void {
    this.url = url;
  }

  /** Sends a dispatch to every identified session it concerns; disconnected sessions buffer it for RESUME. */
  dispatch(event: string, data: Json | ((session: SessionView) => Json), target: DispatchTarget = {}): number {
    let delivered = 0;
    for (const session of this.sessions.values()) {
      if (target.guildId !== undefined && shardOfGuild(target.guildId, session.shard[1]) !== session.shard[0]) continue;
      if (target.intent !== undefined && (session.intents & target.intent) === 0) continue;
      const d = typeof data === 'function' ? data(session) : data;
      this.send(session, event, d);
      delivered += 1;
    }
    return delivered;
  }

  /** Number of open sockets with an identified (or resumed) session. */
  connectionCount(): number {
    return this.socketSessions.size;
  }

  /** Server-side close of an identified socket; the session stays resumable. Resolves once the socket is closed. */
  async drop(code: number, index = 0): Promise<void> {
    const socket = [...this.socketSessions.keys()][index];
    if (!socket) throw new Error(`No identified gateway connection #${index} (have ${this.socketSessions.size})`);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const session = this.socketSessions.get(socket);
    if (session) this.detach(session);
    socket.close(code, 'closed by the stand-in');
    await closed;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, path: string): void {
    this.sockets.add(socket);
    const query = new URL(path, 'ws://localhost').searchParams;
    // `compress=zlib-stream` is ignored: frames are always uncompressed JSON text, which discord.js
    // parses as-is even when it asked for compression (it only inflates binary frames).
    if ((query.get('encoding') ?? 'json') !== 'json') {
      socket.close(4002, 'only encoding=json is supported');
      return;
    }
    socket.on('message', (raw) => this.onMessage(socket, raw.toString()));
    socket.on('close', (code) => {
      this.sockets.delete(socket);
      const session = this.socketSessions.get(socket);
      if (!session) return;
      this.detach(session);
      // a client closing with 1000/1001 ends its session, as on Discord
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    });
    socket.on('error', () => undefined);
    this.raw(socket, { op: 10, d: { heartbeat_interval: this.hooks.heartbeatIntervalMs, _trace: ['stand-in'] }, s: null, t: null });
  }

  private detach(session: Session): void {
    if (session.socket) this.socketSessions.delete(session.socket);
    session.socket = null;
    session.disconnectedAt = Date.now();
  }

  private onMessage(socket: WebSocket, text: string): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(text) as { op?: unknown; d?: unknown };
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const session = this.socketSessions.get(socket);
    switch (payload.op) {
      case 1:
        this.raw(socket, { op: 11, d: null, s: null, t: null });
        return;
      case 2:
        if (session) socket.close(4005, 'Already authenticated.');
        else this.identify(socket, payload.d as Json);
        return;
      case 6:
        if (session) socket.close(4005, 'Already authenticated.');
        else this.resume(socket, payload.d as Json);
        return;
      case 3:
      case 4:
      case 8:
        if (!session) socket.close(4003, 'Not authenticated.');
        return;
      default:
        socket.close(4001, 'Unknown opcode.');
    }
  }

  private identify(socket: WebSocket, d: Json): void {
    if (d['token'] !== this.hooks.token()) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const shardIn = Array.isArray(d['shard']) ? (d['shard'] as unknown[]) : [0, 1];
    const shard: [number, number] = [Number(shardIn[0] ?? 0), Number(shardIn[1] ?? 1)];
    if (!(shard[1] >= 1) || !(shard[0] >= 0) || shard[0] >= shard[1]) {
      socket.close(4010, 'Invalid shard.');
      return;
    }
    if (typeof d['intents'] !== 'number') {
      socket.close(4013, 'Invalid intent(s).');
      return;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shard,
      intents: d['intents'],
      seq: 0,
      socket,
      buffer: [],
      disconnectedAt: null,
    };
    this.sessions.set(session.id, session);
    this.socketSessions.set(socket, session);
    const ready = this.hooks.ready(session);
    this.send(session, 'READY', {
      v: 10,
      user_settings: {},
      user: ready.user,
      guilds: ready.guildIds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.url,
      shard,
      application: ready.application,
      private_channels: [],
      relationships: [],
      presences: [],
      geo_ordered_rtc_regions: [],
      guild_join_requests: [],
      _trace: ['stand-in'],
    });
    for (const guildId of ready.guildIds) {
      const guild = this.hooks.guildCreate(guildId, session);
      if (guild && (session.intents & GatewayIntent.Guilds) !== 0) this.send(session, 'GUILD_CREATE', guild);
    }
  }

  private resume(socket: WebSocket, d: Json): void {
    if (d['token'] !== this.hooks.token()) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const session = this.sessions.get(String(d['session_id']));
    const fresh =
      session !== undefined &&
      session.socket === null &&
      (session.disconnectedAt === null || Date.now() - session.disconnectedAt <= this.hooks.resumeWindowMs);
    if (!session || !fresh) {
      this.raw(socket, { op: 9, d: false, s: null, t: null });
      return;
    }
    const from = Number(d['seq'] ?? 0);
    const oldest = session.buffer[0]?.s ?? session.seq + 1;
    if (from + 1 < oldest) {
      // events were lost from the replay buffer: the session cannot be resumed
      this.sessions.delete(session.id);
      this.raw(socket, { op: 9, d: false, s: null, t: null });
      return;
    }
    session.socket = socket;
    session.disconnectedAt = null;
    this.socketSessions.set(socket, session);
    for (const missed of session.buffer) {
      if (missed.s > from) this.raw(socket, { op: 0, s: missed.s, t: missed.t, d: missed.d });
    }
    this.send(session, 'RESUMED', { _trace: ['stand-in'] });
  }

  private send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const entry = { s: session.seq, t, d };
    session.buffer.push(entry);
    if (session.buffer.length > BUFFER_LIMIT) session.buffer.shift();
    if (session.socket) this.raw(session.socket, { op: 0, ...entry });
  }

  private raw(socket: WebSocket, payload: Json): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }
}
