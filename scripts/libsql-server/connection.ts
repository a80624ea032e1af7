// One libsql engine connection with a prepared-statement cache, plus the pool
// that hands connections to streams.
import Database from 'libsql';
import { encodeValue, StmtError, type Stmt } from './protocol.ts';
import { parameterNames, splitStatements } from './sql_text.ts';

type Engine = Database.Database;
type Statement = Database.Statement<unknown[]>;

interface Prepared {
  stmt: Statement;
  reader: boolean;
  // INSERT ... RETURNING reads rows *and* writes, so its counts need a lookup.
  returning: boolean;
  // Changes connection-local state, so the connection must not be reused.
  tainting: boolean;
}

export interface StmtResult {
  cols: { name: string; decltype: string | null }[];
  rows: Record<string, unknown>[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  rows_read: number;
  rows_written: number;
  query_duration_ms: number;
}

interface DescribeResult {
  params: { name: string | null }[];
  cols: { name: string; decltype: string | null }[];
  is_explain: boolean;
  is_readonly: boolean;
}

const CACHE_SIZE = 128;
const TAINTING_KEYWORDS = new Set(['PRAGMA', 'ATTACH', 'DETACH']);
const TEMP = /\bTEMP(ORARY)?\b/i;

export class Conn {
  private readonly cache = new Map<string, Prepared>();
  private meta: Statement | undefined;
  tainted = false;

  private constructor(private readonly db: Engine) {}

  static open(file: string): Conn {
    // busy_timeout stays 0: SQLite's busy handler sleeps inside the call and
    // would freeze the whole event loop, including the request that holds the
    // lock. Waiting for locks happens asynchronously in withBusyRetry instead.
    const db = new Database(file, { timeout: 0 });
    db.defaultSafeIntegers(true);
    db.exec('PRAGMA synchronous = NORMAL');
    return new Conn(db);
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  close(): void {
    this.cache.clear();
    try {
      this.db.close();
    } catch {
      // Already closed or broken; nothing left to release.
    }
  }

  private prepare(sql: string): Prepared {
    const hit = this.cache.get(sql);
    if (hit !== undefined) {
      this.cache.delete(sql);
      this.cache.set(sql, hit);
      return hit;
    }
    const statements = splitStatements(sql);
    if (statements.length === 0) throw new StmtError('SQL string does not contain any statement', 'SQL_NO_STATEMENT');
    if (statements.length > 1) throw new StmtError('SQL string contains more than one statement', 'SQL_MANY_STATEMENTS');
    const stmt = this.db.prepare(sql);
    const reader = stmt.reader;
    // raw() throws on statements that return no data.
    if (reader) stmt.raw(true);
    const prepared: Prepared = {
      stmt,
      reader,
      returning: reader && /\bRETURNING\b/i.test(sql),
      tainting: TAINTING_KEYWORDS.has(statements[0]!.keyword) || TEMP.test(sql),
    };
    this.cache.set(sql, prepared);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return prepared;
  }

  private lastChange(): { changes: number; rowid: bigint } {
    this.meta ??= this.db.prepare('SELECT changes(), last_insert_rowid()').raw(true);
    const row = this.meta.get() as [bigint, bigint];
    return { changes: Number(row[0]), rowid: row[1] };
  }

  execute(sql: string, stmt: Stmt): StmtResult {
    if (stmt.args.length > 0 && stmt.namedArgs.length > 0) {
      throw new StmtError('Specifying both positional and named arguments is not supported', 'ARGS_BOTH_POSITIONAL_AND_NAMED');
    }
    const prepared = this.prepare(sql);
    if (prepared.tainting) this.tainted = true;
    const params = stmt.namedArgs.length > 0 ? namedParams(stmt.namedArgs) : stmt.args;
    const started = performance.now();
    let rows: Record<string, unknown>[][] = [];
    let affected = 0;
    let rowid: bigint | null = null;
    let cols: StmtResult['cols'] = [];
    if (prepared.reader) {
      cols = prepared.stmt.columns().map((c) => ({ name: c.name, decltype: c.type }));
      const raw = prepared.stmt.all(params) as unknown[][];
      if (stmt.wantRows) rows = raw.map((row) => row.map(encodeValue));
      if (prepared.returning) {
        const change = this.lastChange();
        affected = change.changes;
        rowid = change.rowid;
      }
    } else {
      const info = prepared.stmt.run(params);
      affected = info.changes;
      // The engine reports the rowid as a double; fetch it exactly when that loses bits.
      const id = info.lastInsertRowid;
      rowid = typeof id === 'bigint' ? id : Number.isSafeInteger(id) ? BigInt(id) : this.lastChange().rowid;
    }
    const duration = performance.now() - started;
    return {
      cols,
      rows,
      affected_row_count: affected,
      last_insert_rowid: rowid === null ? null : rowid.toString(),
      rows_read: prepared.reader ? rows.length : 0,
      rows_written: prepared.reader && !prepared.returning ? 0 : affected,
      query_duration_ms: Math.round(duration * 1000) / 1000,
    };
  }

  describe(sql: string): DescribeResult {
    const prepared = this.prepare(sql);
    const keyword = splitStatements(sql)[0]!.keyword;
    const cols = prepared.reader ? prepared.stmt.columns().map((c) => ({ name: c.name, decltype: c.type })) : [];
    return {
      params: parameterNames(sql).map((name) => ({ name })),
      cols,
      is_explain: keyword === 'EXPLAIN',
      is_readonly: keyword === 'EXPLAIN' || !this.writes(sql),
    };
  }

  // The engine does not expose sqlite3_stmt_readonly; the compiled program
  // tells the same story: a write needs a write transaction or a write cursor.
  private writes(sql: string): boolean {
    const program = this.db.prepare(`EXPLAIN ${sql}`).raw(true).all() as unknown[][];
    return program.some(
      (op) => (op[1] === 'Transaction' && op[3] !== 0n) || op[1] === 'OpenWrite' || op[1] === 'VCreate' || op[1] === 'VDestroy',
    );
  }

  // Each statement runs separately so a busy lock can be retried without
  // replaying the statements before it.
  statements(sql: string): { text: string; run: () => void }[] {
    return splitStatements(sql).map(({ text, keyword }) => ({
      text,
      run: () => {
        if (TAINTING_KEYWORDS.has(keyword) || TEMP.test(text)) this.tainted = true;
        this.db.exec(text);
      },
    }));
  }
}

// The engine binds object keys by parameter name without its prefix.
function namedParams(args: Stmt['namedArgs']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, value } of args) out[name.replace(/^[:@$]/, '')] = value;
  return out;
}

