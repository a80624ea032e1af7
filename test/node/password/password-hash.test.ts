import { pbkdf2Sync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashPassword, parseHash, PBKDF2_ITERATIONS, verifyPassword } from '../../../src/password/password-hash.ts';
import { blocklistEntries, blocklistModule, SOURCE, TARGET } from '../../../scripts/password-blocklist.ts';
import { COMMON_PASSWORDS } from '../../../src/password/common-passwords.ts';
import { isCommonPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../../../src/password/password-policy.ts';

const FORMAT = /^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/;

describe('PBKDF2-SHA256 password hashes (RFC 8018 §5.2)', () => {
  it('stores pbkdf2-sha256$<iterations>$<16-byte salt>$<32-byte hash>, salted afresh each time', async () => {
    const [a, b] = [await hashPassword('correct horse battery'), await hashPassword('correct horse battery')];
    expect(a).toMatch(FORMAT);
    expect(b).toMatch(FORMAT);
    expect(a).not.toBe(b);
    expect(parseHash(a)).toMatchObject({ iterations: PBKDF2_ITERATIONS });
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword('correct horse batterY', stored)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword('', stored)).toEqual({ ok: false, needsRehash: false });
  });

  it('reads a hash made by another PBKDF2-HMAC-SHA256 implementation (Node crypto.pbkdf2Sync)', async () => {
    const salt = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const hash = pbkdf2Sync('correct horse battery', salt, 1000, 32, 'sha256');
    const stored = `pbkdf2-sha256$1000$${salt.toString('base64url')}$${hash.toString('base64url')}`;
    expect(await verifyPassword('correct horse battery', stored)).toEqual({ ok: true, needsRehash: true });
    expect((await verifyPassword('correct horse batter', stored)).ok).toBe(false);
  });

  it('verifies hashes made with fewer iterations and asks for them to be raised', async () => {
    const old = await hashPassword('correct horse battery', 1_000);
    expect(old).toMatch(/^pbkdf2-sha256\$1000\$/);
    expect(await verifyPassword('correct horse battery', old)).toEqual({ ok: true, needsRehash: true });
  });

  it.each([
    ['another scheme', 'bcrypt$10$abc$def'],
    ['more iterations than a Worker may compute', 'pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a short salt', 'pbkdf2-sha256$100000$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['extra parts', 'pbkdf2-sha256$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA$x'],
    ['leading zeros', 'pbkdf2-sha256$0100$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA'],
  ])('refuses a stored value with %s', async (_what, stored) => {
    expect(parseHash(stored)).toBeNull();
    expect(await verifyPassword('anything at all', stored)).toEqual({ ok: false, needsRehash: false });
  });

  it('refuses any password when none is stored, after spending the same work', async () => {
    const started = performance.now();
    expect(await verifyPassword('correct horse battery', null)).toEqual({ ok: false, needsRehash: false });
    expect(performance.now() - started).toBeGreaterThan(3);
  });

  it('compares normalised text (NFKC): the same characters typed another way still match', async () => {
    const stored = await hashPassword('café au lait 12');
    expect((await verifyPassword('cafe\u0301 au lait 12', stored)).ok).toBe(true);
  });

  it('costs about the same in Node as measured in the README (100,000 iterations)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await hashPassword('correct horse battery');
      times.push(performance.now() - started);
    }
    const median = times.sort((a, b) => a - b)[2]!;
    console.log(`PBKDF2-SHA256 100,000 iterations in Node: median ${median.toFixed(1)} ms of ${times.map((t) => t.toFixed(1)).join(', ')}`);
    expect(median).toBeLessThan(500);
  });
});

describe('the password policy (NIST SP 800-63B §5.1.1.2)', () => {
  it.each([
    ['too short', 'abcdefghijk'.slice(0, MIN_PASSWORD_LENGTH - 1), /at least 12/],
    ['too long', 'ab'.repeat(129), /at most 256/],
    ['the userName in other case', 'Ada.Lovelace1', /userName/],
    ['one character repeated', 'x'.repeat(20), /repeat/],
    ['a control character', 'correct horse\u0007battery', /control/],
    ['a common one from the breach corpus', 'iloveyou1234', /too common/],
    ['a common one in other letter case', 'PassWord1234', /too common/],
  ])('refuses a password that is %s', (_what, password, message) => {
    expect(passwordProblem(password, 'ada.lovelace1')).toMatch(message);
  });

  it('checks the blocklist in well under a millisecond once built (a Set per isolate)', () => {
    expect(isCommonPassword('QWERTYUIOPASDFGHJKL')).toBe(true);
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) isCommonPassword(`correct horse battery ${i}`);
    expect((performance.now() - started) / 10_000).toBeLessThan(0.05);
  });

  it('keeps only what the length rules let through, generated from the pinned SecLists top 1,000,000', () => {
    const entries = COMMON_PASSWORDS.split('\n');
    expect(entries.length).toBeGreaterThan(40_000);
    expect(entries.every((p) => [...p].length >= MIN_PASSWORD_LENGTH && p === p.toLowerCase())).toBe(true);
    expect(blocklistModule(blocklistEntries(readFileSync(SOURCE, 'latin1')))).toBe(readFileSync(TARGET, 'utf8'));
  });

  it('accepts a long passphrase without composition rules', () => {
    expect(passwordProblem('correct horse battery staple', 'ada.lovelace')).toBeNull();
  });
});
