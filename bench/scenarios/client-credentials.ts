// (a) client_credentials with client_secret_basic (RFC 6749 §4.4, §2.3.1).
import { basicAuthorization, expectJson, StepError } from '../http.ts';
import type { LoadScenario } from '../load.ts';
import type { Target } from '../target.ts';

export function clientCredentials(target: Target): LoadScenario<void> {
  const authorization = basicAuthorization(target.basic.clientId, target.basic.clientSecret);
  return {
    prepare: async () => {},
    run: async () => {
      const res = await target.http.postForm(target.paths.token, { grant_type: 'client_credentials' }, { authorization });
      if (!expectJson<{ access_token?: string }>('token (client_credentials)', res).access_token) throw new StepError('no access_token');
    },
  };
}
