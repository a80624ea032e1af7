// RFC 7644 §4: /ServiceProviderConfig, /ResourceTypes and /Schemas say what this
// SCIM service supports, generated from the same definitions the code obeys.
import { Hono } from 'hono';
import { ScimError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import { CORE_ATTRIBUTES, RBAC_ATTRIBUTES, type AttributeDef } from './attributes.ts';
import { scimJson } from './response.ts';
import { MAX_RESULTS } from './user-schema.ts';
import { CORE_USER, LIST_RESPONSE, RBAC_USER, RESOURCE_TYPE, SCHEMA, SERVICE_PROVIDER_CONFIG } from './urns.ts';
import { pathTo, SCIM, under } from '../paths.ts';


function serviceProviderConfig(issuer: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: true },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: "The operator's admin bearer token, sent as in RFC 6750.",
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${issuer}${SCIM.serviceProviderConfig}` },
  };
}

function userResourceType(issuer: string) {
  return {
    schemas: [RESOURCE_TYPE],
    id: 'User',
    name: 'User',
    endpoint: under(SCIM.mount, SCIM.users),
    description: 'A person in the national workforce directory',
    schema: CORE_USER,
    schemaExtensions: [{ schema: RBAC_USER, required: false }],
    meta: { resourceType: 'ResourceType', location: `${issuer}${pathTo(SCIM.resourceType, { id: 'User' })}` },
  };
}

/** RFC 7643 §7's shape: our bookkeeping fields left out. */
function describeAttribute(def: AttributeDef): Record<string, unknown> {
  const { openSubAttributes: _, valueRequired: __, subAttributes, ...rest } = def;
  return { ...rest, ...(subAttributes ? { subAttributes: subAttributes.map(describeAttribute) } : {}) };
}

function schemas(issuer: string) {
  const schema = (id: string, name: string, description: string, attributes: AttributeDef[]) => ({
    schemas: [SCHEMA],
    id,
    name,
    description,
    attributes: attributes.map(describeAttribute),
    meta: { resourceType: 'Schema', location: `${issuer}${SCIM.schemas}/${id}` },
  });
  return [
    schema(CORE_USER, 'User', 'User Account', CORE_ATTRIBUTES),
    schema(RBAC_USER, 'NHS RBAC User', 'National RBAC: identifier, assurance, organisations, roles and memberships', RBAC_ATTRIBUTES),
  ];
}

function listOf(resources: unknown[]) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

const notFound = () => new ScimError(404, 'no such resource');

export const serviceProviderRoutes = new Hono<AppEnv>()
  .get(under(SCIM.mount, SCIM.serviceProviderConfig), (c) => scimJson(c, serviceProviderConfig(c.var.ports.config.issuer)))
  .get(under(SCIM.mount, SCIM.resourceTypes), (c) => scimJson(c, listOf([userResourceType(c.var.ports.config.issuer)])))
  .get(under(SCIM.mount, SCIM.resourceType), (c) => {
    if (c.req.param('id') !== 'User') throw notFound();
    return scimJson(c, userResourceType(c.var.ports.config.issuer));
  })
  .get(under(SCIM.mount, SCIM.schemas), (c) => scimJson(c, listOf(schemas(c.var.ports.config.issuer))))
  .get(under(SCIM.mount, SCIM.schema), (c) => {
    const id = c.req.param('id').toLowerCase();
    const schema = schemas(c.var.ports.config.issuer).find((s) => s.id.toLowerCase() === id);
    if (!schema) throw notFound();
    return scimJson(c, schema);
  });
