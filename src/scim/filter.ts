// The filter grammar of RFC 7644 §3.4.2.2 and the PATCH path grammar of §3.5.2,
// parsed into a small tree. Work is bounded: a length, a nesting depth and a
// number of comparisons, so a hostile filter costs little.
import { ScimError } from '../errors.ts';

export const MAX_FILTER_LENGTH = 1000;
export const MAX_FILTER_DEPTH = 8;
export const MAX_FILTER_TERMS = 50;

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type CompareValue = string | number | boolean | null;

/** `[uri ":"] attr ["." sub]`; names as written (they are case-insensitive). */
export interface AttrPath {
  uri: string | null;
  attr: string;
  sub: string | null;
}

export type Filter =
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'compare'; op: CompareOp; path: AttrPath; value: CompareValue }
  | { kind: 'valuePath'; path: AttrPath; filter: Filter };

/** A PATCH target: `attrPath` or `attr[valFilter]` with an optional `.sub`. */
export interface PatchPath {
  path: AttrPath;
  filter: Filter | null;
}

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const ATTR_NAME = '(?:[A-Za-z][\\w-]*|\\$ref)';
const ATTR_PATH = new RegExp(`^(${ATTR_NAME})(?:\\.(${ATTR_NAME}))?$`);

type Token = { type: '(' | ')' | '[' | ']' } | { type: 'string' | 'word'; value: string };

const invalidFilter = (detail: string) => new ScimError(400, `invalid filter: ${detail}`, 'invalidFilter');

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      tokens.push({ type: ch });
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw invalidFilter('unterminated string');
      try {
        tokens.push({ type: 'string', value: JSON.parse(text.slice(i, j + 1)) as string });
      } catch {
        throw invalidFilter('malformed string');
      }
      i = j + 1;
    } else {
      const m = /^[^\s()[\]"]+/.exec(text.slice(i))!;
      tokens.push({ type: 'word', value: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

export function parseAttrPath(word: string): AttrPath {
  let uri: string | null = null;
  let rest = word;
  if (/^urn:/i.test(word)) {
    const colon = word.lastIndexOf(':');
    uri = word.slice(0, colon);
    rest = word.slice(colon + 1);
  }
  const m = ATTR_PATH.exec(rest);
  if (!m) throw invalidFilter(`"${word.slice(0, 100)}" is not an attribute path`);
  return { uri, attr: m[1]!, sub: m[2] ?? null };
}

class Parser {
  private pos = 0;
  private terms = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Filter {
    const filter = this.or(0, false);
    if (this.pos < this.tokens.length) throw invalidFilter('unexpected text after the expression');
    return filter;
  }

  peekWord(): string | null {
    const t = this.tokens[this.pos];
    return t?.type === 'word' ? t.value.toLowerCase() : null;
  }

  expect(type: '(' | ')' | '[' | ']'): void {
    if (this.tokens[this.pos]?.type !== type) throw invalidFilter(`expected "${type}"`);
    this.pos++;
  }

  or(depth: number, inValuePath: boolean): Filter {
    let left = this.and(depth, inValuePath);
    while (this.peekWord() === 'or') {
      this.pos++;
      left = { kind: 'or', left, right: this.and(depth, inValuePath) };
    }
    return left;
  }

  and(depth: number, inValuePath: boolean): Filter {
    let left = this.unary(depth, inValuePath);
    while (this.peekWord() === 'and') {
      this.pos++;
      left = { kind: 'and', left, right: this.unary(depth, inValuePath) };
    }
    return left;
  }

  unary(depth: number, inValuePath: boolean): Filter {
    if (depth >= MAX_FILTER_DEPTH) throw invalidFilter(`nested deeper than ${MAX_FILTER_DEPTH}`);
    const token = this.tokens[this.pos];
    if (token?.type === '(' || this.peekWord() === 'not') {
      const negated = token?.type === 'word';
      if (negated) this.pos++;
      this.expect('(');
      const inner = this.or(depth + 1, inValuePath);
      this.expect(')');
      return negated ? { kind: 'not', filter: inner } : inner;
    }
    if (token?.type !== 'word') throw invalidFilter('expected an attribute path');
    this.pos++;
    const path = parseAttrPath(token.value);
    if (this.tokens[this.pos]?.type === '[') {
      // RFC 7644 §3.4.2.2: valFilter holds no further valuePath.
      if (inValuePath || path.sub) throw invalidFilter('a value filter cannot nest');
      this.pos++;
      const filter = this.or(depth + 1, true);
      this.expect(']');
      return { kind: 'valuePath', path, filter };
    }
    return this.comparison(path);
  }

  comparison(path: AttrPath): Filter {
    if (++this.terms > MAX_FILTER_TERMS) throw invalidFilter(`more than ${MAX_FILTER_TERMS} comparisons`);
    const op = this.peekWord();
    if (op === 'pr') {
      this.pos++;
      return { kind: 'present', path };
    }
    if (!op || !COMPARE_OPS.has(op)) throw invalidFilter('expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)');
    this.pos++;
    return { kind: 'compare', op: op as CompareOp, path, value: this.value() };
  }

  value(): CompareValue {
    const token = this.tokens[this.pos++];
    if (token?.type === 'string') return token.value;
    if (token?.type === 'word') {
      const word = token.value.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
      if (NUMBER.test(word)) return Number(word);
    }
    throw invalidFilter('expected a value: a quoted string, number, true, false or null');
  }

  /** RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr]. */
  patchPath(): PatchPath {
    const token = this.tokens[this.pos++];
    if (token?.type !== 'word') throw invalidFilter('expected an attribute path');
    const path = parseAttrPath(token.value);
    if (this.pos === this.tokens.length) return { path, filter: null };
    this.expect('[');
    if (path.sub) throw invalidFilter('a value filter follows an attribute, not a sub-attribute');
    const filter = this.or(1, true);
    this.expect(']');
    const rest = this.tokens[this.pos++];
    if (rest?.type === 'word' && /^\.[^.]+$/.test(rest.value) && this.pos === this.tokens.length) {
      const sub = parseAttrPath(rest.value.slice(1));
      if (sub.uri || sub.sub) throw invalidFilter('expected a sub-attribute after "]"');
      return { path: { ...path, sub: sub.attr }, filter };
    }
    if (rest) throw invalidFilter('unexpected text after "]"');
    return { path, filter };
  }
}

function bounded(text: string): Token[] {
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`longer than ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(text);
  if (tokens.length === 0) throw invalidFilter('empty');
  return tokens;
}

export function parseFilter(text: string): Filter {
  return new Parser(bounded(text)).parse();
}

/** Parses a PATCH `path`; its errors are `invalidPath` (RFC 7644 §3.12). */
export function parsePatchPath(text: string): PatchPath {
  try {
    return new Parser(bounded(text)).patchPath();
  } catch (err) {
    if (err instanceof ScimError) throw new ScimError(400, err.detail.replace('invalid filter', 'invalid path'), 'invalidPath');
    throw err;
  }
}
