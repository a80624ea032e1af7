// Structured JSON logs, one line an event. Callers pass only safe fields:
// never a secret, token, code or password.

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const SECRET_KEYS = /(secret|token|password|authorization|cookie|code_verifier|assertion|^code$)/i;

// A last line of defence: fields whose names look secret are masked even when a
// caller forgets.
export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : v;
  return out;
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
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...options.base, ...redact(fields) }));
  };
  return {
    info: (msg, f) => emit('info', msg, f),
    warn: (msg, f) => emit('warn', msg, f),
    error: (msg, f) => emit('error', msg, f),
  };
}
