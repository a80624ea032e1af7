// Everything the console shows about one person, read in parallel: the
// directory entry (roles, organisations), authenticators, the sessions the
// person index names, throttles and locks, and the latest audit events about them.
import { queryAudit, type AuditEventView } from '../../admin/audit-query.ts';
import { listAuthenticators, type AuthenticatorView } from '../../directory/credentials/authenticators.ts';
import { findPerson, type Person } from '../../directory/people.ts';
import { personBlocks, type MethodBlock } from '../../limits/lockout.ts';
import type { Ports } from '../../ports.ts';
import { personObjectEntries, type IndexedObject } from '../../directory/person-index.ts';

export const RECENT_EVENTS = 20;

export interface PersonView {
  person: Person;
  authenticators: AuthenticatorView[];
  /**
   * The sessions the person index holds, newest first. The index keeps a session
   * until its own expiry, so one ended elsewhere (sign-out) may still be listed;
   * ending it again is harmless.
   */
  sessions: IndexedObject[];
  blocks: MethodBlock[];
  events: AuditEventView[];
}

export async function loadPersonView(ports: Ports, personId: string): Promise<PersonView | null> {
  const [person, authenticators, sessions, blocks, audit] = await Promise.all([
    findPerson(ports.db, personId),
    listAuthenticators(ports.db, personId),
    personObjectEntries(ports.db, personId, 'session', ports.now()),
    personBlocks(ports, personId),
    queryAudit(ports.db, { person: personId, limit: RECENT_EVENTS }),
  ]);
  return person ? { person, authenticators, sessions, blocks, events: audit.events } : null;
}
