/**
 * The console in a real browser (headless Chromium through puppeteer-core) against the whole app
 * on a loopback port: sign in (a wrong key refused, the key kept in session storage only), create
 * a segment after previewing its exact count, see it in the segments list, see the reports (a
 * chart when the reports API is there, a clear notice while it is not), read the API docs, and
 * talk to the bot in Web Chat through the built-in Direct Line and get the greeting. No request
 * may leave the server, and the page may throw no error.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

const CHROMIUM = '/usr/bin/chromium';
let app: App;
let browser: Browser;
let page: Page;
let origin: string;
const outside: string[] = [];
const pageErrors: string[] = [];
const api = apiClient(() => app);

beforeAll(async () => {
  app = await startTestApp('console', {
    ADMIN_API_KEY: TEST_API_KEY,
    BOT_ADMINS: 'directline:console-admin',
  });
  origin = `http://127.0.0.1:${app.port}`;
  for (const [name, tags] of [
    ['Vera VIP', ['VIP']],
    ['Victor VIP', ['VIP']],
    ['Nina Normal', []],
  ] as const) {
    await api('POST', '/contacts', { name, tags: [...tags] });
  }
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) outside.push(url);
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});
afterAll(async () => {
  await browser?.close();
  if (app) await stopTestApp(app);
});

// Page-side code is passed as text: the test is compiled without the DOM library.
const inPage = <T>(js: string) => page.evaluate(js) as Promise<T>;
const text = (selector: string) =>
  inPage<string>(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`);
const clear = (selector: string) =>
  inPage<string>(`document.querySelector(${JSON.stringify(selector)}).value = ''`);
const shot = (name: string) => page.screenshot({ path: path.join(tmpdir(), `segments-console-${name}.png`) });

test('sign in: a wrong key is refused; the right one is kept in session storage only', async () => {
  await page.goto(`${origin}/`);
  await page.waitForSelector('#sign-in');
  await page.type('#api-key', 'wrong-key-wrong-key');
  await page.click('#sign-in button[type=submit]');
  await page.waitForFunction("document.querySelector('#sign-in .error')?.textContent?.includes('not valid')");
  await clear('#api-key');
  await page.type('#api-key', TEST_API_KEY);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#segments-table');
  const stored = await page.evaluate(
    "[sessionStorage.getItem('segments.apiKey'), localStorage.length, document.cookie]",
  );
  expect(stored).toEqual([TEST_API_KEY, 0, '']);
});

test('create a segment after previewing its exact count; it is listed with its size', async () => {
  await page.type('#new-name', 'Console VIPs');
  await page.type('#new-rule', 'tag = "VIP"');
  expect(await inPage<boolean>("document.querySelector('#new-create').disabled")).toBe(true); // preview first
  await page.click('#new-preview-button');
  await page.waitForSelector('#new-count');
  expect(await text('#new-count')).toBe('2');
  await page.click('#new-create');
  await page.waitForSelector('#segment-name');
  expect(await text('#segment-name')).toBe('Console VIPs');
  // The rebuild runs in the background: the size follows within moments.
  for (let i = 0; i < 20 && (await text('#segment-size')) !== '2'; i++) {
    await new Promise((r) => setTimeout(r, 250));
    await page.reload();
    await page.waitForSelector('#segment-size');
  }
  expect(await text('#segment-size')).toBe('2');
  await page.waitForFunction("document.querySelectorAll('#members tbody tr').length === 2");
  // A rule edit is previewed with who would enter and exit; nothing is saved yet.
  await clear('#edit-rule');
  await page.type('#edit-rule', 'tag = "VIP" OR name contains "Nina"');
  await page.click('#edit-preview-button');
  await page.waitForFunction("document.querySelector('#edit-preview')?.textContent?.includes('enter')");
  expect(await text('#edit-preview')).toBe('Would have 3 members: +1 enter, −0 exit.');
  // Why a member is in: condition by condition.
  await page.click('#members tbody tr button');
  await page.waitForFunction("document.querySelector('#explain-result')?.textContent?.includes('Member')");
  expect(await text('#explain-result')).toMatch(/✔ tag = "VIP"/);
  await page.goto(`${origin}/#/segments`);
  await page.waitForSelector('#segments-table tr[data-segment="Console VIPs"]');
  expect(await text('#segments-table tr[data-segment="Console VIPs"] td.num')).toBe('2');
  await shot('segments');
});

test('reports: a chart when the reports API exists, otherwise a clear notice', async () => {
  const reports = await fetch(`${origin}/api/v1/reports/segments`, {
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
  });
  await page.goto(`${origin}/#/reports`);
  if (reports.status === 404) {
    await page.waitForSelector('#reports-missing');
    expect(await text('#reports-missing')).toMatch(/not available/);
  } else {
    await page.waitForSelector('#report-chart img');
    expect(await inPage<number>("document.querySelector('#report-chart img').naturalWidth")).toBeGreaterThan(
      0,
    );
  }
  await shot('reports');
});

test('API docs are rendered from the OpenAPI document', async () => {
  await page.goto(`${origin}/#/docs`);
  await page.waitForSelector('#api-docs .op');
  const ops = await inPage<string[]>(
    "[...document.querySelectorAll('#api-docs .op')].map((e) => e.firstElementChild?.textContent ?? '')",
  );
  expect(ops.some((t) => /post\s*\/segments\/preview/.test(t))).toBe(true);
  expect(ops.length).toBeGreaterThan(15);
});

test('Web Chat talks to the bot through the built-in Direct Line: the greeting arrives', async () => {
  await page.goto(`${origin}/#/chat`);
  const transcript = () => text('#webchat');
  // Joining greets the user (conversationUpdate through /api/messages).
  await page.waitForFunction(
    "document.querySelector('#webchat')?.textContent?.includes('Hello Console User')",
    {
      timeout: 20000,
    },
  );
  await page.waitForSelector('#webchat input[type=text], #webchat textarea');
  await page.type('#webchat input[type=text], #webchat textarea', 'offers');
  await page.keyboard.press('Enter');
  // The bot's answer to "offers" is its own bubble, after the user's (the default offer).
  const botBubbles =
    "[...document.querySelectorAll('#webchat .webchat__bubble:not(.webchat__bubble--from-user)')]";
  await page.waitForFunction(`${botBubbles}.length >= 2`, { timeout: 20000 });
  const said = await inPage<string[]>(`${botBubbles}.map((b) => b.textContent)`);
  expect(said).toEqual([
    expect.stringMatching(/^Hello Console User!/),
    expect.stringMatching(/^Today.s offer: 10% off/),
  ]);
  expect(await transcript()).toContain('offers');
  await shot('chat');
});

test('no request left the server and the page threw nothing', () => {
  expect(outside).toEqual([]);
  expect(pageErrors).toEqual([]);
});
