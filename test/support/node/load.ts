// Steady background load for fault tests: a few loops, each sending the next
// kind of call as soon as the last one answered, recording every outcome so the
// test can judge them all once the fault is over.
import type { Answer } from './oauth-calls.ts';

export interface Outcome {
  kind: string;
  /** 0 when no answer came at all (connection refused or reset, or hung past the give-up time). */
  status: number;
  ms: number;
  /** The answer was a 503 saying, in its RFC's shape, that storage is unavailable. */
  unavailable: boolean;
  detail?: string;
}

export interface Load {
  outcomes: Outcome[];
  stop(): Promise<Outcome[]>;
}

function saysUnavailable(answer: Answer): boolean {
  if (answer.status !== 503 || !/^\d+$/.test(answer.headers.get('retry-after') ?? '')) return false;
  const { error, schemas, status } = answer.json;
  // RFC 6749 §4.1.2.1 names temporarily_unavailable; SCIM (RFC 7644 §3.12) carries the status.
  return error === 'temporarily_unavailable' || (Array.isArray(schemas) && status === '503');
}

export function startLoad(loops: number, calls: Record<string, () => Promise<Answer>>): Load {
  const kinds = Object.keys(calls);
  const outcomes: Outcome[] = [];
  let running = true;
  const work = Array.from({ length: loops }, async (_, loop) => {
    for (let n = loop; running; n++) {
      const kind = kinds[n % kinds.length]!;
      const started = performance.now();
      try {
        const answer = await calls[kind]!();
        const outcome: Outcome = { kind, status: answer.status, ms: answer.ms, unavailable: saysUnavailable(answer) };
        if (answer.status !== 200) outcome.detail = answer.text.slice(0, 200);
        outcomes.push(outcome);
      } catch (err) {
        outcomes.push({ kind, status: 0, ms: performance.now() - started, unavailable: false, detail: String(err) });
      }
    }
  });
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(work);
      return outcomes;
    },
  };
}
