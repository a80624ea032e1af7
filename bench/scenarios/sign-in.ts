// (e) the full sign-in, counted per completed sign-in: authorization request,
// the provider's sign-in (ours: the passkey assertion; the peer: its scripted
// login), the redirect back with a code, and the code redeemed for tokens.
import type { LoadScenario } from '../load.ts';
import type { Target } from '../target.ts';
import { signInForTokens } from './code-flow.ts';

export function signIn(target: Target): LoadScenario<void> {
  return {
    prepare: async () => {},
    run: async (_state, vu) => {
      await signInForTokens(target, vu);
    },
  };
}
