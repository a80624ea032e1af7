// `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which of a
// User's attributes a response carries. Names are case-insensitive (RFC 7643
// §2.1), may carry their schema URN (extension attributes must, RFC 7644 §3.10)
// and may name a sub-attribute (`name.familyName`). Attributes returned
// "always" (schemas, id, userName) are always returned; unknown names select nothing.
import { ScimError } from '../errors.ts';
import { COMMON_ATTRIBUTES, CORE_ATTRIBUTES, RBAC_ATTRIBUTES, findAttribute, type AttributeDef } from './attributes.ts';
import { parseAttrPath } from './filter.ts';
import { CORE_USER, RBAC_USER } from './urns.ts';

type Json = Record<string, unknown>;
type Container = 'core' | 'rbac';

/** Per attribute: the whole of it (null), or only these sub-attributes. */
type Selection = Map<string, Set<string> | null>;

export interface Projection {
  attributes: Record<Container, Selection> | null;
  excludedAttributes: Record<Container, Selection> | null;
}

export const MAX_ATTRIBUTE_LIST = 100;

const CORE_DEFS = [...COMMON_ATTRIBUTES, ...CORE_ATTRIBUTES];
const invalidValue = (detail: string) => new ScimError(400, detail, 'invalidValue');
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function select(into: Record<Container, Selection>, container: Container, def: AttributeDef, sub: string | null): void {
  const current = into[container].get(def.name);
  if (sub === null) into[container].set(def.name, null);
  else if (current !== null) into[container].set(def.name, new Set([...(current ?? []), sub]));
}

function addName(into: Record<Container, Selection>, name: string): void {
  const lower = name.toLowerCase();
  // A schema URN alone names every attribute of that schema.
  if (lower === RBAC_USER.toLowerCase()) return void RBAC_ATTRIBUTES.forEach((d) => select(into, 'rbac', d, null));
  if (lower === CORE_USER.toLowerCase()) return void CORE_DEFS.forEach((d) => select(into, 'core', d, null));
  let path;
  try {
    path = parseAttrPath(name);
  } catch {
    throw invalidValue(`"${name.slice(0, 100)}" is not an attribute name`);
  }
  const uri = path.uri?.toLowerCase() ?? null;
  const container: Container | null = uri === null || uri === CORE_USER.toLowerCase() ? 'core' : uri === RBAC_USER.toLowerCase() ? 'rbac' : null;
  if (!container) return;
  const def = findAttribute(container === 'core' ? CORE_DEFS : RBAC_ATTRIBUTES, path.attr);
  if (!def) return;
  if (path.sub === null) return select(into, container, def, null);
  const sub = def.subAttributes && findAttribute(def.subAttributes, path.sub);
  // Open sub-attributes (membership kinds) are data: lower-case by rule.
  if (sub) select(into, container, def, sub.name);
  else if (def.openSubAttributes) select(into, container, def, path.sub.toLowerCase());
}

/** A comma-separated list (query) or an array of names (SearchRequest body). */
export function parseAttributeList(value: string | string[] | undefined): Record<Container, Selection> | null {
  if (value === undefined) return null;
  const names = (Array.isArray(value) ? value : value.split(',')).map((n) => n.trim()).filter(Boolean);
  if (names.length > MAX_ATTRIBUTE_LIST) throw invalidValue(`at most ${MAX_ATTRIBUTE_LIST} attribute names`);
  const into: Record<Container, Selection> = { core: new Map(), rbac: new Map() };
  for (const name of names) addName(into, name);
  return into;
}

function pickSubs(value: unknown, subs: Set<string>, keep: boolean): unknown {
  const pick = (o: unknown) => (isObject(o) ? Object.fromEntries(Object.entries(o).filter(([k]) => subs.has(k) === keep)) : o);
  return Array.isArray(value) ? value.map(pick).filter((e) => !isObject(e) || Object.keys(e).length > 0) : pick(value);
}

const isEmpty = (v: unknown) => (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);

function projectLevel(doc: Json, defs: AttributeDef[], include: Selection | null, exclude: Selection | null): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(doc)) {
    const def = findAttribute(defs, key);
    if (!def) continue;
    if (def.returned === 'always') {
      out[key] = value;
      continue;
    }
    let v: unknown = value;
    if (include) {
      if (!include.has(def.name)) continue;
      const subs = include.get(def.name);
      if (subs) v = pickSubs(v, subs, true);
    }
    if (exclude?.has(def.name)) {
      const subs = exclude.get(def.name);
      if (!subs) continue;
      v = pickSubs(v, subs, false);
    }
    if (!isEmpty(v) || isEmpty(value)) out[key] = v;
  }
  return out;
}

/** The User's JSON with only what the client asked for. */
export function projectUser(user: Json, projection: Projection): Json {
  const { attributes, excludedAttributes } = projection;
  if (!attributes && !excludedAttributes) return user;
  const out = projectLevel(user, CORE_DEFS, attributes?.core ?? null, excludedAttributes?.core ?? null);
  const ext = user[RBAC_USER];
  if (isObject(ext)) {
    const projected = projectLevel(ext, RBAC_ATTRIBUTES, attributes?.rbac ?? null, excludedAttributes?.rbac ?? null);
    if (Object.keys(projected).length > 0) out[RBAC_USER] = projected;
  }
  return out;
}
