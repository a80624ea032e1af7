// The Worker entry: the core app over Durable Object and libSQL adapters.
import type { Hono } from 'hono';
import { createApp } from '../src/app.ts';
import { ConfigError } from '../src/errors.ts';
import type { AppEnv } from '../src/http/context.ts';
import { createLogger } from '../src/log.ts';
import type { Env } from './env.ts';
import { buildPorts } from './ports.ts';

export { KeysObject } from './keys-object.ts';
export { SessionObject } from './session-object.ts';
export { RateLimiterObject } from './rate-limiter-object.ts';
export { ChallengeObject } from './challenge-object.ts';
export { BackchannelLogoutObject } from './backchannel-logout-object.ts';
export { DeviceAuthorizationObject } from './device-object.ts';
export { RecordObject } from './record-object.ts';

let app: Hono<AppEnv> | undefined;

export default {
  async fetch(request, env, ctx) {
    try {
      app ??= createApp(buildPorts(env));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      createLogger().error('configuration error', { problem: err.message });
      return Response.json(
        { error: 'server_error', error_description: `configuration error: ${err.message}` },
        { status: 503, headers: { 'Cache-Control': 'no-store' } },
      );
    }
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
