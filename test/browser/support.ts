/**
 * The console in headless Chromium (Debian's, driven by puppeteer-core) against the whole app on
 * a loopback port, for the browser tests: start both, record every request that leaves the
 * server and every error the page throws, sign in, and small helpers to read and wait on the
 * page. Page-side code is passed as text: the tests compile without the DOM library.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { App, AppHooks } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

export const CHROMIUM = '/usr/bin/chromium';

export interface ConsoleSession {
  app: App;
  browser: Browser;
  page: Page;
  origin: string;
  /** Requests to anywhere but this server (none may happen). */
  outside: string[];
  /** Errors thrown in the page, and dialogs it opened that nobody expected. */
  pageErrors: string[];
  api: ReturnType<typeof apiClient>;
  close(): Promise<void>;
}

export async function openConsole(
  name: string,
  env: Record<string, string> = {},
  hooks: AppHooks = {},
): Promise<ConsoleSession> {
  const app = await startTestApp(name, { ADMIN_API_KEY: TEST_API_KEY, ...env }, hooks);
  const origin = `http://127.0.0.1:${app.port}`;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.setDefaultTimeout(10_000);
  const outside: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) outside.push(url);
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // A console file that fails to load (a module 404) throws nothing in the page: record it too.
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/console/'))
      pageErrors.push(`${r.status()} ${r.url()}`);
  });
  // Confirmations (cancel a campaign or an instance) are accepted: the tests mean them.
  page.on('dialog', (d) => void d.accept());
  return {
    app,
    browser,
    page,
    origin,
    outside,
    pageErrors,
    api: apiClient(() => app),
    close: async () => {
      await browser.close();
      await stopTestApp(app);
    },
  };
}

/** Helpers bound to one page. */
export function pageTools(page: Page) {
  const inPage = <T>(js: string) => page.evaluate(js) as Promise<T>;
  const q = (selector: string) => JSON.stringify(selector);
  const text = (selector: string) =>
    inPage<string>(`document.querySelector(${q(selector)})?.textContent ?? ''`);
  const texts = (selector: string) =>
    inPage<string[]>(`[...document.querySelectorAll(${q(selector)})].map((e) => e.textContent.trim())`);
  return {
    inPage,
    text,
    texts,
    /** Waits until the element's text contains `part` (or matches it, for a RegExp). */
    waitText: async (selector: string, part: string | RegExp, timeout = 15_000) => {
      const test =
        typeof part === 'string'
          ? `t.includes(${JSON.stringify(part)})`
          : `new RegExp(${JSON.stringify(part.source)}, ${JSON.stringify(part.flags)}).test(t)`;
      try {
        await page.waitForFunction(
          `(() => { const t = document.querySelector(${q(selector)})?.textContent ?? ''; return ${test}; })()`,
          { timeout },
        );
      } catch (err) {
        throw new Error(
          `${selector} never showed ${String(part)}: it shows ${JSON.stringify(await text(selector))}`,
          {
            cause: err,
          },
        );
      }
    },
    /** Replaces an input's value by typing, so the page hears real input events. */
    fill: async (selector: string, value: string) => {
      await page.click(selector, { count: 3 });
      await page.keyboard.press('Backspace');
      await inPage(`document.querySelector(${q(selector)}).value = ''`);
      await page.type(selector, value);
    },
    visible: (selector: string) =>
      inPage<boolean>(
        `(() => { const e = document.querySelector(${q(selector)}); return !!e && e.getClientRects().length > 0; })()`,
      ),
    shot: (name: string) => page.screenshot({ path: path.join(tmpdir(), `segments-console-${name}.png`) }),
  };
}

/** Signs in through the sign-in page with the test key and waits for `ready`. */
export async function signIn(s: ConsoleSession, ready = '#segments-table'): Promise<void> {
  await s.page.goto(`${s.origin}/`);
  await s.page.waitForSelector('#sign-in');
  await s.page.type('#api-key', TEST_API_KEY);
  await s.page.click('#sign-in button[type=submit]');
  await s.page.waitForSelector(ready);
}

/** Polls an async condition (API state a page action causes in the background). */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 150));
    v = await read();
  }
  return v;
}
