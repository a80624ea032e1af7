// PLACEHOLDER: being written (issue 3).
import type { Config } from '../src/config.ts';
import type { GrantStore } from '../src/oauth/grant-store.ts';
import type { GrantObject } from './grant-object.ts';

export function createGrantStore(_ns: DurableObjectNamespace<GrantObject>, _config: Config): GrantStore {
  return {
    issueCode: async () => {
      throw new Error('not built yet');
    },
    revoke: async () => false,
  };
}
