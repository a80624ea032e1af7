// The rules of a device authorization (RFC 8628), as pure functions over its
// record: state and request in, next state and outcome out. Two kinds of record
// share the rules' store: the authorization itself, under `device:<id>`, and
// the index from a user code to it, under `user-code:<code>`. A store applies a
// command atomically (a Durable Object between its read and write; a record
// store by compare-and-set), so an approval, a denial and a successful poll
// each happen at most once. Times are milliseconds since the epoch.
import type { AcrClass } from '../assurance/acr.ts';
import { timingSafeEqual } from '../secrets.ts';

export const DEVICE_RECORD_FORMAT = 1;

/** How long after its expiry a device code still answers expired_token rather than invalid_grant. */
export const EXPIRED_ANSWER_MS = 10 * 60_000;
/** RFC 8628 §3.5: each slow_down adds 5 seconds to the interval, for good. */
const SLOW_DOWN_STEP_SECONDS = 5;

type DeviceStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

interface DeviceAuthorizationState {
  kind: 'device';
  format: typeof DEVICE_RECORD_FORMAT;
  id: string;
  /** SHA-256 of the device code's secret: the only form of it kept. */
  deviceCodeHash: string;
  /** Normalised (8 letters, no dash). */
  userCode: string;
  clientId: string;
  scope: string[];
  acrValues: AcrClass[];
  createdAt: number;
  expiresAt: number;
  /** Seconds the client must wait between polls (RFC 8628 §3.2), raised by slow_down. */
  interval: number;
  lastPolledAt: number | null;
  status: DeviceStatus;
  decidedAt: number | null;
  /** The grant made in the approving person's session (approved and redeemed). */
  grantId: string | null;
  personId: string | null;
}

interface UserCodeState {
  kind: 'user_code';
  deviceId: string;
  expiresAt: number;
}

export type DeviceRecord = DeviceAuthorizationState | UserCodeState;

/** What the verification page and the token endpoint learn of an authorization. */
export type DeviceAuthorizationView = Omit<DeviceAuthorizationState, 'kind' | 'format' | 'deviceCodeHash'>;

export type PollOutcome =
  | { kind: 'approved'; grantId: string; personId: string }
  | { kind: 'authorization_pending' }
  | { kind: 'slow_down'; interval: number }
  | { kind: 'access_denied' }
  | { kind: 'expired_token' }
  | { kind: 'invalid_grant'; reason: 'unknown' | 'client_mismatch' | 'redeemed' };

export type DeviceCommand =
  | { kind: 'create'; state: DeviceAuthorizationState }
  | { kind: 'claimUserCode'; deviceId: string; expiresAt: number }
  | { kind: 'lookupUserCode' }
  | { kind: 'find' }
  | { kind: 'decide'; approval: { grantId: string; personId: string } | null }
  | { kind: 'poll'; deviceCodeHash: string; clientId: string };

interface DeviceStep<R> {
  next: DeviceRecord | null | 'unchanged';
  result: R;
}

const same = <R>(result: R): DeviceStep<R> => ({ next: 'unchanged', result });

function device(record: DeviceRecord | null): DeviceAuthorizationState | null {
  return record?.kind === 'device' && record.format === DEVICE_RECORD_FORMAT ? record : null;
}

function viewOf(state: DeviceAuthorizationState): DeviceAuthorizationView {
  const { kind: _k, format: _f, deviceCodeHash: _h, ...view } = state;
  return view;
}

/** A new authorization under a fresh, unguessable id; refused (false) if the id were ever taken. */
function create(record: DeviceRecord | null, state: DeviceAuthorizationState): DeviceStep<boolean> {
  return record ? same(false) : { next: state, result: true };
}

/** The index entry for a user code; false when a live authorization holds the code already. */
function claimUserCode(record: DeviceRecord | null, deviceId: string, expiresAt: number, now: number): DeviceStep<boolean> {
  if (record?.kind === 'user_code' && record.expiresAt > now) return same(false);
  return { next: { kind: 'user_code', deviceId, expiresAt }, result: true };
}

