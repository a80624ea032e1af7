// The browser's session as request handlers see it: the handle from the
// cookie, and a new session (with its cookie) when there is none.
import type { Context } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { readSessionCookie, writeSessionCookie } from './cookies.ts';
import type { OpenedSession, Session } from './session-store.ts';

export interface BrowserSession {
  handle: string;
  session: Session;
}

export function sessionHandle(c: Context<AppEnv>): string | null {
  return readSessionCookie(c, c.var.ports.config.issuer);
}

/** The live session the cookie names, or null. */
export async function currentSession(c: Context<AppEnv>): Promise<BrowserSession | null> {
  const handle = sessionHandle(c);
  const session = handle ? await c.var.ports.sessions.load(handle, c.var.ports.now()) : null;
  return handle && session ? { handle, session } : null;
}

/**
 * Sets the cookie for a new or re-keyed session. It ends with the browser (CONTRACT §6:
 * closing it is the surest sign nobody is there); with the remembered-device policy
 * on, a signed-in session's cookie lives exactly as long as the session.
 */
export function setSessionCookie(c: Context<AppEnv>, opened: OpenedSession): void {
  const { config, now } = c.var.ports;
  const remembered = config.rememberDevice && opened.session.authentication;
  const maxAge = remembered ? (opened.session.expiresAt - now()) / 1000 : undefined;
  writeSessionCookie(c, config.issuer, opened.handle, maxAge);
}

/** Opens a session, only once a sign-in or a kept authorization request needs one, within the address's limit. */
export async function startSession(c: Context<AppEnv>): Promise<BrowserSession> {
  await c.var.openSessionSlot?.();
  const opened = await c.var.ports.sessions.create(c.var.ports.now());
  setSessionCookie(c, opened);
  return opened;
}
