import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';
import { checkBody, type BodyCheck } from './form-body.js';
import { parseBody, type ParsedBody } from './http-body.js';

type Json = Record<string, unknown>;

export interface RouteRequest {
  params: string[];
  query: URLSearchParams;
  body: ParsedBody;
  headers: IncomingMessage['headers'];
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface RouteDef<C> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. `/channels/:id/messages/:id`; `:token` for webhook/interaction tokens */
  path: string;
  /** false where the interaction or webhook token in the path is the credential; the bot token otherwise */
  auth?: false;
  /** what the request body must be, or how to pick that from the request */
  body?: BodyCheck | ((context: C, req: RouteRequest) => BodyCheck);
  handle: (context: C, req: RouteRequest) => RouteResult | Promise<RouteResult>;
}

export interface FailRule {
  method?: string;
  path: RegExp;
  status: number;
  count?: number;
  /** seconds, for 429s */
  retryAfter?: number;
  global?: boolean;
  /** The request takes effect first and only its response fails: Discord stored it, the caller never heard. */
  afterEffect?: boolean;
}

/** Matching requests are received, then wait until `until` settles before they take effect: Discord being slow. */
export interface HoldRule {
  method?: string;
  path: RegExp;
  count?: number;
  until: Promise<unknown>;
}

interface CompiledRoute<C> extends RouteDef<C> {
  regex: RegExp;
}

const GLOBAL_LIMIT_PER_SECOND = 50;
const BUCKET_LIMIT = 50;
const BUCKET_WINDOW_MS = 1000;

/** The HTTP side of the stand-in: routing, bot-token auth, X-RateLimit headers, optional global limit, injected failures. */
export class RestRouter<C> {
  private readonly routes: CompiledRoute<C>[];
  private readonly counts = new Map<string, number>();
  private readonly failRules: (FailRule & { remaining: number })[] = [];
  private readonly holdRules: (HoldRule & { remaining: number })[] = [];
  private readonly buckets = new Map<string, { windowStart: number; used: number }>();
  private globalWindow: number[] = [];
  private globalLimited = 0;

  constructor(
    private readonly opts: { token: () => string; enforceGlobalRateLimit: boolean; prefix: RegExp; routes: readonly RouteDef<C>[]; context: C },
  ) {
    this.routes = opts.routes.map((route) => ({ ...route, regex: pathPattern(route.path) }));
  }

  failNext(rule: FailRule): void {
    this.failRules.push({ ...rule, remaining: rule.count ?? 1 });
  }

