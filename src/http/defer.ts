// Work that may finish after the response: on Workers the request's waitUntil
// keeps it alive; elsewhere it simply runs on. Failures are the work's own to log.
import type { Context } from 'hono';

export type Defer = (work: Promise<unknown>) => void;

export function deferFor(c: Context): Defer {
  let waitUntil: ((p: Promise<unknown>) => void) | undefined;
  try {
    const ctx = c.executionCtx;
    waitUntil = ctx.waitUntil.bind(ctx);
  } catch {
    // No execution context outside Workers (Hono throws when there is none).
  }
  return (work) => {
    const settled = work.catch(() => undefined);
    waitUntil?.(settled);
  };
}
