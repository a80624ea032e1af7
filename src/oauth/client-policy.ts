// Which protections apply to a client: its own registration (RFC 9126
// require_pushed_authorization_requests, RFC 9449 dpop_bound_access_tokens, the
// FAPI 2.0 profile flag) or the operator's setting for every client.
import type { Client } from '../clients/client.ts';
import type { Config } from '../config.ts';
import { OAuthError } from '../errors.ts';
import { FAPI2_SIGNING_ALGS } from './vocabulary.ts';

/** FAPI 2.0 Security Profile: the client registered the profile, or the service runs it for everyone. */
export function usesFapi2(client: Client, config: Config): boolean {
  return config.fapi2 || client.metadata.fapi2_profile === true;
}

/** RFC 9126 §5, FAPI 2.0 §5.3.2.2 item 1: only pushed authorization requests are accepted. */
export function requiresPushedRequest(client: Client, config: Config): boolean {
  return config.par.required || client.metadata.require_pushed_authorization_requests || usesFapi2(client, config);
}

/** RFC 9449 §5.2, FAPI 2.0 §5.3.2.1 item 5: tokens are issued only with a DPoP proof. */
export function requiresDpop(client: Client, config: Config): boolean {
  return client.metadata.dpop_bound_access_tokens || usesFapi2(client, config);
}

/**
 * FAPI 2.0 §5.3.2.1: confidential clients authenticating with private_key_jwt
 * (mutual TLS is out of scope), whose ID tokens use PS256 or ES256. Checked
 * where a client starts a flow (PAR) and at the token endpoint, so a service
 * switched to FAPI2 refuses clients registered before it.
 */
export function assertFapi2Client(client: Client, config: Config): void {
  if (!usesFapi2(client, config)) return;
  if (client.metadata.token_endpoint_auth_method !== 'private_key_jwt') {
    throw new OAuthError('unauthorized_client', 'FAPI 2.0 clients must authenticate with private_key_jwt');
  }
  if (!(FAPI2_SIGNING_ALGS as readonly string[]).includes(client.metadata.id_token_signed_response_alg)) {
    throw new OAuthError('unauthorized_client', 'FAPI 2.0 clients must register id_token_signed_response_alg PS256 or ES256');
  }
}
