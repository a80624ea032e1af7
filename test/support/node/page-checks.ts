// Checks a person would make of each page, run in Chromium: axe-core at the
// WCAG 2.2 A and AA rule tags, reflow at 320 CSS pixels (what 400% zoom of a
// 1280 px window leaves), and screenshots at 1280 and 375 px under
// test-artifacts/pages/ for people to look at.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ARTIFACTS, type Page } from './browser.ts';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's violations on the page as it is now. The source goes in through
 * DevTools evaluation, which the pages' CSP (script-src 'self') does not govern,
 * so the page under test keeps its real headers.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: { target: string[] }) => n.target.join(' ')) }));
  }, WCAG_TAGS);
}

/** WCAG 1.4.10: at 320 CSS px nothing needs a horizontal scroll; answers how far the page overflows. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export const PAGE_SHOTS = join(ARTIFACTS, 'pages');

/** A full-page screenshot at `width`, as test-artifacts/pages/<name>-<width>.png. */
export async function screenshotAt(page: Page, name: string, width: number): Promise<string> {
  mkdirSync(PAGE_SHOTS, { recursive: true });
  await page.setViewportSize({ width, height: 900 });
  const file = join(PAGE_SHOTS, `${name}-${width}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface PageReport {
  name: string;
  title: string;
  violations: AxeViolation[];
  overflowAt320: number;
}

/**
 * Everything for one page state: axe at 1280 and 320 px, reflow at 320 px, and
 * screenshots at 1280 and 375 px. Leaves the viewport at 1280 px.
 */
export async function checkPage(page: Page, name: string): Promise<PageReport> {
  await page.setViewportSize({ width: 1280, height: 900 });
  const violations = await axeViolations(page);
  await screenshotAt(page, name, 1280);
  await screenshotAt(page, name, 375);
  await page.setViewportSize({ width: 320, height: 640 });
  const narrow = await axeViolations(page);
  const overflowAt320 = await horizontalOverflow(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  const seen = new Set(violations.map((v) => v.id));
  return { name, title: await page.title(), violations: [...violations, ...narrow.filter((v) => !seen.has(v.id))], overflowAt320 };
}

/** Prints each page's result, then expects no axe violation and no horizontal scroll at 320 px on any of them. */
export function expectAccessible(reports: PageReport[]): void {
  console.log(reports.map((r) => `${r.name}: "${r.title}", ${r.violations.length} violations, overflow at 320 px ${r.overflowAt320}`).join('\n'));
  expect(reports.flatMap((r) => r.violations.map((v) => `${r.name}: ${v.id} (${v.help}) at ${v.nodes.join(', ')}`))).toEqual([]);
  expect(reports.filter((r) => r.overflowAt320 > 0).map((r) => r.name)).toEqual([]);
}

/**
 * Stands in for a person who has not picked a passkey from autofill: each
 * conditional navigator.credentials.get() stays pending until its signal is
 * aborted, as in a real browser (a CDP virtual authenticator instead answers a
 * conditional request at once, or refuses it when it holds no passkey). As
 * Chromium does, a modal request refuses to start while an aborted conditional
 * one is still winding down ("A request is already pending"), which takes the
 * browser a moment. Modal requests go to the real API (the virtual
 * authenticator). Each call, abort and outcome is logged in order in
 * window.__webauthnLog (and on the console) as e.g. "start conditional#1", "abort conditional#1".
 */
export function pendingAutofillScript(): void {
  const entries: string[] = [];
  (window as unknown as { __webauthnLog: string[] }).__webauthnLog = entries;
  // Also on the console, so that a test still has the log once the page has navigated away.
  const log = { push: (entry: string) => (entries.push(entry), console.debug(`[webauthn] ${entry}`)) };
  if (!navigator.credentials) return;
  const get = navigator.credentials.get.bind(navigator.credentials);
  let n = 0;
  let windingDown = 0;
  const logged = <T,>(id: string, promise: Promise<T>): Promise<T> =>
    promise.then(
      (value) => {
        log.push(`resolve ${id}`);
        return value;
      },
      (err: unknown) => {
        log.push(`reject ${id}`);
        throw err;
      },
    );
  navigator.credentials.get = (options?: CredentialRequestOptions) => {
    const conditional = (options as { mediation?: string } | undefined)?.mediation === 'conditional';
    const id = `${conditional ? 'conditional' : 'modal'}#${++n}`;
    log.push(`start ${id}`);
    const signal = options?.signal;
    if (!conditional) {
      if (windingDown > 0) return logged(id, Promise.reject(new DOMException('A request is already pending.', 'NotAllowedError')));
      return logged(id, get(options));
    }
    windingDown++;
    return logged(
      id,
      new Promise<Credential | null>((_, reject) => {
        signal?.addEventListener('abort', () => {
          log.push(`abort ${id}`);
          setTimeout(() => {
            windingDown--;
            reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
          }, 50);
        });
      }),
    );
  };
}
