import { Worker } from 'node:worker_threads';
import postgres from 'postgres';
import { openPgliteDatabase } from '../src/db/pglite-client.js';
const N = 3000;
const SQL = `insert into crew (name, rank) values ($1, $2) on conflict (name) do update set rank = crew.rank + excluded.rank returning name, rank`;
async function viaSocket() {
  const path = `/tmp/proto-${process.pid}.sock`;
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const w = new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`, { eval: true, workerData: { path } });
  await new Promise((r) => w.once('message', r));
  const sql = postgres({ path, max: 1, onnotice: () => {} , username: 'postgres', database: 'postgres'});
  await sql`create table crew (name text primary key, rank int not null)`;
  let t = performance.now();
  for (let i = 0; i < N; i++) await sql.unsafe(SQL, [`n${i % 100}`, i], { prepare: true });
  const serial = (performance.now() - t) / N;
  t = performance.now();
  await Promise.all(Array.from({ length: N }, (_, i) => sql.unsafe(SQL, [`n${i % 100}`, i], { prepare: true })));
  const burst = (performance.now() - t) / N;
  console.log('socket', { serial, burst });
  await sql.end(); await w.terminate();
}
async function viaRpc() {
  const c = await openPgliteDatabase({ dir: 'memory' });
  await c.query(`create table crew (name text primary key, rank int not null)`);
  let t = performance.now();
  for (let i = 0; i < N; i++) await c.query(SQL, [`n${i % 100}`, i]);
  const serial = (performance.now() - t) / N;
  t = performance.now();
  await Promise.all(Array.from({ length: N }, (_, i) => c.query(SQL, [`n${i % 100}`, i])));
  const burst = (performance.now() - t) / N;
  console.log('rpc   ', { serial, burst });
  await c.close();
}
for (let k = 0; k < 2; k++) { await viaRpc(); await viaSocket(); }
