import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/console/csv.ts';

/** A strict RFC 4180 reader: every field quoted, CRLF between records. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    expect(text[i]).toBe('"');
    let field = '';
    i++;
    for (;;) {
      const quote = text.indexOf('"', i);
      expect(quote).toBeGreaterThanOrEqual(0);
      field += text.slice(i, quote);
      if (text[quote + 1] === '"') {
        field += '"';
        i = quote + 2;
      } else {
        i = quote + 1;
        break;
      }
    }
    record.push(field);
    if (text[i] === ',') i++;
    else {
      expect(text.slice(i, i + 2)).toBe('\r\n');
      i += 2;
      records.push(record);
      record = [];
    }
  }
  return records;
}

describe('CSV fields (RFC 4180 §2)', () => {
  it('quotes every field and doubles quotes inside (§2.5, §2.7)', () => {
    expect(csvField('plain')).toBe('"plain"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes absent values as empty fields and numbers as they are', () => {
    expect(csvField(null)).toBe('""');
    expect(csvField(undefined)).toBe('""');
    expect(csvField(42)).toBe('"42"');
    expect(csvField(-3)).toBe('"-3"');
    expect(csvField(Number.NaN)).toBe('""');
    expect(csvField(true)).toBe('"true"');
  });

  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK(""http://evil.example"",""x"")`],
    ['+1+cmd|/C calc!A0', "'+1+cmd|/C calc!A0"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
  ])('prefixes text a spreadsheet would read as a formula with an apostrophe (OWASP CSV injection): %j', (value, inside) => {
    expect(csvField(value)).toBe(`"${inside}"`);
  });

  it('leaves text that merely contains formula characters alone', () => {
    expect(csvField('a=b')).toBe('"a=b"');
    expect(csvField(' =1')).toBe('" =1"');
    expect(csvField('person@example.org')).toBe('"person@example.org"');
  });
});

describe('CSV documents', () => {
  it('ends every record with CRLF and reads back to the same fields (§2.1, §2.6)', () => {
    const rows = [
      [1, 'signin', '{"method":"passkey","amr":["FIDO2"]}', null],
      [2, 'multi\r\nline, "quoted"', '=cmd', 'ok'],
    ];
    const text = toCsv(['id', 'action', 'details', 'note'], rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(readCsv(text)).toEqual([
      ['id', 'action', 'details', 'note'],
      ['1', 'signin', '{"method":"passkey","amr":["FIDO2"]}', ''],
      ['2', 'multi\r\nline, "quoted"', "'=cmd", 'ok'],
    ]);
  });

  it('writes the header alone when there are no rows', () => {
    expect(toCsv(['id', 'at'], [])).toBe('"id","at"\r\n');
  });
});
