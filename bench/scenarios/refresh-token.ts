// (d) refresh-token rotation: each virtual user keeps its own chain, started by
// a sign-in; every use returns a new refresh token that the next use must
// present (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
import { basicAuthorization, expectJson, StepError } from '../http.ts';
import type { LoadScenario } from '../load.ts';
import type { Target } from '../target.ts';
import { signInForTokens } from './code-flow.ts';

interface Chain {
  refreshToken: string;
}

export function refreshToken(target: Target): LoadScenario<Chain> {
  const authorization = basicAuthorization(target.code.clientId, target.code.clientSecret);
  return {
    prepare: async (vu) => ({ refreshToken: (await signInForTokens(target, vu)).refresh_token! }),
    run: async (chain) => {
      const res = await target.http.postForm(target.paths.token, { grant_type: 'refresh_token', refresh_token: chain.refreshToken }, { authorization });
      const next = expectJson<{ refresh_token?: string; access_token?: string }>('token (refresh_token)', res).refresh_token;
      if (!next || next === chain.refreshToken) throw new StepError('token (refresh_token): the refresh token did not rotate');
      chain.refreshToken = next;
    },
  };
}
