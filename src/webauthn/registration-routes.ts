// The JSON API under the enrolment page (contract §5), which scripted
// authenticators may call too. Errors are {"error","error_description"}:
//   400 invalid_request       malformed JSON or a body of the wrong shape
//   400 invalid_code          unknown or already used invitation, or the person is inactive
//   400 expired_code          the invitation has expired
//   400 invalid_challenge     no live challenge: options not asked, used up, or older than 5 min
//   400 registration_failed   the response did not verify (origin, RP ID, challenge, UV,
//                             not discoverable, algorithm, attestation, already registered;
//                             with FIDO_MDS_BLOB: an attestation that does not chain to the
//                             model's metadata roots, or a model reported compromised)
//   503 temporarily_unavailable  FIDO_MDS_BLOB is configured but could not be loaded or verified
//   403 invalid_request       a cross-origin POST (Origin header not the issuer's)
//   413 invalid_request       body over 1 MiB;  415 invalid_request  not application/json
//   405 method_not_allowed    anything but POST
import { Hono } from 'hono';
import { z } from 'zod';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { readJson } from '../http/body.ts';
import type { AppContext, AppEnv } from '../http/context.ts';
import { passkeyRegistrationOptions, verifyPasskeyRegistration, type RegistrationContext } from './registration.ts';
import { registrationResponseSchema } from './response-schemas.ts';
import { requireSameOrigin } from './same-origin.ts';
import { WEBAUTHN } from '../paths.ts';

const code = z.string().min(1).max(256);
const optionsBody = z.object({ code });
const verifyBody = z.object({ code, response: registrationResponseSchema });

function context(c: AppContext): RegistrationContext {
  const { db, config, challenges, audit, now, log } = c.var.ports;
  return { db, config, challenges, audit, now: now(), requestId: c.var.requestId, log };
}

const NO_STORE = { 'Cache-Control': 'no-store' };

export const registrationRoutes = new Hono<AppEnv>()
  .post(WEBAUTHN.registrationOptions, requireSameOrigin, async (c) => {
    const input = await readJson(c, optionsBody);
    return c.json(await passkeyRegistrationOptions(context(c), input.code), 200, NO_STORE);
  })
  .post(WEBAUTHN.registrationVerify, requireSameOrigin, async (c) => {
    const input = await readJson(c, verifyBody);
    const response = input.response as RegistrationResponseJSON;
    const { credentialId } = await verifyPasskeyRegistration(context(c), input.code, response);
    return c.json({ verified: true, credentialId }, 200, NO_STORE);
  });
