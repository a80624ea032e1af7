// The audit sink's group commit (src/audit.ts): events that arrive while an
// insert is in flight share the next insert, and each caller still learns the
// outcome of its own event. The real libSQL path is covered in test/worker.
import { describe, expect, it } from 'vitest';
import { createAuditSink } from '../../../src/audit.ts';
import type { AuditEvent, Database } from '../../../src/ports.ts';

interface Insert {
  rows: { actor: string }[];
  finish: (err?: Error) => void;
}

/** A database whose inserts wait until the test finishes them. */
function heldDatabase() {
  const inserts: Insert[] = [];
  const db = {
    insert: () => ({
      values: (rows: { actor: string }[]) =>
        new Promise<void>((resolve, reject) => {
          inserts.push({ rows, finish: (err) => (err ? reject(err) : resolve()) });
        }),
    }),
  } as unknown as Database;
  return { db, inserts };
}

const event = (actor: string): AuditEvent => ({ actor, action: 'token.issue', outcome: 'success' });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('audit group commit', () => {
  it('writes an event at once when nothing is in flight', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1);
    const done = sink.record(event('a'));
    await tick();
    expect(inserts.map((i) => i.rows.map((r) => r.actor))).toEqual([['a']]);
    inserts[0]!.finish();
    await expect(done).resolves.toBeUndefined();
  });

  it('batches the events that arrive during an insert into the next one, in order', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1);
    const first = sink.record(event('a'));
    const rest = ['b', 'c', 'd'].map((a) => sink.record(event(a)));
    await tick();
    expect(inserts).toHaveLength(1);
    inserts[0]!.finish();
    await first;
    await tick();
    expect(inserts.map((i) => i.rows.map((r) => r.actor))).toEqual([['a'], ['b', 'c', 'd']]);
    let settled = false;
    void Promise.all(rest).then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    inserts[1]!.finish();
    await Promise.all(rest);
  });

  it('fails only the callers whose batch failed, and carries on with the next', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1);
    const first = sink.record(event('a'));
    const second = sink.record(event('b'));
    await tick();
    inserts[0]!.finish(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await tick();
    inserts[1]!.finish();
    await expect(second).resolves.toBeUndefined();
    const third = sink.record(event('c'));
    await tick();
    expect(inserts).toHaveLength(3);
    inserts[2]!.finish();
    await expect(third).resolves.toBeUndefined();
  });

  it('splits a long queue into batches of at most the maximum', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1, { maxBatch: 2 });
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((a) => sink.record(event(a)));
    for (let i = 0; i < 4; i++) {
      await tick();
      inserts[i]!.finish();
    }
    await Promise.all(all);
    expect(inserts.map((i) => i.rows.map((r) => r.actor))).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
  });

  it('gives up on an insert that never settles, and the next event is written', async () => {
    const { db, inserts } = heldDatabase();
    const sink = createAuditSink(db, () => 1, { stallMs: 50 });
    const stuck = sink.record(event('a'));
    const behind = sink.record(event('b'));
    await expect(stuck).rejects.toThrow('did not finish');
    await tick();
    expect(inserts.map((i) => i.rows.map((r) => r.actor))).toEqual([['a'], ['b']]);
    inserts[1]!.finish();
    await expect(behind).resolves.toBeUndefined();
  });
});
