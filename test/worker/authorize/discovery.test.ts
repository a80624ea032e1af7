import { describe, expect, it } from 'vitest';
import { call, issuer } from '../../support/worker/requests.ts';

describe('discovery of the authorization endpoint (OIDC Discovery §3, RFC 8414 §2)', () => {
  it('advertises /authorize with the response modes, prompts and request features it honours', async () => {
    const doc = (await (await call('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      authorization_endpoint: `${issuer}/authorize`,
      response_modes_supported: ['query', 'form_post'],
      prompt_values_supported: ['none', 'login'],
      claims_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('advertises the pushed authorization request endpoint, optional by default (RFC 9126 §5)', async () => {
    const doc = (await (await call('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ pushed_authorization_request_endpoint: `${issuer}/par`, require_pushed_authorization_requests: false });
  });
});
