// Turns a parsed filter into a parameterised SQL condition on `people`: values
// are always bound parameters, never spliced into the text. Every condition is
// 0 or 1, never NULL, so `not` means what SCIM means by it for absent values.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { people } from '../../schema/people.ts';
import { ScimError } from '../errors.ts';
import type { AttrPath, CompareOp, CompareValue, Filter } from './filter.ts';
import { CORE_USER, RBAC_USER } from './urns.ts';

type Kind = 'string' | 'boolean' | 'integer' | 'dateTime';

interface Scalar {
  kind: Kind;
  /** RFC 7643 §2.2: caseExact=false strings compare ignoring case. */
  caseExact: boolean;
  expr: SQL;
}

interface Scope {
  scalar(path: AttrPath): Scalar | undefined;
  /** A multi-valued attribute, searched value by value. */
  multi(path: AttrPath): { exists(condition: SQL): SQL; nonEmpty: SQL; element: Scope } | undefined;
}

const invalidFilter = (detail: string) => new ScimError(400, `invalid filter: ${detail}`, 'invalidFilter');

const str = (column: SQL | AnyColumn, caseExact = false): Scalar => ({ kind: 'string', caseExact, expr: sql`${column}` });

const CORE: Record<string, Scalar> = {
  'id': str(people.id, true),
  'externalid': str(people.externalId, true),
  'username': str(people.userName),
  'displayname': str(people.displayName),
  'active': { kind: 'boolean', caseExact: true, expr: sql`${people.active}` },
  'name.givenname': str(people.givenName),
  'name.familyname': str(people.familyName),
  'name.middlename': str(people.middleName),
  'name.honorificprefix': str(people.honorificPrefix),
  'name.formatted': str(people.formattedName),
  // RFC 7643 §3.1 meta: provisioning clients sync incrementally on lastModified.
  'meta.lastmodified': { kind: 'dateTime', caseExact: true, expr: sql`${people.updatedAt}` },
  'meta.created': { kind: 'dateTime', caseExact: true, expr: sql`${people.createdAt}` },
};

// RFC 7643 §2.3.5: xsd:dateTime, with a time zone so that the instant is unambiguous.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** A dateTime filter value as the stored epoch milliseconds. */
function instant(value: CompareValue, path: AttrPath): number {
  const ms = typeof value === 'string' && DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw invalidFilter(`${describe(path)} takes a dateTime such as "2026-01-31T09:00:00Z"`);
  return ms;
}

const RBAC: Record<string, Scalar> = {
  'uid': str(people.uid, true),
  'identityassurancelevel': { kind: 'integer', caseExact: true, expr: sql`${people.identityAssuranceLevel}` },
};

const jsonField = (name: string): SQL => sql`json_extract(e.value, ${`$.${name}`})`;

const emailScope: Scope = {
  scalar(path) {
    if (path.uri || path.sub) return undefined;
    const name = path.attr.toLowerCase();
    if (name === 'value' || name === 'type') return str(jsonField(name));
    if (name === 'primary') return { kind: 'boolean', caseExact: true, expr: jsonField('primary') };
    return undefined;
  },
  multi: () => undefined,
};

const peopleScope: Scope = {
  scalar(path) {
    const key = `${path.attr}${path.sub ? `.${path.sub}` : ''}`.toLowerCase();
    const uri = path.uri?.toLowerCase() ?? null;
    if (uri === null || uri === CORE_USER.toLowerCase()) return CORE[key];
    if (uri === RBAC_USER.toLowerCase()) return RBAC[key];
    return undefined;
  },
  multi(path) {
    const uri = path.uri?.toLowerCase() ?? null;
    if ((uri !== null && uri !== CORE_USER.toLowerCase()) || path.attr.toLowerCase() !== 'emails') return undefined;
    return {
      exists: (condition) => sql`exists (select 1 from json_each(${people.emails}) as e where ${condition})`,
      nonEmpty: sql`(json_array_length(${people.emails}) > 0)`,
      element: emailScope,
    };
  },
};

function describe(path: AttrPath): string {
  return `${path.uri ? `${path.uri}:` : ''}${path.attr}${path.sub ? `.${path.sub}` : ''}`.slice(0, 200);
}

