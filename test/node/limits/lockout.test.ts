import { describe, expect, it } from 'vitest';
import type { AuditEvent, Ports } from '../../../src/ports.ts';
import { addressSubject, assertMayAttempt, personSubject, recordFailedAttempt, recordSuccessfulAttempt, TooManyAttempts, unlockPerson } from '../../../src/limits/lockout.ts';
import { MemoryRateLimitStore } from '../../support/node/memory-rate-limit-store.ts';

/** Only what lockout uses from the ports: counters, the clock, the audit sink and the policy. */
function lockoutPorts() {
  let now = 1_700_000_000_000;
  const events: AuditEvent[] = [];
  const ports = {
    limits: new MemoryRateLimitStore(),
    now: () => now,
    audit: { record: async (e: AuditEvent) => void events.push(e) },
    config: {
      lockout: {
        person: { throttleAfter: 5, lockAfter: 10 },
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

describe('failed-authentication lockout (issue 4 point 5)', () => {
  const ada = personSubject('ada');

  it('throttles after five failures with Retry-After doubling, then locks at ten and audits the lock', async () => {
    const { ports, events, advance } = lockoutPorts();
    for (let i = 0; i < 4; i++) await recordFailedAttempt(ports, ada, 'r');
    expect(await assertMayAttempt(ports, ada)).toEqual({ subject: ada, failures: 4 });
    const waits: string[] = [];
    for (let n = 5; n <= 9; n++) {
      await recordFailedAttempt(ports, ada, 'r');
      const refused = await refusal(assertMayAttempt(ports, ada));
      expect(refused).toMatchObject({ status: 429, error: 'too_many_attempts', locked: false });
      waits.push(refused.headers['Retry-After']!);
      advance(refused.retryAfterSeconds * 1000);
    }
    expect(waits).toEqual(['15', '30', '60', '120', '240']);
    await recordFailedAttempt(ports, ada, 'r');
    const locked = await refusal(assertMayAttempt(ports, ada));
    expect(locked).toMatchObject({ locked: true, retryAfterSeconds: 900 });
    expect(events).toEqual([expect.objectContaining({ action: 'person.locked', subject: 'ada', details: expect.objectContaining({ failures: 10 }) })]);
  });

  it('lets the person try again when the lock ends, with the count started afresh', async () => {
    const { ports, advance } = lockoutPorts();
    for (let i = 0; i < 10; i++) {
      await recordFailedAttempt(ports, ada, 'r');
      advance(300_000);
    }
    advance(900_000);
    expect(await assertMayAttempt(ports, ada)).toEqual({ subject: ada, failures: 0 });
  });

  it('forgets failures older than the window', async () => {
    const { ports, advance } = lockoutPorts();
    for (let i = 0; i < 4; i++) await recordFailedAttempt(ports, ada, 'r');
    advance(900_000);
    await recordFailedAttempt(ports, ada, 'r');
    expect(await assertMayAttempt(ports, ada)).toMatchObject({ failures: 1 });
  });

  it("forgets a person's failures after a success, but never an address's", async () => {
    const { ports } = lockoutPorts();
    const address = addressSubject('203.0.113.7');
    for (let i = 0; i < 3; i++) {
      await recordFailedAttempt(ports, ada, 'r');
      await recordFailedAttempt(ports, address, 'r');
    }
    await recordSuccessfulAttempt(ports, await assertMayAttempt(ports, ada));
    await recordSuccessfulAttempt(ports, await assertMayAttempt(ports, address));
    expect(await assertMayAttempt(ports, ada)).toMatchObject({ failures: 0 });
    expect(await assertMayAttempt(ports, address)).toMatchObject({ failures: 3 });
  });

  it('uses the wider address thresholds: throttled at 20, locked at 100', async () => {
    const { ports, events, advance } = lockoutPorts();
    const address = addressSubject('203.0.113.7');
    for (let i = 0; i < 19; i++) await recordFailedAttempt(ports, address, 'r');
    await assertMayAttempt(ports, address);
    await recordFailedAttempt(ports, address, 'r');
    expect((await refusal(assertMayAttempt(ports, address))).retryAfterSeconds).toBe(15);
    for (let i = 0; i < 80; i++) {
      advance(1);
      await recordFailedAttempt(ports, address, 'r');
    }
    expect(await refusal(assertMayAttempt(ports, address))).toMatchObject({ locked: true });
    expect(events.at(-1)).toMatchObject({ action: 'address.locked', subject: null, details: { address: '203.0.113.7' } });
  });

  it('unlocks at once and says whether there was a lock', async () => {
    const { ports } = lockoutPorts();
    for (let i = 0; i < 10; i++) await recordFailedAttempt(ports, ada, 'r');
    expect(await unlockPerson(ports, 'ada')).toBe(true);
    expect(await assertMayAttempt(ports, ada)).toEqual({ subject: ada, failures: 0 });
    expect(await unlockPerson(ports, 'ada')).toBe(false);
  });
});