export class ConnPool {
  private readonly idle: Conn[] = [];
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly max = 8,
  ) {}

  acquire(): Conn {
    if (this.closed) throw new Error('connection pool is closed');
    return this.idle.pop() ?? Conn.open(this.file);
  }

  release(conn: Conn): void {
    if (conn.inTransaction) {
      try {
        conn.exec('ROLLBACK');
      } catch {
        conn.tainted = true;
      }
    }
    if (conn.tainted || this.closed || this.idle.length >= this.max) conn.close();
    else this.idle.push(conn);
  }

  close(): void {
    this.closed = true;
    for (const conn of this.idle.splice(0)) conn.close();
  }
}

const BUSY = 5;
const BUSY_SNAPSHOT = 517;

function isRetryableBusy(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const raw = (err as { rawCode?: unknown }).rawCode;
  // A stale WAL snapshot stays stale however long we wait.
  return typeof raw === 'number' && (raw & 0xff) === BUSY && raw !== BUSY_SNAPSHOT;
}

// Runs `run` until it stops failing with SQLITE_BUSY or the budget runs out.
// A busy statement has no effect, so running it again is safe.
export async function withBusyRetry<T>(run: () => T, budgetMs: number, stopped: () => boolean): Promise<T> {
  const deadline = Date.now() + budgetMs;
  let wait = 2;
  for (;;) {
    try {
      return run();
    } catch (err) {
      if (!isRetryableBusy(err) || stopped() || Date.now() + wait > deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 50);
  }
}
