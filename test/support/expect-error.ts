// The error response of RFC 6749 §5.2 (and RFC 7591 §3.2.2, RFC 7644 aside):
// the status, the error code and a human-readable error_description.
import { expect } from 'vitest';

export interface ExpectErrorOptions {
  /** Also require Cache-Control: no-store (RFC 6749 §5.1, §5.2). */
  noStore?: boolean;
  /** The body holds error and error_description and nothing else. */
  exact?: boolean;
}

export async function expectError(res: Response, status: number, error: string, options: ExpectErrorOptions = {}): Promise<void> {
  expect(res.status).toBe(status);
  if (options.noStore) expect(res.headers.get('cache-control')).toBe('no-store');
  const body = await res.json();
  const shape = { error, error_description: expect.any(String) };
  if (options.exact) expect(body).toEqual(shape);
  else expect(body).toMatchObject(shape);
}
