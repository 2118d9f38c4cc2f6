// PGlite's own `query` sends every statement unnamed: Parse, Describe, Bind, Describe, Execute and Sync, each a
// separate call into the WebAssembly Postgres, so the answer click's statement was parsed, analysed and planned
// on every click (1.6 ms of the database thread's time; 0.5 ms prepared, bench/README.md). This runs the same
// query as a named prepared statement: each distinct text is parsed once per database, then every call is one
// Bind, Describe, Execute and Sync in a single call. Results, parsers, serializers, locking and the flush to
// disk are PGlite's own, as its `query` does them.
import { parse, protocol, type ParserOptions, type PGlite, type Results } from '@electric-sql/pglite';

const { serialize } = protocol;

/** Distinct statement texts kept prepared per database; the least recently used one is closed beyond this. */
const MAX_PREPARED = 200;

interface Prepared {
  name: string;
  /** type ids of the parameters, as Postgres inferred them: they pick PGlite's serializer for each value */
  paramTypes: number[];
}

export interface PreparedQueryOptions {
  rowMode: 'array' | 'object';
  /** per-type parsers over PGlite's defaults (the worker's text-as-is ones) */
  parsers: ParserOptions;
  /** inside a transaction the worker holds open: PGlite's transaction lock is already taken, and nothing is flushed yet */
  inTransaction: boolean;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Postgres's "cached plan must not change result type": a table the statement reads changed shape. */
const isStalePlan = (error: unknown) => (error as { routine?: unknown } | null)?.routine === 'RevalidateCachedQuery';

export class PreparedStatements {
  /** by statement text, least recently used first */
  private readonly prepared = new Map<string, Prepared>();
  private nextName = 1;

  constructor(
    private readonly pg: PGlite,
    private readonly maxPrepared = MAX_PREPARED,
  ) {}

  async query<T>(sql: string, params: readonly unknown[], options: PreparedQueryOptions): Promise<Results<T>> {
    const run = () => this.pg._runExclusiveQuery(() => this.runOnce<T>(sql, params, options));
    // PGlite's `query` waits for an open transaction to finish; a statement of that transaction must not.
    return options.inTransaction ? run() : this.pg._runExclusiveTransaction(run);
  }

  private async runOnce<T>(sql: string, params: readonly unknown[], options: PreparedQueryOptions): Promise<Results<T>> {
    try {
      return await this.execute<T>(await this.statementFor(sql), sql, params, options);
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      await this.forget(sql);
      if (options.inTransaction) throw error; // the transaction is aborted; its caller retries or reports it
      return this.execute<T>(await this.statementFor(sql), sql, params, options);
    }
  }

  private async statementFor(sql: string): Promise<Prepared> {
    const known = this.prepared.get(sql);
    if (known) {
      this.prepared.delete(sql); // moved to the most recently used end
      this.prepared.set(sql, known);
      return known;
    }
    const name = `ds9_${this.nextName++}`;
    const described = await this.send([serialize.parse({ name, text: sql, types: [] }), serialize.describe({ type: 'S', name }), serialize.sync()], sql);
    const parameters = described.find((message) => message.name === 'parameterDescription') as { dataTypeIDs?: number[] } | undefined;
    const statement = { name, paramTypes: parameters?.dataTypeIDs ?? [] };
    this.prepared.set(sql, statement);
    if (this.prepared.size > this.maxPrepared) await this.forget(this.prepared.keys().next().value!);
    return statement;
  }

  private async execute<T>(statement: Prepared, sql: string, params: readonly unknown[], options: PreparedQueryOptions): Promise<Results<T>> {
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = this.pg.serializers[statement.paramTypes[i]!];
      return serializer ? serializer(value) : String(value);
    });
    const messages = await this.send(
      [serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()],
      sql,
    );
    if (!options.inTransaction) await this.pg.syncToFs();
    return parse.parseResults(messages, this.pg.parsers, { rowMode: options.rowMode, parsers: options.parsers })[0] as Results<T>;
  }

  private async forget(sql: string): Promise<void> {
    const statement = this.prepared.get(sql);
    if (!statement) return;
    this.prepared.delete(sql);
    await this.send([serialize.close({ type: 'S', name: statement.name }), serialize.sync()], sql);
  }

  /** One call into Postgres; an error comes back as PGlite's own (code, constraint... and the query's text). */
  private async send(parts: Uint8Array[], sql: string) {
    try {
      return (await this.pg.execProtocol(concat(parts), { syncToFs: false })).messages;
    } catch (error) {
      if (error instanceof Error) Object.assign(error, { query: sql });
      throw error;
    }
  }
}