  holdNext(rule: HoldRule): void {
    this.holdRules.push({ ...rule, remaining: rule.count ?? 1 });
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** Requests refused with a global 429 because the bot went over the global limit (injected failures not counted). */
  globalRateLimitCount(): number {
    return this.globalLimited;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const prefixed = this.opts.prefix.exec(url.pathname);
    const path = prefixed ? url.pathname.slice(prefixed[0].length) || '/' : null;
    const decoded = path === null ? null : path.split('/').map(safeDecode).join('/');
    const route = decoded === null ? undefined : this.routes.find((r) => r.method === method && r.regex.test(decoded));
    const key = route ? `${method} ${route.path}` : `${method} ${url.pathname}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);

    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const send = (status: number, body?: unknown, extra: Record<string, string> = {}): void => {
      const all = { ...headers, ...extra };
      if (body === undefined) {
        delete all['content-type'];
        res.writeHead(status, all).end();
      } else {
        res.writeHead(status, all).end(JSON.stringify(body));
      }
    };

    const injected = this.takeFailure(method, url.pathname);
    const sendInjected = (rule: FailRule): void => {
      if (rule.status === 429) {
        const retryAfter = rule.retryAfter ?? 0.2;
        send(
          429,
          { message: 'You are being rate limited.', retry_after: retryAfter, global: rule.global === true, code: 0 },
          {
            'retry-after': String(retryAfter),
            'x-ratelimit-scope': rule.global ? 'global' : 'user',
            ...(rule.global ? { 'x-ratelimit-global': 'true' } : {}),
          },
        );
      } else {
        send(rule.status, { message: `${rule.status}: Injected failure`, code: 0 });
      }
    };
    if (injected && !injected.afterEffect) {
      await drain(req);
      sendInjected(injected);
      return;
    }

    if (!route || decoded === null) {
      await drain(req);
      send(404, { message: '404: Not Found', code: 0 });
      return;
    }

    if (route.auth !== false) {
      if (req.headers.authorization !== `Bot ${this.opts.token()}`) {
        await drain(req);
        send(401, { message: '401: Unauthorized', code: 0 });
        return;
      }
      if (this.opts.enforceGlobalRateLimit) {
        const retryAfter = this.globalRetryAfter();
        if (retryAfter > 0) {
          this.globalLimited += 1;
          await drain(req);
          send(
            429,
            { message: 'You are being rate limited.', retry_after: retryAfter, global: true, code: 0 },
            { 'retry-after': String(retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
          );
          return;
        }
      }
      Object.assign(headers, this.bucketHeaders(method, route, decoded));
    }

    try {
      const params = (route.regex.exec(decoded) ?? []).slice(1);
      const body = method === 'GET' || method === 'DELETE' ? await drain(req).then(() => ({ json: {}, files: [] })) : await parseBody(req);
      // Received in full, acted on late: the request takes effect even if the caller has gone meanwhile.
      await takeRule(this.holdRules, method, url.pathname)?.until.catch(() => {});
      const request = { params, query: url.searchParams, body, headers: req.headers };
      if (route.body) checkBody(typeof route.body === 'function' ? route.body(this.opts.context, request) : route.body, body.json);
      const result = await route.handle(this.opts.context, request);
      if (injected?.afterEffect) sendInjected(injected);
      else send(result.status, result.body);
    } catch (err) {
      if (err instanceof ApiError) {
        send(err.status, err.body());
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      send(500, { message: `500: Internal Server Error (${message})`, code: 0 });
    }
  }

  private takeFailure(method: string, pathname: string): FailRule | undefined {
    return takeRule(this.failRules, method, pathname);
  }

  private globalRetryAfter(): number {
    const now = Date.now();
    this.globalWindow = this.globalWindow.filter((t) => now - t < 1000);
    if (this.globalWindow.length >= GLOBAL_LIMIT_PER_SECOND) {
      const oldest = this.globalWindow[0] ?? now;
      return Math.max(0.001, (1000 - (now - oldest)) / 1000);
    }
    this.globalWindow.push(now);
    return 0;
  }

  private bucketHeaders(method: string, route: CompiledRoute<C>, path: string): Record<string, string> {
    const major = /^\/(channels|guilds|webhooks)\/(\d+)/.exec(path)?.[2] ?? 'global';
    const bucketId = `${method} ${route.path}`;
    const key = `${bucketId} ${major}`;
    const now = Date.now();
    let bucket = this.buckets.get(key);
    if (!bucket || now - bucket.windowStart >= BUCKET_WINDOW_MS) {
      bucket = { windowStart: now, used: 0 };
      this.buckets.set(key, bucket);
    }
    bucket.used += 1;
    const resetAfter = Math.max(0, BUCKET_WINDOW_MS - (now - bucket.windowStart)) / 1000;
    return {
      'x-ratelimit-limit': String(BUCKET_LIMIT),
      'x-ratelimit-remaining': String(Math.max(0, BUCKET_LIMIT - bucket.used)),
      'x-ratelimit-reset': ((bucket.windowStart + BUCKET_WINDOW_MS) / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': Buffer.from(bucketId).toString('hex').slice(0, 32),
    };
  }
}

function pathPattern(path: string): RegExp {
  const parts = path.split('/').map((part) => (part === ':id' ? '(\\d{1,20}|@original)' : part === ':token' || part === ':any' ? '([^/]+)' : escape(part)));
  return new RegExp(`^${parts.join('/')}$`);
}

function escape(part: string): string {
  return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) {
    // discard
  }
}

export type { Json };

/** The first rule matching the request, counted down (and dropped once used up). */
function takeRule<R extends { method?: string; path: RegExp; remaining: number }>(rules: R[], method: string, pathname: string): R | undefined {
  const index = rules.findIndex((rule) => rule.remaining > 0 && (rule.method === undefined || rule.method.toUpperCase() === method) && rule.path.test(pathname));
  const rule = rules[index];
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining <= 0) rules.splice(index, 1);
  return rule;
}
