// Applies PatchOp operations (RFC 7644 §3.5.2) to a User's JSON, in memory.
// The result is validated and written like a PUT, so PATCH and PUT share one
// set of rules for what a User may be.
import { ScimError } from '../errors.ts';
import { canonicalValue, findAttribute, type AttributeDef } from './attributes.ts';
import type { Filter } from './filter.ts';
import { matchesValueFilter } from './filter-match.ts';
import { resolvePatchTarget, type PatchTarget } from './patch-target.ts';
import type { PatchOperation } from './user-schema.ts';
import { RBAC_USER } from './urns.ts';

type Json = Record<string, unknown>;
type Op = PatchOperation['op'];

const invalidValue = (detail: string) => new ScimError(400, detail, 'invalidValue');
const noTarget = (detail: string) => new ScimError(400, detail, 'noTarget');

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function objectValue(def: AttributeDef, value: unknown): Json {
  const canonical = canonicalValue(def, value);
  if (!isObject(canonical)) throw invalidValue(`${def.name}: value must be an object`);
  return canonical;
}

/** For `add` on `attr[a eq "x" and b eq "y"].sub` with no match: the value that filter describes. */
function valueDescribedBy(filter: Filter, defs: AttributeDef[], into: Json): boolean {
  if (filter.kind === 'and') return valueDescribedBy(filter.left, defs, into) && valueDescribedBy(filter.right, defs, into);
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.path.uri || filter.path.sub) return false;
  const def = findAttribute(defs, filter.path.attr);
  if (!def) return false;
  into[def.name] = filter.value;
  return true;
}

/** `current` with the values of `incoming` not already there (RFC 7644 §3.5.2.1). */
function union(current: unknown, incoming: unknown): unknown[] {
  const existing = Array.isArray(current) ? current : [];
  return [...existing, ...asArray(incoming).filter((v) => !existing.some((c) => deepEqual(c, v)))];
}

/** Does a value of a multi-valued attribute match what a client asked to remove? */
function describedBy(element: unknown, removal: unknown): boolean {
  if (!isObject(removal) || !isObject(element)) return deepEqual(element, removal);
  return Object.entries(removal).every(([k, v]) => deepEqual(element[k], v));
}

function setSub(element: Json, sub: AttributeDef, op: Op, value: unknown): void {
  if (op === 'remove') delete element[sub.name];
  else if (sub.multiValued && op === 'add') element[sub.name] = union(element[sub.name], value);
  else element[sub.name] = value;
}

function mergeInto(target: Json, def: AttributeDef, value: unknown): void {
  for (const [k, v] of Object.entries(objectValue(def, value))) {
    if (v === null) delete target[k];
    else target[k] = v;
  }
}

function applyToValues(container: Json, def: AttributeDef, target: PatchTarget, op: Op, value: unknown): void {
  const values = Array.isArray(container[def.name]) ? (container[def.name] as unknown[]) : [];
  const subDefs = def.subAttributes ?? [];
  const matched = values.filter((v) => matchesValueFilter(target.filter!, v, subDefs));
  if (op === 'remove') {
    if (!target.sub) container[def.name] = values.filter((v) => !matched.includes(v));
    else for (const v of matched) if (isObject(v)) setSub(v, target.sub, op, undefined);
  } else if (matched.length === 0) {
    const created: Json = {};
    // RFC 7644 §3.5.2.3: replace must find a value; add may create the one the filter names.
    if (op === 'replace' || !valueDescribedBy(target.filter!, subDefs, created)) {
      throw noTarget(`no value of ${def.name} matches the filter`);
    }
    if (target.sub) setSub(created, target.sub, op, value);
    else Object.assign(created, objectValue(def, value));
    container[def.name] = [...values, created];
  } else if (target.sub) {
    for (const v of matched) if (isObject(v)) setSub(v, target.sub, op, value);
  } else {
    const replacement = objectValue(def, value);
    container[def.name] = values.map((v) => {
      if (!matched.includes(v)) return v;
      if (op === 'replace') return structuredClone(replacement);
      const merged = { ...(v as Json) };
      mergeInto(merged, def, replacement);
      return merged;
    });
  }
  const after = container[def.name];
  if (Array.isArray(after) && after.length === 0) delete container[def.name];
}

