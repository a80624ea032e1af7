// The audit sink (src/audit.ts): must-write events are inserted in the caller's
// own request before it answers, taking buffered best-effort rows along;
// best-effort events otherwise share one batched insert per flush, run by the
// first caller that finds none running. The real libSQL path is covered in
// test/worker and test/node/flows/sign-in-round-trips.test.ts.
import { describe, expect, it } from 'vitest';
import { BEST_EFFORT_ACTIONS, createAuditSink, type AuditSinkOptions } from '../../../src/audit.ts';
import type { AuditEvent, Database } from '../../../src/ports.ts';

interface Insert {
  sql: string;
  actors: string[];
  finish: (err?: Error) => void;
}

/** A database whose `$client.execute` waits until the test finishes it. */
function heldDatabase() {
  const inserts: Insert[] = [];
  const db = {
    $client: {
      execute: ({ sql, args }: { sql: string; args: unknown[] }) =>
        new Promise<void>((resolve, reject) => {
          // 8 values a row; the actor is the second.
          const actors = args.filter((_, i) => i % 8 === 1) as string[];
          inserts.push({ sql, actors, finish: (err) => (err ? reject(err) : resolve()) });
        }),
    },
  } as unknown as Database;
  return { db, inserts };
}

const issued = (actor: string): AuditEvent => ({ actor, action: 'token.issue', outcome: 'success' });
const signedIn = (actor: string): AuditEvent => ({ actor, action: 'authenticate.passkey', outcome: 'success' });
const tick = () => new Promise((r) => setTimeout(r, 0));
/** Flushes that start at once, for the tests of batching and hand-over. */
const sinkOf = (db: Database, options: AuditSinkOptions = {}) => createAuditSink(db, () => 1, { carryMs: 0, ...options });

describe('audit sink: must-write events', () => {
  it('inserts an authentication in its own request and resolves only once it is stored', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1);
    let stored = false;
    const done = sink.record(signedIn('a')).then(() => (stored = true));
    await tick();
    expect(inserts.map((i) => i.actors)).toEqual([['a']]);
    expect(inserts[0]!.sql).toMatch(/^INSERT INTO audit_events \(at, actor, action, subject, client_id, outcome, details, request_id\) VALUES \(\?/);
    expect(stored).toBe(false);
    inserts[0]!.finish();
    await done;
    expect(stored).toBe(true);
  });

  it('fails the caller when its insert fails, so the answer is not given without the record', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1);
    const done = sink.record(signedIn('a'));
    await tick();
    inserts[0]!.finish(new Error('database down'));
    await expect(done).rejects.toThrow('database down');
  });

  it('never shares an insert between two must-write callers, even while a flush runs', async () => {
    const { db, inserts } = heldDatabase();
    const sink = sinkOf(db);
    void sink.record(issued('x'));
    void sink.record(signedIn('a'));
    void sink.record(signedIn('b'));
    await tick();
    expect(inserts.map((i) => i.actors)).toEqual([['x'], ['a'], ['b']]);
  });

  it('takes the buffered best-effort rows along in its own insert, older rows first, so they need no round trip of their own', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1, { carryMs: 30 });
    const flush = sink.record(issued('x'));
    void sink.record(issued('y'));
    const done = sink.record(signedIn('a'));
    await tick();
    expect(inserts.map((i) => i.actors)).toEqual([['x', 'y', 'a']]);
    inserts[0]!.finish();
    await done;
    // The flush wakes to an empty buffer and writes nothing.
    await flush;
    expect(inserts).toHaveLength(1);
  });

  it('puts the rows it carried back in the buffer when its insert fails, and still fails the caller', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1, { carryMs: 30 });
    const flush = sink.record(issued('x'));
    const done = sink.record(signedIn('a'));
    await tick();
    inserts[0]!.finish(new Error('database down'));
    await expect(done).rejects.toThrow('database down');
    await new Promise((r) => setTimeout(r, 40));
    expect(inserts.map((i) => i.actors)).toEqual([['x', 'a'], ['x']]);
    inserts[1]!.finish();
    await flush;
  });

  it('treats only tokens issued, failed client authentication and back-channel attempts as best effort', () => {
    expect([...BEST_EFFORT_ACTIONS].sort()).toEqual(['client.authenticate', 'logout.backchannel', 'token.issue']);
  });
});

