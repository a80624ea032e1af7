// The device authorization store (RFC 8628) over device objects: creates an
// authorization with its device code and a unique user code, finds it by user
// code for the verification page, records the person's decision once, and
// answers polls. Device codes are `<id>.<secret>` handles: the id routes to the
// record without a lookup and only the secret's SHA-256 is kept.
import type { AcrClass } from '../assurance/acr.ts';
import { randomToken, sha256 } from '../secrets.ts';
import { generateUserCode } from './user-code.ts';
import type { DeviceObjects } from './device-objects.ts';
import { DEVICE_RECORD_FORMAT, type DeviceAuthorizationView, type PollOutcome } from './device-rules.ts';

const DEVICE_CODE = /^([0-9a-f]{64})\.([A-Za-z0-9_-]{43})$/;
/** Collisions in 2.6 × 10^10 codes are rare; a few tries make one free code certain in practice. */
const USER_CODE_ATTEMPTS = 8;

const deviceKey = (id: string) => `device:${id}`;
const userCodeKey = (code: string) => `user-code:${code}`;

interface NewDeviceAuthorization {
  clientId: string;
  scope: string[];
  acrValues: AcrClass[];
  lifetimeSeconds: number;
  intervalSeconds: number;
}

export interface DeviceAuthorizationStore {
  /** A new pending authorization: the device code to give the client and the normalised user code. */
  create(request: NewDeviceAuthorization, now: number): Promise<{ deviceCode: string; userCode: string; id: string; expiresAt: number }>;
  /** The live authorization a normalised user code names, or null. */
  findByUserCode(userCode: string, now: number): Promise<DeviceAuthorizationView | null>;
  /** The authorization by id with its device code hash (to bind the grant to), or null. */
  find(id: string, now: number): Promise<(DeviceAuthorizationView & { deviceCodeHash: string }) | null>;
  /** Approval (with the grant made for it) or denial (null); false when no longer pending. */
  decide(id: string, approval: { grantId: string; personId: string } | null, now: number): Promise<boolean>;
  /** One poll with a device code (RFC 8628 §3.4); `deviceCodeHash` is answered for the grant store. */
  poll(deviceCode: string, clientId: string, now: number): Promise<{ outcome: PollOutcome; deviceCodeHash: string | null }>;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function deviceStoreOn(objects: DeviceObjects): DeviceAuthorizationStore {
  return {
    async create(request, now) {
      const id = hex(crypto.getRandomValues(new Uint8Array(32)));
      const secret = randomToken();
      const expiresAt = now + request.lifetimeSeconds * 1000;
      let userCode: string | null = null;
      for (let i = 0; i < USER_CODE_ATTEMPTS && userCode === null; i++) {
        const candidate = generateUserCode();
        if (await objects.apply(userCodeKey(candidate), { kind: 'claimUserCode', deviceId: id, expiresAt }, now)) userCode = candidate;
      }
      if (userCode === null) throw new Error('no free user code after several attempts');
      const created = await objects.apply(
        deviceKey(id),
        {
          kind: 'create',
          state: {
            kind: 'device',
            format: DEVICE_RECORD_FORMAT,
            id,
            deviceCodeHash: await sha256(secret),
            userCode,
            clientId: request.clientId,
            scope: request.scope,
            acrValues: request.acrValues,
            createdAt: now,
            expiresAt,
            interval: request.intervalSeconds,
            lastPolledAt: null,
            status: 'pending',
            decidedAt: null,
            grantId: null,
            personId: null,
          },
        },
        now,
      );
      if (!created) throw new Error('device authorization id taken');
      return { deviceCode: `${id}.${secret}`, userCode, id, expiresAt };
    },

    async findByUserCode(userCode, now) {
      const id = await objects.apply(userCodeKey(userCode), { kind: 'lookupUserCode' }, now);
      const found = id ? await objects.apply(deviceKey(id), { kind: 'find' }, now) : null;
      // The index and the record must agree: a stale index entry names nothing.
      if (!found || found.userCode !== userCode || found.expiresAt <= now) return null;
      const { deviceCodeHash: _, ...view } = found;
      return view;
    },

    async find(id, now) {
      return /^[0-9a-f]{64}$/.test(id) ? objects.apply(deviceKey(id), { kind: 'find' }, now) : null;
    },

    decide: (id, approval, now) => objects.apply(deviceKey(id), { kind: 'decide', approval }, now),

    async poll(deviceCode, clientId, now) {
      const m = DEVICE_CODE.exec(deviceCode);
      if (!m) return { outcome: { kind: 'invalid_grant', reason: 'unknown' }, deviceCodeHash: null };
      const deviceCodeHash = await sha256(m[2]!);
      const outcome = await objects.apply(deviceKey(m[1]!), { kind: 'poll', deviceCodeHash, clientId }, now);
      return { outcome, deviceCodeHash };
    },
  };
}
