// Signing keys: each algorithm's next, current and retired keys, as the JWKS
// publishes them, and the rotation (next → current → retired) behind a
// CSRF-guarded form. The state is written in words, never only a colour.
import { JWKS_MAX_AGE_SECONDS } from '../../keys/jwks.ts';
import { CONSOLE, WELL_KNOWN } from '../../paths.ts';
import { SIGNING_ALGS } from '../../keys/key-generation.ts';
import type { KeyStatus } from '../../ports.ts';
import type { PageError } from '../../pages/error-summary.tsx';
import { CSRF_FIELD } from '../../session/csrf.ts';
import { ConsoleLayout, type ConsoleLayoutProps } from '../layout.tsx';
import { ScrollTable } from '../table.tsx';

const STATE_ORDER = { next: 0, current: 1, retired: 2 } as const;

const STATE_TEXT = {
  next: { name: 'Next', says: 'Published, not yet signing: becomes current at the next rotation.' },
  current: { name: 'Current', says: 'Signs new tokens.' },
  retired: { name: 'Retired', says: 'No longer signs; published until the tokens it signed have expired.' },
} as const;

const ALG_USE: Record<string, string> = {
  RS256: 'ID tokens by default (OpenID Connect, CIS2)',
  ES256: 'access tokens, and ID tokens for clients that ask',
  PS256: 'ID tokens for clients that ask (FAPI 2.0)',
  EdDSA: 'ID tokens for clients that ask',
};

/** The rotation form's record of the current keys on the page. */
export const SEEN_FIELD = 'seen';

/** The current kids, in one string: what the operator saw when they pressed Rotate. */
export const keySetSeen = (keys: KeyStatus[]) =>
  keys
    .filter((k) => k.state === 'current')
    .map((k) => k.kid)
    .sort()
    .join(' ');

export interface KeysPageProps extends Pick<ConsoleLayoutProps, 'operator' | 'csrfToken'> {
  keys: KeyStatus[];
  status?: string;
  errors?: PageError[];
}

export function KeysPage({ operator, csrfToken, keys, status, errors = [] }: KeysPageProps) {
  const algs = [...SIGNING_ALGS, ...new Set(keys.map((k) => k.alg).filter((a) => !SIGNING_ALGS.includes(a)))];
  return (
    <ConsoleLayout title="Signing keys" operator={operator} csrfToken={csrfToken} section={CONSOLE.keys} errors={errors}>
      <h1>Signing keys</h1>
      {status ? (
        <p role="status" class="nhsuk-body">
          {status}
        </p>
      ) : null}
      <p>
        The keys the service signs tokens with, as relying parties see them at <a href={WELL_KNOWN.jwks}>{WELL_KNOWN.jwks}</a>. Each key ID is the key's
        RFC 7638 thumbprint.
      </p>
      {algs.map((alg) => {
        const rows = keys.filter((k) => k.alg === alg).sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state]);
        if (rows.length === 0) return null;
        return (
          <ScrollTable caption={`${alg}: ${ALG_USE[alg] ?? 'signing'}`} captionId={`keys-${alg}`} headers={['State', 'Key ID (kid)', 'What it does']}>
            {rows.map((k) => (
              <tr class="nhsuk-table__row" data-state={k.state} data-alg={k.alg}>
                <td class="nhsuk-table__cell">
                  <strong class="nhsuk-tag nhsuk-tag--white">{STATE_TEXT[k.state].name}</strong>
                </td>
                <td class="nhsuk-table__cell">
                  <code>{k.kid}</code>
                </td>
                <td class="nhsuk-table__cell">{STATE_TEXT[k.state].says}</td>
              </tr>
            ))}
          </ScrollTable>
        );
      })}
      <h2>Rotate the keys</h2>
      <p>
        For every algorithm, the current key retires, the next key starts signing and a new next key is published. Relying parties may keep the
        key set for {JWKS_MAX_AGE_SECONDS / 60} minutes, so leave at least that long between rotations.
      </p>
      <form method="post" action={CONSOLE.rotateKeys}>
        <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
        <input type="hidden" name={SEEN_FIELD} value={keySetSeen(keys)} />
        <button type="submit" class="nhsuk-button nhsuk-button--secondary">
          Rotate the signing keys
        </button>
      </form>
    </ConsoleLayout>
  );
}
