// The shapes of authenticator responses as browsers serialise them (W3C WebAuthn
// §5.1 toJSON: RegistrationResponseJSON, AuthenticationResponseJSON), checked at
// the boundary. Contents are verified later by @simplewebauthn/server.
import { z } from 'zod';

// Bounds well above real responses (credential ids ≤ 1023 bytes, §5.8.3) and far
// below the body limit, so nothing larger reaches CBOR decoding.
const base64url = (max: number) => z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url').max(max);
const credentialId = base64url(1400).min(1);

// Some browsers serialise an absent member as null; treat it as absent.
const absentOrNull = <S extends z.ZodType>(schema: S) => schema.nullish().transform((v) => v ?? undefined);
const attachment = absentOrNull(z.enum(['platform', 'cross-platform']));

const extensionResults = z
  .looseObject({ credProps: z.looseObject({ rk: z.boolean().optional() }).optional() })
  .default({});

export const registrationResponseSchema = z.looseObject({
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url(8192).min(1),
    attestationObject: base64url(65536).min(1),
    transports: z.array(z.string().max(32)).max(16).optional(),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensionResults,
});

export const authenticationResponseSchema = z.looseObject({
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url(8192).min(1),
    authenticatorData: base64url(8192).min(1),
    signature: base64url(2048).min(1),
    userHandle: absentOrNull(base64url(128)),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensionResults,
});
