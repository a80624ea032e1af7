// openid-client v6 (a certified relying party library) pointed at a local
// stack: a client's Configuration from discovery, and the key a
// private_key_jwt client signs its assertions with.
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import * as oidc from 'openid-client';
import type { LocalStack } from './local-stack.ts';

/**
 * The client's Configuration from the issuer's discovery document (OIDC
 * Discovery §4). The local issuer is http: allowInsecureRequests is for exactly that.
 */
export function discoverClient(stack: LocalStack, clientId: string, metadata: Partial<oidc.ClientMetadata> | string | undefined, auth: oidc.ClientAuth): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(stack.url), clientId, metadata, auth, { execute: [oidc.allowInsecureRequests] });
}

/** A new ES256 key for private_key_jwt (RFC 7523 §2.2): the private half, and the public half as the JWK Set to register under `kid`. */
export async function clientSigningKey(kid: string): Promise<{ privateKey: CryptoKey; jwks: { keys: JWK[] } }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { privateKey, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] } };
}
