// Structured JSON logs, one line an event. Callers pass only safe fields:
// never a secret, token, code or password.

type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const SECRET_KEYS = /(secret|token|password|authorization|cookie|code_verifier|assertion|^code$)/i;

// Deeper than any event we log; below it a value is dropped rather than walked.
const MAX_DEPTH = 6;

// A last line of defence: fields whose names look secret are masked even when a
// caller forgets, at any depth (audit details and jobs are logged as nested objects).
export function redact(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redactValue(v, depth + 1);
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  // Dates and the like serialise themselves.
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  return redact(value as LogFields, depth);
}

const LEVELS = { info: 0, warn: 1, error: 2 } as const;
export type LogLevel = keyof typeof LEVELS;

export function createLogger(
  write: (line: string) => void = (l) => console.log(l),
  options: { level?: LogLevel; base?: LogFields } = {},
): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const emit = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    if (LEVELS[level] < threshold) return;
    // time, level and msg first for readers, and last in the spread so no field can forge them.
    const line = { time: '', level, msg, ...options.base, ...redact(fields) };
    write(JSON.stringify(Object.assign(line, { time: new Date().toISOString(), level, msg })));
  };
  return {
    info: (msg, f) => emit('info', msg, f),
    warn: (msg, f) => emit('warn', msg, f),
    error: (msg, f) => emit('error', msg, f),
  };
}
