// One vocabulary (src/oauth/vocabulary.ts): discovery advertises what the code
// accepts, from the same lists (OpenID Connect Discovery 1.0 §3, RFC 8414 §2).
import { describe, expect, it } from 'vitest';
import { buildDiscoveryDocument } from '../../../src/discovery.ts';
import { GRANT_HANDLERS } from '../../../src/oauth/token.ts';
import { ACR_CLASSES, AMR_OF, GRANT_TYPES, SCOPES, SIGNING_ALGS } from '../../../src/oauth/vocabulary.ts';
import { assuranceOf } from '../../../src/assurance/level.ts';
import { meetsClass } from '../../../src/assurance/acr.ts';

const doc = buildDiscoveryDocument('https://id.example', []);

describe('the protocol vocabulary', () => {
  it('advertises exactly the grant types the token endpoint has a handler for (RFC 8414 §2 grant_types_supported)', () => {
    expect(doc.grant_types_supported).toEqual(Object.keys(GRANT_HANDLERS));
    expect(doc.grant_types_supported).toEqual(GRANT_TYPES);
  });

  it('advertises the vocabulary lists, in order', () => {
    expect(doc.id_token_signing_alg_values_supported).toEqual(SIGNING_ALGS);
    expect(doc.token_endpoint_auth_signing_alg_values_supported).toEqual([...SIGNING_ALGS, 'HS256']);
    expect(doc.acr_values_supported).toEqual(ACR_CLASSES);
    expect(doc.scopes_supported).toEqual(SCOPES);
    expect(doc.response_modes_supported).toEqual(['query', 'form_post']);
    expect(doc.prompt_values_supported).toEqual(['none', 'login']);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('gives each sign-in method the amr its acr classes ask for (RFC 8176 §2, CONTRACT §8)', () => {
    const policy = {} as Parameters<typeof assuranceOf>[1];
    const totp = assuranceOf({ method: 'password_totp' }, policy);
    expect(totp.amr).toEqual(['PWD', 'TOTP']);
    expect(meetsClass(totp, 'AAL2_TOTP')).toBe(true);
    expect(assuranceOf({ method: 'password' }, policy).amr).toEqual(['PWD']);
    expect(meetsClass({ aal: 3, amr: [...AMR_OF.passkey] }, 'AAL3_FIDO2')).toBe(true);
    expect(meetsClass({ aal: 3, amr: [...AMR_OF.passkey] }, 'AAL2_TOTP')).toBe(false);
  });
});
