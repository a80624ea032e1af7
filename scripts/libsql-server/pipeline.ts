// Executes the requests of one pipeline on a stream, in order.
import type { Stream, Streams } from './batons.ts';
import { withBusyRetry, type StmtResult } from './connection.ts';
import { ProtocolError, StmtError, type BatchCond, type ProtoError, type Stmt, type StreamRequest } from './protocol.ts';

export interface PipelineContext {
  streams: Streams;
  busyTimeoutMs: number;
  stopped: () => boolean;
  log: (line: Record<string, unknown>) => void;
}

type Json = Record<string, unknown>;
type Outcome = 'ok' | 'error' | undefined;

// sqld's limit; the client's SQL cache stays well below it.
const MAX_STORED_SQL = 50;

const ok = (response: Json): Json => ({ type: 'ok', response });
const failed = (error: ProtoError): Json => ({ type: 'error', error });

export async function runPipeline(ctx: PipelineContext, stream: Stream, requests: StreamRequest[]): Promise<Json[]> {
  const results: Json[] = [];
  for (const request of requests) {
    if (stream.closed) throw new ProtocolError('The stream was closed by an earlier request', 'STREAM_CLOSED');
    results.push(await handle(ctx, stream, request));
  }
  return results;
}

function resolveSql(stream: Stream, sql: string | undefined, sqlId: number | undefined): string {
  if (sql !== undefined && sqlId !== undefined) throw new ProtocolError('Only one of sql and sql_id may be given');
  if (sql !== undefined) return sql;
  if (sqlId === undefined) throw new ProtocolError('One of sql and sql_id must be given');
  const stored = stream.sqls.get(sqlId);
  if (stored === undefined) throw new ProtocolError(`SQL text ${sqlId} is not stored on this stream`, 'SQL_NOT_FOUND');
  return stored;
}

async function handle(ctx: PipelineContext, stream: Stream, request: StreamRequest): Promise<Json> {
  const retry = <T>(run: () => T) => withBusyRetry(run, ctx.busyTimeoutMs, ctx.stopped);
  switch (request.type) {
    case 'close':
      stream.closed = true;
      return ok({ type: 'close' });
    case 'store_sql':
      if (stream.sqls.has(request.sqlId)) throw new ProtocolError(`SQL text ${request.sqlId} is already stored`, 'SQL_EXISTS');
      if (stream.sqls.size >= MAX_STORED_SQL) {
        return failed({ message: `The server already stores ${MAX_STORED_SQL} SQL texts, it cannot store more`, code: 'SQL_STORE_TOO_MANY' });
      }
      stream.sqls.set(request.sqlId, request.sql);
      return ok({ type: 'store_sql' });
    case 'close_sql':
      stream.sqls.delete(request.sqlId);
      return ok({ type: 'close_sql' });
    case 'get_autocommit':
      return ok({ type: 'get_autocommit', is_autocommit: !(stream.conn?.inTransaction ?? false) });
    case 'execute': {
      const sql = resolveSql(stream, request.stmt.sql, request.stmt.sqlId);
      try {
        const conn = ctx.streams.connection(stream);
        const result = await retry(() => conn.execute(sql, request.stmt));
        return ok({ type: 'execute', result });
      } catch (err) {
        return failed(toProtoError(err, ctx.log));
      }
    }
    case 'batch':
      return ok({ type: 'batch', result: await runBatch(ctx, stream, request.steps) });
    case 'sequence': {
      const sql = resolveSql(stream, request.sql, request.sqlId);
      try {
        const conn = ctx.streams.connection(stream);
        for (const statement of conn.statements(sql)) await retry(statement.run);
        return ok({ type: 'sequence' });
      } catch (err) {
        return failed(toProtoError(err, ctx.log));
      }
    }
    case 'describe': {
      const sql = resolveSql(stream, request.sql, request.sqlId);
      try {
        const conn = ctx.streams.connection(stream);
        return ok({ type: 'describe', result: await retry(() => conn.describe(sql)) });
      } catch (err) {
        return failed(toProtoError(err, ctx.log));
      }
    }
  }
}

async function runBatch(ctx: PipelineContext, stream: Stream, steps: { condition?: BatchCond; stmt: Stmt }[]) {
  // Resolve every sql_id first so a bad reference fails the request before
  // any step has run, as in sqld.
  const sqls = steps.map((step) => resolveSql(stream, step.stmt.sql, step.stmt.sqlId));
  const outcomes: Outcome[] = [];
  const stepResults: (StmtResult | null)[] = [];
  const stepErrors: (ProtoError | null)[] = [];
  for (const [i, step] of steps.entries()) {
    if (step.condition !== undefined && !evaluate(step.condition, outcomes, stream)) {
      outcomes.push(undefined);
      stepResults.push(null);
      stepErrors.push(null);
      continue;
    }
    try {
      const conn = ctx.streams.connection(stream);
      const result = await withBusyRetry(() => conn.execute(sqls[i]!, step.stmt), ctx.busyTimeoutMs, ctx.stopped);
      outcomes.push('ok');
      stepResults.push(result);
      stepErrors.push(null);
    } catch (err) {
      outcomes.push('error');
      stepResults.push(null);
      stepErrors.push(toProtoError(err, ctx.log));
    }
  }
  return { step_results: stepResults, step_errors: stepErrors };
}

// A condition on a step that has not run (skipped, or later in the batch) is
// false for both `ok` and `error`, as the spec says.
function evaluate(cond: BatchCond, outcomes: Outcome[], stream: Stream): boolean {
  switch (cond.type) {
    case 'ok':
      return outcomes[cond.step] === 'ok';
    case 'error':
      return outcomes[cond.step] === 'error';
    case 'not':
      return !evaluate(cond.cond, outcomes, stream);
    case 'and':
      return cond.conds.every((c) => evaluate(c, outcomes, stream));
    case 'or':
      return cond.conds.some((c) => evaluate(c, outcomes, stream));
    case 'is_autocommit':
      return !(stream.conn?.inTransaction ?? false);
  }
}

const PRIMARY_CODES = [
  '', 'ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT', 'IOERR', 'CORRUPT',
  'NOTFOUND', 'FULL', 'CANTOPEN', 'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG', 'CONSTRAINT', 'MISMATCH', 'MISUSE', 'NOLFS',
  'AUTH', 'FORMAT', 'RANGE', 'NOTADB', 'NOTICE', 'WARNING',
];
const PARSE_FAILURE = /syntax error|incomplete input|unrecognized token/;

// Errors are reported the way sqld reports them: the primary result code
// (SQLITE_CONSTRAINT, not SQLITE_CONSTRAINT_UNIQUE) with the detail in the
// message, and SQL_PARSE_ERROR for text sqld's parser would reject up front.
function toProtoError(err: unknown, log: PipelineContext['log']): ProtoError {
  if (err instanceof StmtError) return { message: err.message, code: err.code };
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  if (err instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_')) {
    const raw = (err as { rawCode?: unknown }).rawCode;
    const primary =
      typeof raw === 'number' && PRIMARY_CODES[raw & 0xff] ? `SQLITE_${PRIMARY_CODES[raw & 0xff]}` : code.split('_', 2).join('_');
    if (primary === 'SQLITE_ERROR' && PARSE_FAILURE.test(err.message)) {
      return { message: `SQL string could not be parsed: ${err.message}`, code: 'SQL_PARSE_ERROR' };
    }
    return { message: `SQLite error: ${err.message}`, code: primary };
  }
  log({ msg: 'internal error while executing a request', error: err instanceof Error ? err.message : String(err) });
  return { message: 'Internal server error', code: 'INTERNAL_ERROR' };
}
