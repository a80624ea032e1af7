// (c) introspection (RFC 7662) of an access token by a resource server that
// authenticates with client_secret_basic; the token must answer active. Every
// request presents the next token of a pool issued just before the run (the
// peer's in-memory store is an LRU that earlier scenarios would evict them
// from), so neither side answers from a cache of one token.
import { basicAuthorization, expectJson, StepError } from '../http.ts';
import type { LoadScenario } from '../load.ts';
import type { Target } from '../target.ts';
import { POOL_SIZE, TokenPool } from '../token-pool.ts';

export function introspection(target: Target, poolSize = POOL_SIZE): LoadScenario<TokenPool> {
  const authorization = basicAuthorization(target.basic.clientId, target.basic.clientSecret);
  let pool: Promise<TokenPool> | undefined;
  return {
    // Every virtual user shares the one pool; a failed fill is tried again by the next prepare.
    prepare: () => {
      pool ??= TokenPool.fill(poolSize, () => target.introspected.issue()).catch((err: unknown) => {
        pool = undefined;
        throw err;
      });
      return pool;
    },
    run: async (tokens) => {
      // No token_type_hint: it is optional (§2.1), and oidc-provider looks only among user access tokens when it says access_token.
      const res = await target.http.postForm(target.paths.introspection, { token: tokens.take() }, { authorization });
      if (expectJson<{ active?: boolean }>('introspection', res).active !== true) throw new StepError('introspection: token not active');
    },
  };
}
