import { describe, expect, it } from 'vitest';
import type { AuditEvent, Ports } from '../../../src/ports.ts';
import {
  addressSubject,
  assertMayAttempt,
  pairSubject,
  personSubject,
  recordFailedAttempts,
  recordSuccessfulAttempt,
  TooManyAttempts,
  unlockPerson,
  type AttemptState,
  type AttemptSubject,
  type LockoutMethod,
} from '../../../src/limits/lockout.ts';
import { MemoryRateLimitStore } from '../../support/node/memory-rate-limit-store.ts';

/** Only what lockout uses from the ports: counters, the clock, the audit sink and the policy (the defaults). */
function lockoutPorts() {
  let now = 1_700_000_000_000;
  const events: AuditEvent[] = [];
  const ports = {
    limits: new MemoryRateLimitStore(),
    now: () => now,
    audit: { record: async (e: AuditEvent) => void events.push(e) },
    config: {
      lockout: {
        pair: { throttleAfter: 5, lockAfter: 10 },
        person: { throttleAfter: 20, lockAfter: 25 },
        address: { throttleAfter: 20, lockAfter: 100 },
        delaySeconds: 15,
        lockSeconds: 900,
        windowSeconds: 900,
      },
    },
  } as unknown as Ports;
  return { ports, events, advance: (ms: number) => (now += ms) };
}

async function refusal(promise: Promise<unknown>): Promise<TooManyAttempts> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof TooManyAttempts) return err;
    throw err;
  }
  throw new Error('the attempt was allowed');
}

/** What the password route does for a wrong password: check every subject, then count a failure against each. */
async function fail(ports: Ports, subjects: AttemptSubject[], method: LockoutMethod = 'password'): Promise<AttemptState[]> {
  const states = await assertMayAttempt(ports, method, subjects);
  await recordFailedAttempts(ports, method, states, { requestId: 'r', personId: 'ada' });
  return states;
}

const ada = personSubject('ada');
const ATTACKER = '203.0.113.7';
const attempt = async (address: string) => [addressSubject(address), await pairSubject(address, 'ada@example.nhs.uk'), ada];

