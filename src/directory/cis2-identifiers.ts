// CIS2's identifiers are 12-digit numeric strings: the person's uid, and
// person_orgid / person_roleid (CONTRACT §4, §8). Random, so that nothing
// about a person or the order of provisioning can be read from them.

/** Twelve uniformly random decimal digits, the first never 0. */
export function randomTwelveDigits(): string {
  let digits = '';
  while (digits.length < 12) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      // Bytes from 250 up would make low digits likelier than high ones.
      if (byte >= 250 || (digits === '' && byte % 10 === 0) || digits.length === 12) continue;
      digits += String(byte % 10);
    }
  }
  return digits;
}
