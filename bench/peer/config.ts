// What the bench tells the peer provider at start (as JSON in an environment
// variable): its clients, registered the way ours are through the contract.
import type { JWK } from 'jose';

interface PeerClients {
  basic: { client_id: string; client_secret: string };
  jwt: { client_id: string; jwks: { keys: JWK[] } };
  code: { client_id: string; client_secret: string; redirect_uris: string[] };
}

export interface PeerConfig {
  port: number;
  clients: PeerClients;
}

export const PEER_CONFIG_ENV = 'BENCH_PEER_CONFIG';

/** The resource every access token is for unless the request names another (RFC 8707). */
export const PEER_RESOURCE = 'urn:bench:api';
/** A second resource whose access tokens are opaque: oidc-provider introspects only those. */
export const PEER_OPAQUE_RESOURCE = 'urn:bench:opaque-api';
export const PEER_SCOPE = 'api';
/** The one person the scripted login signs in. */
export const PEER_ACCOUNT = 'bench-person';
