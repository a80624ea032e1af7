// (c) introspection (RFC 7662) of an access token by a resource server that
// authenticates with client_secret_basic; the token must answer active. Each
// virtual user introspects its own token, issued just before the run (the
// peer's in-memory store is an LRU that earlier scenarios would evict it from).
import { basicAuthorization, expectJson, StepError } from '../http.ts';
import type { LoadScenario } from '../load.ts';
import type { Target } from '../target.ts';

export function introspection(target: Target): LoadScenario<{ token: string }> {
  const authorization = basicAuthorization(target.basic.clientId, target.basic.clientSecret);
  return {
    prepare: async () => ({ token: await target.introspected.issue() }),
    run: async ({ token }) => {
      // No token_type_hint: it is optional (§2.1), and oidc-provider looks only among user access tokens when it says access_token.
      const res = await target.http.postForm(target.paths.introspection, { token }, { authorization });
      if (expectJson<{ active?: boolean }>('introspection', res).active !== true) throw new StepError('introspection: token not active');
    },
  };
}
