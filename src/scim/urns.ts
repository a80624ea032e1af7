// The schema and message URNs of RFC 7643 / RFC 7644 and the NHS RBAC extension.
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const RBAC_USER = 'urn:nhs:scim:schemas:extension:rbac:2.0:User';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const SERVICE_PROVIDER_CONFIG = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export const SCIM_CONTENT_TYPE = 'application/scim+json';
/** RFC 7644 §3.1: clients may send either. */
export const SCIM_REQUEST_TYPES = [SCIM_CONTENT_TYPE, 'application/json'];