function comparison(op: CompareOp, target: Scalar, value: CompareValue, path: AttrPath): SQL {
  const { expr } = target;
  if (value === null) {
    if (op === 'eq') return sql`(${expr} is null)`;
    if (op === 'ne') return sql`(${expr} is not null)`;
    throw invalidFilter(`"${op}" cannot compare with null`);
  }
  const applies = target.kind !== 'boolean' || op === 'eq' || op === 'ne';
  if (!applies || ((target.kind === 'integer' || target.kind === 'dateTime') && ['co', 'sw', 'ew'].includes(op))) {
    throw invalidFilter(`"${op}" does not apply to ${describe(path)}`);
  }
  if (target.kind === 'dateTime') return comparison(op, { ...target, kind: 'integer' }, instant(value, path), path);
  const expected = target.kind === 'string' ? 'string' : target.kind === 'boolean' ? 'boolean' : 'number';
  if (typeof value !== expected) throw invalidFilter(`${describe(path)} takes a ${expected} value`);
  if (target.kind === 'boolean') {
    const equal = sql`(${expr} is not null and ${expr} = ${value ? 1 : 0})`;
    return op === 'eq' ? equal : sql`(not ${equal})`;
  }
  const fold = (x: SQL): SQL => (target.caseExact || target.kind !== 'string' ? x : sql`lower(${x})`);
  const a = fold(expr);
  const e = fold(sql`${value}`);
  // `x is not null and …` keeps the condition 0 or 1 (the value is never null
  // here) while leaving `x = ?` where SQLite can use an index for it.
  const holds = (condition: SQL): SQL => sql`(${expr} is not null and ${condition})`;
  switch (op) {
    case 'eq': return holds(sql`${a} = ${e}`);
    case 'ne': return sql`(not ${holds(sql`${a} = ${e}`)})`;
    case 'co': return holds(sql`instr(${a}, ${e}) > 0`);
    case 'sw': return holds(sql`instr(${a}, ${e}) = 1`);
    case 'ew': return holds(sql`length(${a}) >= length(${e}) and substr(${a}, length(${a}) - length(${e}) + 1) = ${e}`);
    case 'gt': return holds(sql`${a} > ${e}`);
    case 'ge': return holds(sql`${a} >= ${e}`);
    case 'lt': return holds(sql`${a} < ${e}`);
    case 'le': return holds(sql`${a} <= ${e}`);
  }
}

function presence(target: Scalar): SQL {
  return target.kind === 'string' ? sql`(${target.expr} is not null and ${target.expr} <> '')` : sql`(${target.expr} is not null)`;
}

function compile(filter: Filter, scope: Scope): SQL {
  switch (filter.kind) {
    case 'and':
      return sql`(${compile(filter.left, scope)} and ${compile(filter.right, scope)})`;
    case 'or':
      return sql`(${compile(filter.left, scope)} or ${compile(filter.right, scope)})`;
    case 'not':
      return sql`(not ${compile(filter.filter, scope)})`;
    case 'valuePath': {
      const multi = scope.multi(filter.path);
      if (!multi || filter.path.sub) throw invalidFilter(`${describe(filter.path)} has no values to filter`);
      return multi.exists(compile(filter.filter, multi.element));
    }
    case 'present':
    case 'compare': {
      const multi = scope.multi(filter.path);
      if (multi) {
        if (filter.kind === 'present' && !filter.path.sub) return multi.nonEmpty;
        // RFC 7644 §3.4.2.2: a complex multi-valued attribute compares by its `value`.
        const inner = { ...filter, path: { uri: null, attr: filter.path.sub ?? 'value', sub: null } };
        return multi.exists(compile(inner, multi.element));
      }
      const target = scope.scalar(filter.path);
      if (!target) throw invalidFilter(`${describe(filter.path)} cannot be filtered on`);
      return filter.kind === 'present' ? presence(target) : comparison(filter.op, target, filter.value, filter.path);
    }
  }
}

/** The SQL condition on `people` that `filter` means. */
export function filterToSql(filter: Filter): SQL {
  return compile(filter, peopleScope);
}
