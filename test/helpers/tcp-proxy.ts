// A small TCP proxy for fault tests: sits between the bot and Postgres on loopback and can be cut and restored.
//
// A cut behaves like a network partition, not like a server that says no:
// - connections open at the moment of the cut go silent for good: nothing is forwarded in either direction and
//   nothing is closed (a half-open connection, as after a lost NAT/firewall entry or a failed-over server);
// - connections opened during the cut are accepted but never reach Postgres (no greeting ever arrives).
// After `restore()`, new connections work again; the silenced ones stay silent until the client gives up on them.
// `cut({ reset: true })` instead resets every connection and refuses new ones at once (a Postgres restart).
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Upper bound on simultaneous client connections (the proxy refuses more). */
  maxConnections?: number;
}

interface Pair {
  client: Socket;
  upstream: Socket | null;
  silenced: boolean;
}

export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private state: 'open' | 'cut' | 'refusing' = 'open';
  private accepted = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: TcpProxyOptions,
  ) {}

  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, options);
    server.on('connection', (socket) => proxy.onConnection(socket));
    server.maxConnections = options.maxConnections ?? 64;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** Starts a proxy in front of the host and port of a postgres:// URL; `url(original)` gives the URL through it. */
  static forUrl(url: string): Promise<TcpProxy> {
    const parsed = new URL(url);
    return TcpProxy.start({ targetHost: parsed.hostname || '127.0.0.1', targetPort: Number(parsed.port || 5432) });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The same connection URL, pointed at this proxy. */
  url(original: string): string {
    const parsed = new URL(original);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Client connections accepted since the start (including silenced ones). */
  get connectionsAccepted(): number {
    return this.accepted;
  }

  /** Connections currently open through the proxy (silenced ones included). */
  get openConnections(): number {
    return this.pairs.size;
  }

  get isCut(): boolean {
    return this.state !== 'open';
  }

  cut(options: { reset?: boolean } = {}): void {
    if (options.reset) {
      this.state = 'refusing';
      for (const pair of this.pairs) this.destroy(pair);
      return;
    }
    this.state = 'cut';
    for (const pair of this.pairs) this.silence(pair);
  }

  restore(): void {
    this.state = 'open';
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) this.destroy(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(client: Socket): void {
    this.accepted += 1;
    client.on('error', () => undefined);
    if (this.state === 'refusing') {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: null, silenced: false };
    this.pairs.add(pair);
    client.on('close', () => {
      // A silenced connection's upstream never learns the client left (the partition ate the FIN).
      if (!pair.silenced) pair.upstream?.destroy();
      if (!pair.silenced || !pair.upstream) this.pairs.delete(pair);
    });
    if (this.state === 'cut') {
      this.silence(pair);
      return;
    }
    const upstream = connect(this.options.targetPort, this.options.targetHost);
    pair.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      if (!pair.silenced) client.destroy();
      this.pairs.delete(pair);
    });
    client.on('data', (chunk) => {
      if (!pair.silenced) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!pair.silenced) client.write(chunk);
    });
  }

  private silence(pair: Pair): void {
    pair.silenced = true;
    // Keep reading (and discarding) so neither side's buffers fill: the bytes are lost in the partition.
    pair.client.resume();
    pair.upstream?.resume();
  }

  private destroy(pair: Pair): void {
    pair.client.resetAndDestroy();
    pair.upstream?.destroy();
    this.pairs.delete(pair);
  }
}
