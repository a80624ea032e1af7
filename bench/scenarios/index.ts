// The scenarios, in the order the issue names them.
import type { LoadScenario } from '../load.ts';
import type { Target } from '../target.ts';
import { clientCredentials } from './client-credentials.ts';
import { clientCredentialsDpop } from './client-credentials-dpop.ts';
import { introspection } from './introspection.ts';
import { privateKeyJwt } from './private-key-jwt.ts';
import { refreshToken } from './refresh-token.ts';
import { signIn } from './sign-in.ts';

interface ScenarioDefinition {
  id: string;
  name: string;
  /** What one counted unit is: a request, or a whole sign-in of several requests. */
  unit: 'req' | 'sign-in';
  create(target: Target): LoadScenario<unknown>;
}

export const SCENARIOS: readonly ScenarioDefinition[] = [
  { id: 'a', name: 'client_credentials (client_secret_basic)', unit: 'req', create: clientCredentials },
  { id: 'b', name: 'client_credentials (private_key_jwt)', unit: 'req', create: privateKeyJwt },
  { id: 'c', name: 'introspection', unit: 'req', create: introspection },
  { id: 'd', name: 'refresh-token rotation', unit: 'req', create: refreshToken },
  { id: 'e', name: 'full sign-in', unit: 'sign-in', create: signIn },
  { id: 'f', name: 'client_credentials (DPoP)', unit: 'req', create: clientCredentialsDpop },
];
