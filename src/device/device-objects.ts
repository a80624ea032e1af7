// The port the device authorization store runs on: apply one command to the
// record under one key, atomically. workers/device-objects.ts implements it with
// a small Durable Object per key; recordStoreDeviceObjects below, with any
// versioned record store (Upstash Redis on Deno, memory in tests).
import { applyWithRetry, type RecordStore } from '../state/record-store.ts';
import { applyDeviceCommand, deviceRecordExpiresAt, type DeviceCommand, type DeviceCommandResult, type DeviceRecord } from './device-rules.ts';

export interface DeviceObjects {
  /** Runs `command` against the record under `key` (`device:<id>` or `user-code:<code>`) at `now`. */
  apply<C extends DeviceCommand>(key: string, command: C, now: number): Promise<DeviceCommandResult<C>>;
}

export function recordStoreDeviceObjects(store: RecordStore): DeviceObjects {
  return {
    apply: (key, command, now) =>
      applyWithRetry<DeviceRecord, DeviceCommandResult<typeof command>>(store, key, (record) => applyDeviceCommand(record, command, now), deviceRecordExpiresAt),
  };
}
