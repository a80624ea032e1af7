// `npm start`: the local stack (scripts/local-stack.ts) with the Worker under
// `wrangler dev`, its Durable Object state under DATA_DIR.
import { freePort } from './free-port.ts';
import { root, runLocalStack } from './local-stack.ts';
import { startWranglerDev } from './wrangler-dev.ts';

await runLocalStack({
  command: 'npm start',
  start: async ({ port, dataDir, vars }) =>
    startWranglerDev({ cwd: root, port, dataDir, vars, name: 'identity', inspectorPort: await freePort() }),
});
