// One object per device authorization record (RFC 8628): the authorization
// under `device:<id>`, and the index entry of its user code under
// `user-code:<code>`, each in an object of its own named by that key. Its one
// method reads the record, applies a rule (src/device/device-rules.ts) and
// writes the result with no await in between, so an approval, a denial and a
// successful poll each happen once. The alarm deletes the record once it is past use.
import { DurableObject } from 'cloudflare:workers';
import { applyDeviceCommand, deviceRecordExpiresAt, type DeviceCommand, type DeviceRecord } from '../src/device/device-rules.ts';
import type { Env } from './env.ts';

const KEY = 'record';

export class DeviceAuthorizationObject extends DurableObject<Env> {
  async apply(command: DeviceCommand, now: number): Promise<unknown> {
    const held = this.ctx.storage.kv.get<DeviceRecord>(KEY) ?? null;
    const live = held && deviceRecordExpiresAt(held) > now ? held : null;
    const { next, result } = applyDeviceCommand(live, command, now);
    if (next === 'unchanged') return result;
    if (next === null) {
      this.ctx.storage.kv.delete(KEY);
      return result;
    }
    const expiresAt = deviceRecordExpiresAt(next);
    this.ctx.storage.kv.put(KEY, next);
    if (!live || deviceRecordExpiresAt(live) !== expiresAt) await this.ctx.storage.setAlarm(expiresAt);
    return result;
  }

  override async alarm(): Promise<void> {
    const held = this.ctx.storage.kv.get<DeviceRecord>(KEY);
    if (held && deviceRecordExpiresAt(held) > Date.now()) {
      await this.ctx.storage.setAlarm(deviceRecordExpiresAt(held));
      return;
    }
    await this.ctx.storage.deleteAll();
  }
}