describe('failed-authentication lockout per (address, username) pair, person method and address (NIST SP 800-63B §5.2.2)', () => {
  it('throttles the pair after 5 failures with Retry-After doubling and locks it at 10, long before the person', async () => {
    const { ports, events, advance } = lockoutPorts();
    const subjects = await attempt(ATTACKER);
    for (let i = 0; i < 4; i++) await fail(ports, subjects);
    const waits: string[] = [];
    for (let n = 5; n <= 9; n++) {
      await fail(ports, subjects);
      const refused = await refusal(assertMayAttempt(ports, 'password', subjects));
      expect(refused).toMatchObject({ status: 429, error: 'too_many_attempts', locked: false, subject: { kind: 'pair' } });
      waits.push(refused.headers['Retry-After']!);
      advance(refused.retryAfterSeconds * 1000);
    }
    expect(waits).toEqual(['15', '30', '60', '120', '240']);
    await fail(ports, subjects);
    expect(await refusal(assertMayAttempt(ports, 'password', subjects))).toMatchObject({ locked: true, retryAfterSeconds: 900, subject: { kind: 'pair' } });
    expect(events).toEqual([
      expect.objectContaining({ action: 'pair.locked', subject: 'ada', details: expect.objectContaining({ method: 'password', failures: 10, address: ATTACKER }) }),
    ]);
    // The person, from anywhere else, is untouched: ten failures are below their threshold.
    expect(await assertMayAttempt(ports, 'password', await attempt('198.51.100.1'))).toMatchObject([{ failures: 0 }, { failures: 0 }, { failures: 10 }]);
  });

  it("locks a person's password method only with failures from several pairs (20, then 25), and never their passkeys", async () => {
    const { ports, events, advance } = lockoutPorts();
    let refused: TooManyAttempts | null = null;
    for (let a = 1; a <= 5; a++) {
      const subjects = await attempt(`198.51.100.${a}`);
      for (let i = 0; i < 4; i++) await fail(ports, subjects);
    }
    const fresh = await attempt('192.0.2.1');
    expect((await refusal(assertMayAttempt(ports, 'password', fresh))).subject).toEqual(ada);
    for (let a = 6; a <= 10; a++) {
      advance((refused?.retryAfterSeconds ?? 15) * 1000);
      await fail(ports, await attempt(`198.51.100.${a}`));
      refused = await refusal(assertMayAttempt(ports, 'password', fresh));
    }
    expect(refused).toMatchObject({ locked: true, retryAfterSeconds: 900, subject: ada });
    expect(events.filter((e) => e.action === 'person.locked')).toEqual([
      expect.objectContaining({ subject: 'ada', details: expect.objectContaining({ method: 'password', failures: 25 }) }),
    ]);
    await expect(assertMayAttempt(ports, 'passkey', [addressSubject('192.0.2.1'), ada])).resolves.toHaveLength(2);
  });

  it('answers every refusal in the same words, whichever counter refused and whether throttled or locked (OWASP ASVS V2.2.1)', async () => {
    const pair = await pairSubject(ATTACKER, 'nobody');
    const words = [new TooManyAttempts(900, true, ada, 'password'), new TooManyAttempts(900, false, pair, 'password')].map((e) => e.description);
    expect(words[0]).toBe(words[1]);
    expect(words[0]).not.toMatch(/lock/i);
    expect(words[0]).toMatch(/passkey/);
  });

  it('keeps one pair per username whatever its case or surrounding space', async () => {
    expect(await pairSubject(ATTACKER, ' Ada@Example.NHS.uk ')).toEqual(await pairSubject(ATTACKER, 'ada@example.nhs.uk'));
    expect(await pairSubject(ATTACKER, 'ada')).not.toEqual(await pairSubject('203.0.113.8', 'ada'));
  });

  it('forgets failures older than the window', async () => {
    const { ports, advance } = lockoutPorts();
    const subjects = await attempt(ATTACKER);
    for (let i = 0; i < 4; i++) await fail(ports, subjects);
    advance(900_000);
    await fail(ports, subjects);
    expect(await assertMayAttempt(ports, 'password', subjects)).toMatchObject([{ failures: 1 }, { failures: 1 }, { failures: 1 }]);
  });

  it("forgets the pair's and the person's failures after a success, but never the address's", async () => {
    const { ports } = lockoutPorts();
    const subjects = await attempt(ATTACKER);
    for (let i = 0; i < 3; i++) await fail(ports, subjects);
    await recordSuccessfulAttempt(ports, 'password', await assertMayAttempt(ports, 'password', subjects));
    expect(await assertMayAttempt(ports, 'password', subjects)).toMatchObject([{ failures: 3 }, { failures: 0 }, { failures: 0 }]);
  });

  it('uses the wider address thresholds (20, 100) and keeps passkey failures apart from password failures', async () => {
    const { ports, events, advance } = lockoutPorts();
    const address = addressSubject(ATTACKER);
    const states = [{ subject: address, failures: 0, stale: false }];
    for (let i = 0; i < 19; i++) await recordFailedAttempts(ports, 'password', states, { requestId: 'r', personId: null });
    await assertMayAttempt(ports, 'password', [address]);
    await recordFailedAttempts(ports, 'password', states, { requestId: 'r', personId: null });
    expect((await refusal(assertMayAttempt(ports, 'password', [address]))).retryAfterSeconds).toBe(15);
    await expect(assertMayAttempt(ports, 'passkey', [address])).resolves.toMatchObject([{ failures: 0 }]);
    for (let i = 0; i < 80; i++) {
      advance(1);
      await recordFailedAttempts(ports, 'password', states, { requestId: 'r', personId: null });
    }
    expect(await refusal(assertMayAttempt(ports, 'password', [address]))).toMatchObject({ locked: true });
    expect(events.at(-1)).toMatchObject({ action: 'address.locked', subject: null, details: { method: 'password', address: ATTACKER } });
    await expect(assertMayAttempt(ports, 'passkey', [address])).resolves.toMatchObject([{ failures: 0 }]);
  });

  it('unlocks every method of the person and the pairs on their username at once, and says whether there was a lock', async () => {
    const { ports, advance } = lockoutPorts();
    const near = await attempt(ATTACKER);
    for (let a = 1; a <= 5; a++) for (let i = 0; i < 4; i++) await fail(ports, await attempt(`198.51.100.${a}`));
    // Each wait the person's throttle asks for (15, 30, 60, 120, 240 s), then the 25th failure.
    for (let i = 0; i < 5; i++) {
      advance(15_000 * 2 ** i);
      await fail(ports, near);
    }
    expect(await refusal(assertMayAttempt(ports, 'password', near))).toMatchObject({ locked: true, subject: ada });
    expect(await unlockPerson(ports, 'ada')).toBe(true);
    // The pair's five failures came before the unlock: it starts afresh, as does the person.
    expect(await assertMayAttempt(ports, 'password', near)).toMatchObject([{ failures: 5 }, { failures: 0, stale: true }, { failures: 0 }]);
    await fail(ports, near);
    expect(await assertMayAttempt(ports, 'password', near)).toMatchObject([{ failures: 6 }, { failures: 1, stale: false }, { failures: 1 }]);
    expect(await unlockPerson(ports, 'ada')).toBe(false);
  });
});
