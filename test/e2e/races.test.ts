// Races (docs/security.md, "A code redeemed twice at once") against `npm start`
// over real TCP: every round sends the same code, or the same refresh token,
// twice at once on two connections of their own. Exactly one wins; the other
// is refused and, being a reuse, revokes the grant (RFC 6749 §4.1.2, RFC 9700
// §4.14.2); afterwards every token of the grant introspects inactive, a third
// attempt fails cleanly and the audit log holds one reuse event per round.
// RACE_ROUNDS sets the rounds per test (CI default below; docs/testing.md:
// 1,000 in a longer local run) and RACE_LANES how many rounds run side by side.
import { afterAll, describe, expect, it } from 'vitest';
import type { HttpBrowser } from '../support/http-browser.ts';
import {
  auditEvents,
  grantIdOfAccessToken,
  introspect,
  nextCode,
  redeemCode,
  refresh,
  registerSecretClient,
  signedInBrowser,
  type SecretClient,
} from '../support/node/code-flow.ts';
import { Connection, type Answer } from '../support/node/connection.ts';
import { useStack } from '../support/node/lifecycle.ts';

const ROUNDS = Number(process.env.RACE_ROUNDS ?? 200);
const LANES = Number(process.env.RACE_LANES ?? 4);

const stack = useStack('races');
let browser: HttpBrowser;
const opened: Connection[] = [];

/** Two connections that race each other, and a third for the checks after the race. */
interface Lane {
  racers: [Connection, Connection];
  check: Connection;
}

function openLanes(): Lane[] {
  const open = () => {
    const conn = new Connection(stack.url);
    opened.push(conn);
    return conn;
  };
  return Array.from({ length: LANES }, () => ({ racers: [open(), open()], check: open() }));
}

/** Runs `round(i, lane)` for every round, LANES at a time; answers how often each racer won. */
async function runRounds(round: (i: number, lane: Lane) => Promise<0 | 1>): Promise<{ wins: [number, number]; lanes: Lane[] }> {
  const lanes = openLanes();
  const wins: [number, number] = [0, 0];
  let next = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      for (let i = next++; i < ROUNDS; i = next++) wins[await round(i, lane)]++;
    }),
  );
  return { wins, lanes };
}

/** Sends both at once, in a random order, so either connection may reach the grant first. */
async function race(send: (conn: Connection) => Promise<Answer>, [a, b]: [Connection, Connection]): Promise<[Answer, Answer]> {
  if (Math.random() < 0.5) return Promise.all([send(a), send(b)]);
  const [fromB, fromA] = await Promise.all([send(b), send(a)]);
  return [fromA, fromB];
}

/** Exactly one winner (200) and one loser refused with invalid_grant; answers the winner's index. */
function oneWinner(round: number, answers: [Answer, Answer]): 0 | 1 {
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 200), `round ${round}: ${JSON.stringify(answers.map((a) => a.json))}`).toHaveLength(1);
  const winner = statuses[0] === 200 ? 0 : 1;
  const loser = answers[1 - winner]!;
  expect(loser.status, `round ${round}`).toBe(400);
  expect(loser.json.error, `round ${round}`).toBe('invalid_grant');
  expect(loser.headers['cache-control'], `round ${round}`).toBe('no-store');
  return winner;
}

/** The racing sockets were really apart (no local port used by two racers), and each racer won some rounds. */
function expectSeparateSockets(lanes: Lane[], wins: [number, number]) {
  if (ROUNDS >= 50) expect(Math.min(...wins)).toBeGreaterThan(0);
  const racers = lanes.flatMap((l) => l.racers);
  expect(racers.every((c) => c.localPorts.size > 0)).toBe(true);
  const all = racers.flatMap((c) => [...c.localPorts]);
  expect(new Set(all).size).toBe(all.length);
}