function applyToAttribute(container: Json, target: PatchTarget, op: Op, value: unknown): void {
  const def = target.def!;
  if (target.filter) return applyToValues(container, def, target, op, value);
  if (target.sub) {
    const parent = isObject(container[def.name]) ? (container[def.name] as Json) : {};
    setSub(parent, target.sub, op, value);
    if (Object.keys(parent).length > 0) container[def.name] = parent;
    else delete container[def.name];
  } else if (op === 'remove' && def.multiValued && value !== undefined && value !== null) {
    // Some clients name the values to remove in `value` rather than in a filter.
    const removals = asArray(canonicalValue(def, value));
    const values = Array.isArray(container[def.name]) ? (container[def.name] as unknown[]) : [];
    const kept = values.filter((v) => !removals.some((r) => describedBy(v, r)));
    if (kept.length > 0) container[def.name] = kept;
    else delete container[def.name];
  } else if (op === 'remove' || value === null) {
    delete container[def.name];
  } else if (def.multiValued) {
    const incoming = canonicalValue(def, value);
    container[def.name] = op === 'add' ? union(container[def.name], incoming) : asArray(incoming);
  } else if (def.type === 'complex') {
    // RFC 7644 §3.5.2.1, §3.5.2.3: sub-attributes not given are left unchanged.
    const merged = isObject(container[def.name]) ? { ...(container[def.name] as Json) } : {};
    mergeInto(merged, def, value);
    container[def.name] = merged;
  } else {
    container[def.name] = value;
  }
}

function checkMutability(doc: Json, target: PatchTarget, op: Op, value: unknown): boolean {
  const def = target.sub ?? target.def;
  if (!def || def.mutability === 'readWrite' || def.mutability === 'writeOnly') return true;
  const container = target.container === 'rbac' ? (doc[RBAC_USER] as Json | undefined) : doc;
  const current = target.sub ? undefined : container?.[def.name];
  // Clients often send back what they read: an unchanged value is no change.
  if (op !== 'remove' && current !== undefined && deepEqual(current, value)) return false;
  throw new ScimError(400, `${def.name} is ${def.mutability}`, 'mutability');
}

/**
 * RFC 7644 §3.5.2.2: remove means unset, never "back to the default". An
 * attribute that always holds a value (userName, active, identityAssuranceLevel)
 * cannot be unset, by remove or by a null value (RFC 7643 §2.5).
 */
function checkRemovable(target: PatchTarget, op: Op, value: unknown): void {
  if (op !== 'remove' && value !== null) return;
  if (target.container === 'rbac' && !target.def) {
    throw new ScimError(400, 'the extension cannot be removed whole: its uid is immutable; remove its attributes one by one', 'mutability');
  }
  const def = target.sub ?? target.def;
  if (def && (def.required || def.valueRequired)) {
    throw new ScimError(400, `${def.name} cannot be removed: it always has a value; replace it instead`, 'mutability');
  }
}

/** Makes sure at most one value is primary, the one just set (RFC 7644 §3.5.2). */
function keepNewestPrimary(doc: Json, before: Set<unknown>): void {
  const emails = doc.emails;
  if (!Array.isArray(emails)) return;
  const primaries = emails.filter((e) => isObject(e) && e.primary === true);
  if (primaries.length < 2 || primaries.every((e) => before.has(e))) return;
  for (const e of primaries) if (before.has(e)) (e as Json).primary = false;
}

function applyOperation(doc: Json, op: Op, path: string, value: unknown): void {
  const target = resolvePatchTarget(path);
  if (!checkMutability(doc, target, op, value)) return;
  checkRemovable(target, op, value);
  if (target.container === 'rbac') {
    if (!isObject(doc[RBAC_USER])) {
      if (op === 'remove') return;
      doc[RBAC_USER] = {};
    }
    if (!target.def) {
      if (op === 'remove') delete doc[RBAC_USER];
      else for (const [k, v] of Object.entries(isObject(value) ? value : invalidObject())) {
        applyOperation(doc, op, `${RBAC_USER}:${k}`, v);
      }
      return;
    }
    return applyToAttribute(doc[RBAC_USER] as Json, target, op, value);
  }
  applyToAttribute(doc, target, op, value);
}

function invalidObject(): never {
  throw invalidValue('value must be an object of attributes');
}

/** The User's JSON after `operations`, applied in order; `user` is not changed. */
export function applyPatch(user: Json, operations: PatchOperation[]): Json {
  const doc = structuredClone(user);
  for (const { op, path, value } of operations) {
    if (op !== 'remove' && value === undefined) throw invalidValue(`${op} needs a value`);
    const primariesBefore = new Set(Array.isArray(doc.emails) ? doc.emails.filter((e) => isObject(e) && e.primary === true) : []);
    if (path !== undefined) {
      applyOperation(doc, op, path, value);
    } else if (op === 'remove') {
      throw noTarget('remove needs a path');
    } else {
      // RFC 7644 §3.5.2.1: without a path, the value's attributes are each the target.
      for (const [key, v] of Object.entries(isObject(value) ? value : invalidObject())) {
        if (key.toLowerCase() !== 'schemas') applyOperation(doc, op, key, v);
      }
    }
    keepNewestPrimary(doc, primariesBefore);
  }
  return doc;
}
