// Evaluates a value filter against one value of a multi-valued attribute, in
// memory: what PATCH paths like `emails[type eq "work"]` select.
import { ScimError } from '../errors.ts';
import { findAttribute, type AttributeDef } from './attributes.ts';
import type { CompareOp, CompareValue, Filter } from './filter.ts';

const invalidFilter = (detail: string) => new ScimError(400, `invalid filter: ${detail}`, 'invalidFilter');

function present(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !Array.isArray(value) || value.length > 0;
}

function compareOne(op: CompareOp, actual: unknown, expected: CompareValue, caseExact: boolean): boolean {
  if (expected === null) {
    if (op === 'eq') return !present(actual);
    if (op === 'ne') return present(actual);
    throw invalidFilter(`"${op}" cannot compare with null`);
  }
  if (typeof expected === 'string' && typeof actual === 'string') {
    const a = caseExact ? actual : actual.toLowerCase();
    const e = caseExact ? expected : expected.toLowerCase();
    switch (op) {
      case 'eq': return a === e;
      case 'ne': return a !== e;
      case 'co': return a.includes(e);
      case 'sw': return a.startsWith(e);
      case 'ew': return a.endsWith(e);
      case 'gt': return a > e;
      case 'ge': return a >= e;
      case 'lt': return a < e;
      case 'le': return a <= e;
    }
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    switch (op) {
      case 'eq': return actual === expected;
      case 'ne': return actual !== expected;
      case 'gt': return actual > expected;
      case 'ge': return actual >= expected;
      case 'lt': return actual < expected;
      case 'le': return actual <= expected;
      default: throw invalidFilter(`"${op}" does not apply to numbers`);
    }
  }
  if (typeof expected === 'boolean') {
    if (op === 'eq') return actual === expected;
    if (op === 'ne') return actual !== expected;
    throw invalidFilter(`"${op}" does not apply to booleans`);
  }
  // A value of another type, or no value: only "ne" holds (RFC 7644 §3.4.2.2).
  return op === 'ne';
}

/** Does `element`, a value of a complex multi-valued attribute described by `defs`, match? */
export function matchesValueFilter(filter: Filter, element: unknown, defs: AttributeDef[]): boolean {
  const record = element !== null && typeof element === 'object' ? (element as Record<string, unknown>) : {};
  switch (filter.kind) {
    case 'and':
      return matchesValueFilter(filter.left, element, defs) && matchesValueFilter(filter.right, element, defs);
    case 'or':
      return matchesValueFilter(filter.left, element, defs) || matchesValueFilter(filter.right, element, defs);
    case 'not':
      return !matchesValueFilter(filter.filter, element, defs);
    case 'valuePath':
      throw invalidFilter('a value filter cannot nest');
    case 'present':
    case 'compare': {
      const { path } = filter;
      const def = path.uri || path.sub ? undefined : findAttribute(defs, path.attr);
      if (!def) throw invalidFilter(`"${path.attr}" is not a sub-attribute here`);
      const actual = record[def.name];
      if (filter.kind === 'present') return present(actual);
      // A multi-valued sub-attribute matches when any of its values does.
      if (Array.isArray(actual)) {
        const any = actual.some((v) => compareOne(filter.op, v, filter.value, def.caseExact));
        return filter.op === 'ne' ? actual.every((v) => compareOne('ne', v, filter.value, def.caseExact)) : any;
      }
      return compareOne(filter.op, actual, filter.value, def.caseExact);
    }
  }
}
