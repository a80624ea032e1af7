import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../src/errors.ts';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_FILTER_TERMS, parseFilter, parsePatchPath } from '../../../src/scim/filter.ts';
import { filterToSql } from '../../../src/scim/filter-sql.ts';
import { matchesValueFilter } from '../../../src/scim/filter-match.ts';
import { CORE_ATTRIBUTES, findAttribute } from '../../../src/scim/attributes.ts';

const RBAC = 'urn:nhs:scim:schemas:extension:rbac:2.0:User';
const path = (attr: string, sub: string | null = null, uri: string | null = null) => ({ uri, attr, sub });

function scimErrorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err;
    throw err;
  }
  throw new Error('expected a ScimError');
}

const toQuery = (filter: string) => new SQLiteSyncDialect().sqlToQuery(filterToSql(parseFilter(filter)));

describe('parseFilter (RFC 7644 §3.4.2.2)', () => {
  it('parses each comparison operator and pr', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
      expect(parseFilter(`userName ${op} "bjensen"`)).toEqual({ kind: 'compare', op, path: path('userName'), value: 'bjensen' });
    }
    expect(parseFilter('title pr')).toEqual({ kind: 'present', path: path('title') });
  });

  it('treats operators and literals as case-insensitive', () => {
    expect(parseFilter('active EQ TRUE')).toEqual({ kind: 'compare', op: 'eq', path: path('active'), value: true });
    expect(parseFilter('x Pr')).toEqual({ kind: 'present', path: path('x') });
  });

  it('reads JSON string escapes, numbers, booleans and null', () => {
    expect(parseFilter('userName eq "a \\"quoted\\" \\u00e9"')).toMatchObject({ value: 'a "quoted" é' });
    expect(parseFilter('level ge 2.5e1')).toMatchObject({ value: 25 });
    expect(parseFilter('active eq false')).toMatchObject({ value: false });
    expect(parseFilter('externalId eq null')).toMatchObject({ value: null });
  });

  it('binds and tighter than or, and not to its parenthesised filter', () => {
    expect(parseFilter('a pr or b pr and c pr')).toEqual({
      kind: 'or',
      left: { kind: 'present', path: path('a') },
      right: { kind: 'and', left: { kind: 'present', path: path('b') }, right: { kind: 'present', path: path('c') } },
    });
    expect(parseFilter('(a pr or b pr) and not (c pr)')).toEqual({
      kind: 'and',
      left: { kind: 'or', left: { kind: 'present', path: path('a') }, right: { kind: 'present', path: path('b') } },
      right: { kind: 'not', filter: { kind: 'present', path: path('c') } },
    });
  });

  it('parses schema-qualified paths and sub-attributes', () => {
    expect(parseFilter(`${RBAC}:uid eq "555000000001"`)).toMatchObject({ path: path('uid', null, RBAC) });
    expect(parseFilter('name.givenName sw "A"')).toMatchObject({ path: path('name', 'givenName') });
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName pr')).toMatchObject({
      path: path('name', 'familyName', 'urn:ietf:params:scim:schemas:core:2.0:User'),
    });
  });

  it('parses a value path with its own and/or filter', () => {
    expect(parseFilter('emails[type eq "work" and value co "@nhs.net"]')).toEqual({
      kind: 'valuePath',
      path: path('emails'),
      filter: {
        kind: 'and',
        left: { kind: 'compare', op: 'eq', path: path('type'), value: 'work' },
        right: { kind: 'compare', op: 'co', path: path('value'), value: '@nhs.net' },
      },
    });
  });

  it.each([
    ['', 'empty'],
    ['userName', 'expected an operator'],
    ['userName eq', 'expected a value'],
    ['userName eq bjensen', 'expected a value'],
    ['userName xx "a"', 'expected an operator'],
    ['userName eq "a" and', 'expected an attribute path'],
    ['(userName eq "a"', 'expected ")"'],
    ['userName eq "a")', 'unexpected text'],
    ['userName eq "unterminated', 'unterminated string'],
    ['not userName eq "a"', 'expected "("'],
    ['emails[value eq "a"', 'expected "]"'],
    ['emails[type[value eq "a"]]', 'cannot nest'],
    ['1abc eq "a"', 'not an attribute path'],
  ])('refuses %j with invalidFilter (%s)', (text, detail) => {
    const err = scimErrorOf(() => parseFilter(text));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('invalidFilter');
    expect(err.detail).toContain(detail);
  });

  it('bounds its work: length, nesting depth and number of comparisons', () => {
    expect(scimErrorOf(() => parseFilter(`userName eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`)).detail).toContain('longer than');
    const deep = `${'('.repeat(MAX_FILTER_DEPTH + 1)}a pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
    expect(scimErrorOf(() => parseFilter(deep)).detail).toContain('nested deeper');
    expect(() => parseFilter(`${'('.repeat(MAX_FILTER_DEPTH - 1)}a pr${')'.repeat(MAX_FILTER_DEPTH - 1)}`)).not.toThrow();
    const many = Array.from({ length: MAX_FILTER_TERMS + 1 }, () => 'a pr').join(' or ');
    expect(scimErrorOf(() => parseFilter(many)).detail).toContain('more than');
  });
});

describe('parsePatchPath (RFC 7644 §3.5.2)', () => {
  it('parses attribute, sub-attribute, value-filtered and schema-qualified paths', () => {
    expect(parsePatchPath('active')).toEqual({ path: path('active'), filter: null });
    expect(parsePatchPath('name.givenName')).toEqual({ path: path('name', 'givenName'), filter: null });
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({
      path: path('emails', 'value'),
      filter: { kind: 'compare', op: 'eq', path: path('type'), value: 'work' },
    });
    expect(parsePatchPath(`${RBAC}:roles[roleCode eq "R8000"]`)).toMatchObject({ path: path('roles', null, RBAC) });
  });

  it('refuses malformed paths with invalidPath', () => {
    for (const text of ['emails[type eq "work"]value', 'emails[type eq "work"].value.x', 'name.givenName[x pr]', 'a b']) {
      const err = scimErrorOf(() => parsePatchPath(text));
      expect(err.scimType).toBe('invalidPath');
    }
  });
});

describe('filterToSql', () => {
  it('binds every value as a parameter, so quotes cannot reach the SQL text', () => {
    const { sql, params } = toQuery(`userName eq "x' or 1=1 --"`);
    expect(sql).not.toContain('1=1');
    expect(params).toEqual(["x' or 1=1 --"]);
  });

  it('compares userName ignoring case, through its lower() index, and id exactly (RFC 7643 caseExact)', () => {
    expect(toQuery('userName eq "A"').sql).toContain('lower("people"."user_name") = lower(?)');
    expect(toQuery('id eq "A"').sql).toContain('"people"."id" = ?');
  });

  it('searches emails value by value with json_each', () => {
    expect(toQuery('emails co "nhs"').sql).toContain('json_each("people"."emails")');
    expect(toQuery('emails[type eq "work" and value sw "a"]').params).toEqual(['$.type', '$.type', 'work', '$.value', '$.value', 'a']);
  });

  it.each([
    ['title eq "Dr"', 'cannot be filtered on'],
    ['urn:example:schema:Thing:uid eq "1"', 'cannot be filtered on'],
    ['active co "t"', 'does not apply'],
    ['active eq "true"', 'takes a boolean'],
    ['userName eq 3', 'takes a string'],
    [`${RBAC}:identityAssuranceLevel sw 3`, 'does not apply'],
    ['userName[value eq "a"]', 'has no values to filter'],
    ['userName gt null', 'cannot compare with null'],
  ])('refuses %j with invalidFilter (%s)', (text, detail) => {
    const err = scimErrorOf(() => toQuery(text));
    expect(err.scimType).toBe('invalidFilter');
    expect(err.detail).toContain(detail);
  });
});

describe('matchesValueFilter', () => {
  const emailDefs = findAttribute(CORE_ATTRIBUTES, 'emails')!.subAttributes!;
  const work = { value: 'Ada@NHS.net', type: 'work', primary: true };

  it('compares caseExact=false strings ignoring case', () => {
    expect(matchesValueFilter(parseFilter('value eq "ada@nhs.net"'), work, emailDefs)).toBe(true);
    expect(matchesValueFilter(parseFilter('type eq "WORK" and primary eq true'), work, emailDefs)).toBe(true);
    expect(matchesValueFilter(parseFilter('value ew ".org" or not (type eq "work")'), work, emailDefs)).toBe(false);
  });

  it('refuses a sub-attribute the attribute does not have', () => {
    expect(scimErrorOf(() => matchesValueFilter(parseFilter('colour eq "red"'), work, emailDefs)).scimType).toBe('invalidFilter');
  });
});
