import { describe, expect, it } from 'vitest';
import { parseBasicCredentials } from '../../../src/oauth/client-authentication.ts';

const basic = (s: string) => `Basic ${Buffer.from(s, 'utf8').toString('base64')}`;

describe('parseBasicCredentials (RFC 6749 §2.3.1)', () => {
  it('splits at the first colon and form-urldecodes both parts', () => {
    expect(parseBasicCredentials(basic('client:secret'))).toEqual({ clientId: 'client', clientSecret: 'secret' });
    expect(parseBasicCredentials(basic('a%3Ab:s%3Ac%25d'))).toEqual({ clientId: 'a:b', clientSecret: 's:c%d' });
    expect(parseBasicCredentials(basic('id:with:colons'))).toEqual({ clientId: 'id', clientSecret: 'with:colons' });
  });

  it('decodes + as a space, as application/x-www-form-urlencoded does', () => {
    expect(parseBasicCredentials(basic('my+client:p%2Bq+r'))).toEqual({ clientId: 'my client', clientSecret: 'p+q r' });
  });

  it('takes UTF-8 after percent-decoding and the scheme in any case', () => {
    expect(parseBasicCredentials(`basic ${Buffer.from('c:%C3%A9').toString('base64')}`)).toEqual({ clientId: 'c', clientSecret: 'é' });
  });

  it.each([
    ['another scheme', 'Bearer abc'],
    ['no credentials', 'Basic '],
    ['not base64', 'Basic ***'],
    ['no colon', basic('nocolon')],
    ['an empty client id', basic(':secret')],
    ['a broken escape', basic('a:%E0%A4%A')],
    ['invalid UTF-8', `Basic ${Buffer.from([0x63, 0x3a, 0xff]).toString('base64')}`],
  ])('returns null for %s', (_, header) => {
    expect(parseBasicCredentials(header)).toBeNull();
  });
});
