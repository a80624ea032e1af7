// Resolves a PATCH `path` (RFC 7644 §3.5.2) against the User's attribute
// definitions: which attribute, which sub-attribute, which values.
import { ScimError } from '../errors.ts';
import { COMMON_ATTRIBUTES, CORE_ATTRIBUTES, RBAC_ATTRIBUTES, findAttribute, type AttributeDef } from './attributes.ts';
import { parsePatchPath, type Filter } from './filter.ts';
import { CORE_USER, RBAC_USER } from './urns.ts';

export interface PatchTarget {
  /** Where the attribute lives: the resource itself or the extension object. */
  container: 'core' | 'rbac';
  /** null: the extension object as a whole. */
  def: AttributeDef | null;
  /** A sub-attribute; for open complex attributes a def made up for the name. */
  sub: AttributeDef | null;
  filter: Filter | null;
}

const invalidPath = (detail: string) => new ScimError(400, `invalid path: ${detail}`, 'invalidPath');

function openSubAttribute(name: string): AttributeDef {
  return {
    name,
    type: 'string',
    multiValued: false,
    description: '',
    required: false,
    caseExact: true,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
  };
}

export function resolvePatchTarget(text: string): PatchTarget {
  if (text.toLowerCase() === RBAC_USER.toLowerCase()) return { container: 'rbac', def: null, sub: null, filter: null };
  const { path, filter } = parsePatchPath(text);
  const uri = path.uri?.toLowerCase() ?? null;
  let container: PatchTarget['container'];
  let defs: AttributeDef[];
  if (uri === null || uri === CORE_USER.toLowerCase()) {
    container = 'core';
    defs = [...COMMON_ATTRIBUTES, ...CORE_ATTRIBUTES];
  } else if (uri === RBAC_USER.toLowerCase()) {
    container = 'rbac';
    defs = RBAC_ATTRIBUTES;
  } else {
    throw invalidPath(`unknown schema ${path.uri!.slice(0, 200)}`);
  }
  const def = findAttribute(defs, path.attr);
  if (!def) throw invalidPath(`${path.attr} is not an attribute of User`);
  if (def.name === 'schemas') throw new ScimError(400, 'schemas cannot be patched', 'mutability');
  let sub: AttributeDef | null = null;
  if (path.sub) {
    if (def.openSubAttributes) sub = openSubAttribute(path.sub);
    else sub = (def.subAttributes && findAttribute(def.subAttributes, path.sub)) || null;
    if (!sub) throw invalidPath(`${path.sub} is not a sub-attribute of ${def.name}`);
    // RFC 7644 §3.5.2 leaves `emails.type` without a filter unclear: ask for one.
    if (def.multiValued && !filter) throw invalidPath(`select values of ${def.name} with a filter, e.g. ${def.name}[…].${sub.name}`);
  }
  if (filter && !(def.multiValued && def.subAttributes)) throw invalidPath(`${def.name} has no values to filter`);
  return { container, def, sub, filter };
}
