// Fuzzed requests at the console for workerd tests: the methods a browser and a
// hostile client send, a form content type (or a wrong or missing one), and the
// caller's paths, headers (cookies, origins) and form bodies.
import fc from 'fast-check';
import { contentType } from './fuzz-headers.ts';
import { fuzzRequest, headerList, type FuzzRequest } from './fuzz-harness.ts';

const FORM = 'application/x-www-form-urlencoded';

export function consoleFuzzRequest(parts: { path: fc.Arbitrary<string>; headers: Record<string, fc.Arbitrary<string | undefined>>; body: fc.Arbitrary<string> }): fc.Arbitrary<FuzzRequest> {
  return fuzzRequest({
    method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD'),
    path: parts.path,
    headers: fc.record({ 'content-type': contentType(FORM), ...parts.headers }).map(headerList),
    body: parts.body,
  });
}
