// CSV for the console's exports (RFC 4180): every field quoted, quotes doubled,
// CRLF between records. A text field a spreadsheet would read as a formula
// (first character = + - @ tab or CR) is prefixed with an apostrophe, as OWASP's
// CSV injection guidance says, so an audited value such as a username cannot
// run in the operator's spreadsheet.

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: text neutralised against formula injection, then quoted (RFC 4180 §2.5–2.7). */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '""';
  // Only numbers this service computed are written bare; a negative one would
  // still not be a formula, but quoting keeps every field alike for readers.
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  const safe = typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** A header record and one record per row, each ended by CRLF (RFC 4180 §2.1). */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