function lookupUserCode(record: DeviceRecord | null, now: number): DeviceStep<string | null> {
  return same(record?.kind === 'user_code' && record.expiresAt > now ? record.deviceId : null);
}

function find(record: DeviceRecord | null): DeviceStep<(DeviceAuthorizationView & { deviceCodeHash: string }) | null> {
  const state = device(record);
  return same(state ? { ...viewOf(state), deviceCodeHash: state.deviceCodeHash } : null);
}

/** RFC 8628 §3.3: the person approves or denies, once, while the code is live. */
function decide(record: DeviceRecord | null, approval: { grantId: string; personId: string } | null, now: number): DeviceStep<boolean> {
  const state = device(record);
  if (!state || state.status !== 'pending' || state.expiresAt <= now) return same(false);
  const next: DeviceAuthorizationState = approval
    ? { ...state, status: 'approved', decidedAt: now, grantId: approval.grantId, personId: approval.personId }
    : { ...state, status: 'denied', decidedAt: now };
  return { next, result: true };
}

/**
 * RFC 8628 §3.4, §3.5: one poll of the token endpoint. An approved authorization
 * answers its grant to the first poll only (it becomes `redeemed`); polling
 * faster than the interval answers slow_down and adds 5 s to it.
 */
function poll(record: DeviceRecord | null, deviceCodeHash: string, clientId: string, now: number): DeviceStep<PollOutcome> {
  const state = device(record);
  if (!state || !timingSafeEqual(state.deviceCodeHash, deviceCodeHash)) return same({ kind: 'invalid_grant', reason: 'unknown' });
  // RFC 8628 §3.4: the device code was issued to this client only.
  if (state.clientId !== clientId) return same({ kind: 'invalid_grant', reason: 'client_mismatch' });
  if (state.status === 'redeemed') return same({ kind: 'invalid_grant', reason: 'redeemed' });
  if (state.expiresAt <= now) return same({ kind: 'expired_token' });
  if (state.status === 'denied') return same({ kind: 'access_denied' });
  if (state.status === 'approved') {
    return { next: { ...state, status: 'redeemed', lastPolledAt: now }, result: { kind: 'approved', grantId: state.grantId!, personId: state.personId! } };
  }
  if (state.lastPolledAt !== null && now - state.lastPolledAt < state.interval * 1000) {
    const interval = state.interval + SLOW_DOWN_STEP_SECONDS;
    return { next: { ...state, interval, lastPolledAt: now }, result: { kind: 'slow_down', interval } };
  }
  return { next: { ...state, lastPolledAt: now }, result: { kind: 'authorization_pending' } };
}

const RULES = {
  create: (r, c) => create(r, c.state),
  claimUserCode: (r, c, now) => claimUserCode(r, c.deviceId, c.expiresAt, now),
  lookupUserCode: (r, _c, now) => lookupUserCode(r, now),
  find: (r) => find(r),
  decide: (r, c, now) => decide(r, c.approval, now),
  poll: (r, c, now) => poll(r, c.deviceCodeHash, c.clientId, now),
} satisfies { [K in DeviceCommand['kind']]: (r: DeviceRecord | null, c: Extract<DeviceCommand, { kind: K }>, now: number) => DeviceStep<unknown> };

export type DeviceCommandResult<C extends DeviceCommand> = ReturnType<(typeof RULES)[C['kind']]>['result'];

export function applyDeviceCommand<C extends DeviceCommand>(record: DeviceRecord | null, command: C, now: number): DeviceStep<DeviceCommandResult<C>> {
  const rule = RULES[command.kind] as (r: DeviceRecord | null, c: DeviceCommand, now: number) => DeviceStep<unknown>;
  return rule(record, command, now) as DeviceStep<DeviceCommandResult<C>>;
}

/** When a record may go: a user code at the authorization's end, an authorization a while after. */
export function deviceRecordExpiresAt(record: DeviceRecord): number {
  return record.kind === 'user_code' ? record.expiresAt : record.expiresAt + EXPIRED_ANSWER_MS;
}
