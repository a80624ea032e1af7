// The device objects port (src/device/device-objects.ts) over Durable Objects:
// one DeviceAuthorizationObject per key, named by it (the keys carry 256 random
// bits or a user code, so a name needs no lookup), placed near UK users.
import type { DeviceObjects } from '../src/device/device-objects.ts';
import type { DeviceCommandResult } from '../src/device/device-rules.ts';
import type { DeviceAuthorizationObject } from './device-object.ts';
import { LOCATION_HINT } from './env.ts';

export function durableDeviceObjects(ns: DurableObjectNamespace<DeviceAuthorizationObject>): DeviceObjects {
  return {
    async apply(key, command, now) {
      const result = await ns.get(ns.idFromName(key), { locationHint: LOCATION_HINT }).apply(command, now);
      return result as DeviceCommandResult<typeof command>;
    },
  };
}
