// Hrana (v2/v3 over HTTP, JSON encoding) wire structures and their decoding.
// Field names follow the spec and @libsql/hrana-client's JSON encoder.

type SqlValue = null | bigint | number | string | Uint8Array;

export interface Stmt {
  sql?: string;
  sqlId?: number;
  args: SqlValue[];
  namedArgs: { name: string; value: SqlValue }[];
  wantRows: boolean;
}

export type BatchCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and' | 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };

interface BatchStep {
  condition?: BatchCond;
  stmt: Stmt;
}

export type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; steps: BatchStep[] }
  | { type: 'sequence' | 'describe'; sql?: string; sqlId?: number }
  | { type: 'store_sql'; sqlId: number; sql: string }
  | { type: 'close_sql'; sqlId: number }
  | { type: 'get_autocommit' };

interface PipelineRequest {
  baton: string | null;
  requests: StreamRequest[];
}

export interface ProtoError {
  message: string;
  code: string;
}

// A request the server cannot process at all: HTTP 4xx, the stream is dropped.
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code = 'PROTOCOL_ERROR',
    readonly status = 400,
  ) {
    super(message);
  }
}

// A statement-level failure that goes back to the client inside the results.
export class StmtError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`${what} must be an object`);
  }
  return value as Json;
}

function array(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ProtocolError(`${what} must be an array`);
  return value;
}

function optString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ProtocolError(`${what} must be a string`);
  return value;
}

function int32(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new ProtocolError(`${what} must be a 32-bit integer`);
  }
  return value;
}

function optInt32(value: unknown, what: string): number | undefined {
  return value === undefined || value === null ? undefined : int32(value, what);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeValue(raw: unknown): SqlValue {
  const obj = object(raw, 'value');
  switch (obj['type']) {
    case 'null':
      return null;
    case 'integer': {
      const text = obj['value'];
      if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text)) {
        throw new ProtocolError('integer value must be a decimal string');
      }
      const value = BigInt(text);
      if (value < INT64_MIN || value > INT64_MAX) throw new ProtocolError('integer value is out of 64-bit range');
      return value;
    }
    case 'float': {
      const value = obj['value'];
      if (typeof value !== 'number') throw new ProtocolError('float value must be a number');
      return value;
    }
    case 'text': {
      const value = obj['value'];
      if (typeof value !== 'string') throw new ProtocolError('text value must be a string');
      return value;
    }
    case 'blob': {
      const base64 = obj['base64'];
      if (typeof base64 !== 'string' || !BASE64.test(base64)) throw new ProtocolError('blob value must be base64');
      return Buffer.from(base64, 'base64');
    }
    default:
      throw new ProtocolError('unknown value type');
  }
}

export function encodeValue(value: unknown): Json {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') {
    // Safe-integer mode returns every SQLite INTEGER as a bigint, so a number
    // is always a REAL, even when it has no fractional part.
    return { type: 'float', value };
  }
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) {
    return { type: 'blob', base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  return { type: 'text', value: String(value) };
}

function decodeStmt(raw: unknown): Stmt {
  const obj = object(raw, 'stmt');
  const stmt: Stmt = {
    sql: optString(obj['sql'], 'stmt.sql'),
    sqlId: optInt32(obj['sql_id'], 'stmt.sql_id'),
    args: array(obj['args'], 'stmt.args').map(decodeValue),
    namedArgs: array(obj['named_args'], 'stmt.named_args').map((arg) => {
      const named = object(arg, 'named arg');
      const name = optString(named['name'], 'named arg name');
      if (name === undefined) throw new ProtocolError('named arg must have a name');
      return { name, value: decodeValue(named['value']) };
    }),
    wantRows: obj['want_rows'] === undefined || obj['want_rows'] === null ? true : obj['want_rows'] === true,
  };
  return stmt;
}

function decodeCond(raw: unknown, depth = 0): BatchCond {
  // Conditions nest; a bound keeps a hostile body from exhausting the stack.
  if (depth > 100) throw new ProtocolError('batch condition is nested too deeply');
  const obj = object(raw, 'condition');
  const type = obj['type'];
  switch (type) {
    case 'ok':
    case 'error': {
      const step = int32(obj['step'], 'condition step');
      if (step < 0) throw new ProtocolError('condition step must not be negative', 'BATCH_COND_BAD_STEP');
      return { type, step };
    }
    case 'not':
      return { type, cond: decodeCond(obj['cond'], depth + 1) };
    case 'and':
    case 'or':
      return { type, conds: array(obj['conds'], 'condition conds').map((c) => decodeCond(c, depth + 1)) };
    case 'is_autocommit':
      return { type };
    default:
      throw new ProtocolError('unknown batch condition type');
  }
}

function decodeRequest(raw: unknown): StreamRequest {
  const obj = object(raw, 'request');
  const type = obj['type'];
  switch (type) {
    case 'close':
    case 'get_autocommit':
      return { type };
    case 'execute':
      return { type, stmt: decodeStmt(obj['stmt']) };
    case 'batch': {
      const batch = object(obj['batch'], 'batch');
      const steps = array(batch['steps'], 'batch.steps').map((rawStep) => {
        const step = object(rawStep, 'batch step');
        const condition = step['condition'] === undefined || step['condition'] === null ? undefined : decodeCond(step['condition']);
        return { condition, stmt: decodeStmt(step['stmt']) };
      });
      return { type, steps };
    }
    case 'sequence':
    case 'describe':
      return { type, sql: optString(obj['sql'], 'sql'), sqlId: optInt32(obj['sql_id'], 'sql_id') };
    case 'store_sql': {
      const sql = optString(obj['sql'], 'sql');
      if (sql === undefined) throw new ProtocolError('store_sql needs sql');
      return { type, sqlId: int32(obj['sql_id'], 'sql_id'), sql };
    }
    case 'close_sql':
      return { type, sqlId: int32(obj['sql_id'], 'sql_id') };
    default:
      throw new ProtocolError(`unknown request type ${JSON.stringify(String(type))}`);
  }
}

export function decodePipeline(raw: unknown): PipelineRequest {
  const body = object(raw, 'pipeline body');
  const baton = optString(body['baton'], 'baton') ?? null;
  if (!Array.isArray(body['requests'])) throw new ProtocolError('requests must be an array');
  return { baton, requests: body['requests'].map(decodeRequest) };
}