/** One reuse event per round, for exactly the grants raced (the log may be written a moment later). */
async function expectReuseAudited(client: SecretClient, action: string, grantIds: string[]) {
  const deadline = Date.now() + 15_000;
  let events = await auditEvents(stack, { client: client.client_id, action });
  while (events.length < grantIds.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    events = await auditEvents(stack, { client: client.client_id, action });
  }
  expect(events.every((e) => e.outcome === 'failure' && e.details.revoked === true)).toBe(true);
  expect(events.map((e) => e.details.grant_id).sort()).toEqual([...grantIds].sort());
}

function report(what: string, started: number, wins: [number, number]) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`races: ${ROUNDS} rounds of ${what} in ${seconds} s (${LANES} lanes); wins by racer: ${wins.join(' / ')}`);
}

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
});

describe(`races over separate connections against npm start (RFC 6749 §4.1.2; ${ROUNDS} rounds)`, () => {
  it('lets exactly one of two simultaneous redemptions of a code win, and the other revokes what it issued (RFC 6749 §4.1.2)', async () => {
    const client = await registerSecretClient(stack, 'race-code');
    browser = await signedInBrowser(stack, client, 'race.person');
    const grantIds: string[] = [];
    const started = performance.now();
    const { wins, lanes } = await runRounds(async (i, { racers, check }) => {
      const code = await nextCode(browser, client);
      const answers = await race((conn) => redeemCode(conn, client, code), racers);
      const winner = oneWinner(i, answers);
      const tokens = answers[winner]!.json;
      grantIds.push(grantIdOfAccessToken(tokens.access_token));
      expect(tokens.refresh_token, `round ${i}`).toEqual(expect.any(String));
      // The second redemption was a reuse: nothing the first one got is live any more.
      for (const token of [tokens.access_token, tokens.refresh_token]) {
        expect(await introspect(check, client, token), `round ${i}`).toEqual({ active: false });
      }
      const third = await redeemCode(check, client, code);
      expect([third.status, third.json.error], `round ${i}`).toEqual([400, 'invalid_grant']);
      const refreshed = await refresh(check, client, tokens.refresh_token);
      expect([refreshed.status, refreshed.json.error], `round ${i}`).toEqual([400, 'invalid_grant']);
      return winner;
    });
    report('double code redemption', started, wins);
    expectSeparateSockets(lanes, wins);
    await expectReuseAudited(client, 'token.code_reuse', grantIds);
  });

  it('lets exactly one of two simultaneous uses of a refresh token win, and the other revokes the whole family (RFC 9700 §4.14.2)', async () => {
    const client = await registerSecretClient(stack, 'race-refresh');
    const grantIds: string[] = [];
    const started = performance.now();
    const { wins, lanes } = await runRounds(async (i, { racers, check }) => {
      const code = await nextCode(browser, client);
      const first = await redeemCode(check, client, code);
      expect(first.status, `round ${i}`).toBe(200);
      grantIds.push(grantIdOfAccessToken(first.json.access_token));
      const spent = first.json.refresh_token as string;
      const answers = await race((conn) => refresh(conn, client, spent), racers);
      const winner = oneWinner(i, answers);
      const rotated = answers[winner]!.json;
      expect(rotated.refresh_token, `round ${i}`).not.toBe(spent);
      // The replay revoked the family: the first tokens and the rotated ones alike.
      for (const token of [first.json.access_token, spent, rotated.access_token, rotated.refresh_token]) {
        expect(await introspect(check, client, token), `round ${i}`).toEqual({ active: false });
      }
      for (const token of [spent, rotated.refresh_token]) {
        const again = await refresh(check, client, token);
        expect([again.status, again.json.error], `round ${i}`).toEqual([400, 'invalid_grant']);
      }
      return winner;
    });
    report('double refresh token use', started, wins);
    expectSeparateSockets(lanes, wins);
    await expectReuseAudited(client, 'token.refresh_reuse', grantIds);
  });
});