describe('audit sink: best-effort events', () => {
  it('waits CARRY_MS once per flush, not per event, before writing what no must-write took', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1, { carryMs: 30 });
    const first = sink.record(issued('a'));
    void sink.record(issued('b'));
    await tick();
    expect(inserts).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(inserts.map((i) => i.actors)).toEqual([['a', 'b']]);
    inserts[0]!.finish();
    await first;
  });

  it('starts a flush in the first caller, and later callers resolve at once without waiting on it', async () => {
    const { db, inserts } = heldDatabase();
    const sink = sinkOf(db);
    let firstDone = false;
    const first = sink.record(issued('a')).then(() => (firstDone = true));
    const rest = ['b', 'c', 'd'].map((a) => sink.record(issued(a)));
    // The later callers hold no promise of the first request's flush.
    await expect(Promise.all(rest)).resolves.toEqual([undefined, undefined, undefined]);
    await tick();
    expect(inserts.map((i) => i.actors)).toEqual([['a']]);
    inserts[0]!.finish();
    await tick();
    // The buffered rows go in one insert, in order, within the same flush.
    expect(inserts.map((i) => i.actors)).toEqual([['a'], ['b', 'c', 'd']]);
    expect(firstDone).toBe(false);
    inserts[1]!.finish();
    await first;
  });

  it('splits a long buffer into batches of at most the maximum', async () => {
    const { db, inserts } = heldDatabase();
    const sink = sinkOf(db, { maxBatch: 2 });
    const first = sink.record(issued('a'));
    for (const a of ['b', 'c', 'd', 'e', 'f']) void sink.record(issued(a));
    for (let i = 0; i < 4; i++) {
      await tick();
      inserts[i]!.finish();
    }
    await first;
    expect(inserts.map((i) => i.actors)).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
  });

  it('ends a flush on a failed insert and leaves the rest to the next caller', async () => {
    const { db, inserts } = heldDatabase();
    const sink = sinkOf(db);
    const first = sink.record(issued('a'));
    void sink.record(issued('b'));
    await tick();
    inserts[0]!.finish(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    const next = sink.record(issued('c'));
    await tick();
    expect(inserts.map((i) => i.actors)).toEqual([['a'], ['b', 'c']]);
    inserts[1]!.finish();
    await expect(next).resolves.toBeUndefined();
  });

  it('starts a new flush when the running one has stalled (its request was cancelled)', async () => {
    const { db, inserts } = heldDatabase();
    const sink = sinkOf(db, { stallMs: 20 });
    void sink.record(issued('a'));
    await expect(sink.record(issued('b'))).resolves.toBeUndefined();
    await new Promise((r) => setTimeout(r, 30));
    const next = sink.record(issued('c'));
    await tick();
    // The stuck insert of 'a' is given up; 'b' waited in the buffer and goes with 'c'.
    expect(inserts.map((i) => i.actors)).toEqual([['a'], ['b', 'c']]);
    inserts[1]!.finish();
    await expect(next).resolves.toBeUndefined();
  });

  it('hands over after its time so that no request carries the buffer for ever', async () => {
    const { db, inserts } = heldDatabase();
    const sink = sinkOf(db, { handoffMs: 10 });
    const first = sink.record(issued('a'));
    void sink.record(issued('b'));
    await new Promise((r) => setTimeout(r, 20));
    inserts[0]!.finish();
    await first;
    // 'b' was not taken by the flush that ran out of time; the next event's flush takes it.
    expect(inserts).toHaveLength(1);
    const next = sink.record(issued('c'));
    await tick();
    expect(inserts.map((i) => i.actors)).toEqual([['a'], ['b', 'c']]);
    inserts[1]!.finish();
    await next;
  });
});
