// One HTTP proxy in front of Discord's REST API for every bot process of one bot (`npm run rest-proxy`): one
// discord.js REST manager (@discordjs/rest) forwards every process's requests, so the bot's global limit and every
// route's bucket are counted in one place however many shards and hosts send through it. It is @discordjs/proxy's
// handler, with two changes: the body is read before it is forwarded (so a request sent again after a 429 still has
// it), and the global limit is kept in any window rather than in whole seconds (rest-proxy-limiter.ts).
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { populateErrorResponse, populateSuccessfulResponse } from '@discordjs/proxy';
// The proxy's own build of @discordjs/rest (ESM, as @discordjs/proxy imports it): discord.js loads the CommonJS
// build, whose error classes the proxy would not recognise (a Discord error would come back as a 502).
import { DefaultRestOptions, REST, type RequestMethod } from '@discordjs/rest';
import type { Logger } from './logger.js';
import { SlidingWindowLimiter } from './rest-proxy-limiter.js';

/**
 * Rate limits up to this long are waited out in the proxy. A longer one is handed back to the bot process as a
 * 429 with Retry-After (which its REST client waits out, or throws where it was told to): a request parked here
 * for longer would outlive the bot's 15-second request timeout, and the bot would send it again while this one
 * still goes to Discord.
 */
export const MAX_PROXY_RATE_LIMIT_WAIT_MS = 5_000;

/**
 * The bot's global limit as the proxy keeps it: Discord allows 50 requests a second, and the proxy lets 50 go in any
 * 1.2 s. Discord counts a request when it arrives; the extra 200 ms is room for the network (or a busy machine)
 * bringing some requests later than the ones after them. Measured against the stand-in on a loaded 2-core machine
 * (load average 10-20): a window of exactly 1 s drew 8-9 global 429s per 400 requests; 1.1 s none in 400 or 600,
 * but 1 in a burst of 4,000.
 */
export const PROXY_GLOBAL_LIMIT = 50;
export const PROXY_GLOBAL_WINDOW_MS = 1_200;

export interface RestProxyOptions {
  /** The bot's token: the only one this proxy forwards (one bot, one global limit). */
  token: string;
  /** Discord's REST base (`https://discord.com/api` when unset; the stand-in's in tests). */
  upstreamApiUrl?: string;
  port: number;
  /** The interface to listen on; every interface when unset (the bots reach it over the network). */
  host?: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface RunningRestProxy {
  port: number;
  close(): Promise<void>;
}

export async function startRestProxy(options: RestProxyOptions): Promise<RunningRestProxy> {
  const globalLimit = new SlidingWindowLimiter(PROXY_GLOBAL_LIMIT, PROXY_GLOBAL_WINDOW_MS);
  const rest = new REST({
    ...(options.upstreamApiUrl ? { api: options.upstreamApiUrl } : {}),
    rejectOnRateLimit: (limit) => limit.timeToReset > MAX_PROXY_RATE_LIMIT_WAIT_MS,
    // A 5xx or a timeout can come after Discord acted on the request: whether to send it again is the bot's call
    // (its thread poster never does, and looks for the thread first), so the proxy hands those back as they are.
    retries: 0,
    makeRequest: async (url, init) => {
      if (countsTowardGlobalLimit(init.headers)) await globalLimit.take();
      return DefaultRestOptions.makeRequest(url, init);
    },
  }).setToken(options.token);
  const expected = Buffer.from(`Bot ${options.token}`);

  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    // Requests without a token (interaction responses and webhooks, whose token is in the path) pass; a
    // request carrying another bot's token would spend this bot's limits, so it is refused as Discord would.
    const authorization = req.headers.authorization;
    if (authorization !== undefined && !sameSecret(Buffer.from(authorization), expected)) {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"401: Unauthorized","code":0}');
      return;
    }
    void forward(rest, req, res, options.logger);
  });
  server.keepAliveTimeout = 60_000; // the bots' REST clients keep their connections open
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * What @discordjs/proxy's `proxyRequests` does, with the request body read first: it hands Discord the incoming
 * stream itself, so when its REST manager sends a request again (after a 429 or a 5xx) the stream is spent and
 * Discord gets an empty body ("Cannot send an empty message", "name is required"). The responses are written by
 * the package's own helpers.
 */
async function forward(rest: REST, req: IncomingMessage, res: ServerResponse, logger: RestProxyOptions['logger']): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://proxy');
  try {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    if (req.headers['content-type']) headers['Content-Type'] = req.headers['content-type'];
    if (req.headers.authorization) headers['Authorization'] = req.headers.authorization;
    const reason = req.headers['x-audit-log-reason'];
    if (typeof reason === 'string') headers['X-Audit-Log-Reason'] = reason;
    const response = await rest.queueRequest({
      method: (req.method ?? 'GET') as RequestMethod, // another method gets Discord's own 405
      fullRoute: url.pathname.replace(/^\/api(\/v\d+)?/, '') as `/${string}`,
      query: url.searchParams,
      ...(body.length > 0 ? { body, passThroughBody: true } : {}),
      headers,
      auth: false, // the bot's Authorization header, checked above, goes as it came
    });
    await populateSuccessfulResponse(res, response);
  } catch (error) {
    if (!populateErrorResponse(res, error)) {
      logger.error({ method: req.method, route: routeOf(url.pathname), err: { name: (error as Error)?.name, message: (error as Error)?.message, code: codeOf(error) } }, 'REST proxy could not reach Discord');
      if (!res.headersSent) res.statusCode = 502;
    }
  } finally {
    res.end();
  }
}

/** Interaction responses and webhooks (no bot token) are outside Discord's global limit; everything else counts. */
function countsTowardGlobalLimit(headers: unknown): boolean {
  const all = (headers ?? {}) as Record<string, unknown>;
  return all['Authorization'] !== undefined || all['authorization'] !== undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The path without ids or tokens, for logs (interaction and webhook tokens are secrets). */
function routeOf(path: string): string {
  return path.replace(/\/\d{16,20}(?=\/|$)/g, '/:id').replace(/\/(interactions|webhooks)\/:id\/[^/]+/, '/$1/:id/:token');
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === undefined ? undefined : String(code);
}

function sameSecret(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}
