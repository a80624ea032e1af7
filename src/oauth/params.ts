// Form parameters of the OAuth endpoints. RFC 6749 §3.1: a parameter sent
// without a value is treated as omitted; unknown parameters are ignored.
import { z } from 'zod';

export type OAuthParams = Record<string, string | undefined>;

export const oauthParams = z
  .record(z.string(), z.string())
  .transform((values): OAuthParams => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')));
