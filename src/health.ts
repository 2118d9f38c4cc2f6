import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthChecks {
  gatewayConnected(): boolean;
  pingDatabase(): Promise<void>;
}

/** Optional HTTP endpoint: /healthz (200 when the gateway and database are fine, else 503) and /metrics. */
export async function startHealthServer(port: number, checks: HealthChecks, registry: Registry): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.url === '/healthz') {
        const gateway = checks.gatewayConnected();
        const database = await checks.pingDatabase().then(
          () => true,
          () => false,
        );
        res.writeHead(gateway && database ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ gateway: gateway ? 'connected' : 'disconnected', database: database ? 'reachable' : 'unreachable' }));
      } else if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(await registry.metrics());
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found: try /healthz or /metrics\n');
      }
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
