// A small SQL lexer. sqld parses every statement before running it; the libsql
// engine silently ignores anything after the first statement, so without this
// an `execute` of "A; B" would run only A here but fail in production.

interface SqlStatement {
  text: string;
  // Upper-cased first keyword, '' when the statement starts with something else.
  keyword: string;
}

type Token =
  | { kind: 'word'; upper: string; start: number; end: number }
  | { kind: 'param'; name: string | null; index: number | null; start: number; end: number }
  | { kind: 'semicolon'; start: number; end: number }
  | { kind: 'other'; start: number; end: number };

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const PARAM_NAME_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

function skipQuoted(sql: string, from: number, close: string): number {
  let i = from + 1;
  while (i < sql.length) {
    if (sql[i] === close) {
      // A doubled quote is an escaped quote, not the end.
      if (close !== ']' && sql[i + 1] === close) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

function* tokens(sql: string): Generator<Token> {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
      yield { kind: 'other', start, end: i };
    } else if (c === '[') {
      i = skipQuoted(sql, i, ']');
      yield { kind: 'other', start, end: i };
    } else if (c === ';') {
      i++;
      yield { kind: 'semicolon', start, end: i };
    } else if (c === '?') {
      i++;
      while (i < sql.length && sql[i]! >= '0' && sql[i]! <= '9') i++;
      const digits = sql.slice(start + 1, i);
      yield digits === ''
        ? { kind: 'param', name: null, index: null, start, end: i }
        : { kind: 'param', name: sql.slice(start, i), index: Number(digits), start, end: i };
    } else if ((c === ':' || c === '@' || c === '$') && PARAM_NAME_PART.test(sql[i + 1] ?? '')) {
      i++;
      while (i < sql.length && PARAM_NAME_PART.test(sql[i]!)) i++;
      yield { kind: 'param', name: sql.slice(start, i), index: null, start, end: i };
    } else if (WORD_START.test(c)) {
      while (i < sql.length && WORD_PART.test(sql[i]!)) i++;
      yield { kind: 'word', upper: sql.slice(start, i).toUpperCase(), start, end: i };
    } else {
      i++;
      yield { kind: 'other', start, end: i };
    }
  }
}

// Splits SQL text into statements, dropping empty ones (bare `;`, comments).
// Trigger bodies contain semicolons, so inside CREATE TRIGGER ... BEGIN the
// statement only ends after the matching END (CASE ... END nests inside).
export function splitStatements(sql: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = -1;
  let words: string[] = [];
  let trigger = false;
  let depth = 0;
  const finish = (end: number) => {
    if (start !== -1) out.push({ text: sql.slice(start, end), keyword: words[0] ?? '' });
    start = -1;
    words = [];
    trigger = false;
    depth = 0;
  };
  for (const token of tokens(sql)) {
    if (token.kind === 'semicolon') {
      if (trigger && depth > 0) continue;
      finish(token.start);
      continue;
    }
    if (start === -1) start = token.start;
    if (token.kind !== 'word') {
      if (words.length < 3) words.push('');
      continue;
    }
    if (words.length < 3) {
      words.push(token.upper);
      trigger =
        words[0] === 'CREATE' &&
        (words[1] === 'TRIGGER' || ((words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER'));
    }
    if (!trigger) continue;
    if (token.upper === 'BEGIN' && depth === 0) depth = 1;
    else if (token.upper === 'CASE' && depth > 0) depth++;
    else if (token.upper === 'END' && depth > 0) depth--;
  }
  finish(sql.length);
  return out;
}

// Parameter names the way sqlite3_bind_parameter_name reports them: index i
// holds the name of parameter i+1, null for anonymous `?`.
export function parameterNames(sql: string): (string | null)[] {
  const names: (string | null)[] = [];
  const named = new Map<string, number>();
  let max = 0;
  for (const token of tokens(sql)) {
    if (token.kind !== 'param') continue;
    let index: number;
    if (token.index !== null) {
      index = token.index;
    } else if (token.name !== null) {
      index = named.get(token.name) ?? max + 1;
      named.set(token.name, index);
    } else {
      index = max + 1;
    }
    max = Math.max(max, index);
    while (names.length < index) names.push(null);
    if (token.name !== null) names[index - 1] = token.name;
  }
  return names;
}
