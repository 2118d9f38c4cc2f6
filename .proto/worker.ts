import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
const pg = new PGlite();
await pg.waitReady;
const server = new PGLiteSocketServer({ db: pg, path: workerData.path, maxConnections: 1 });
await server.start();
parentPort!.postMessage('ready');
