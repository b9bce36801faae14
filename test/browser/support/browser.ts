/**
 * Browser-test support: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * and the web app built into apps/web/dist when its sources are newer than the build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';

export const ROOT = join(__dirname, '..', '..', '..');
export const WEB_DIST = join(ROOT, 'apps', 'web', 'dist');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the SPA unless apps/web/dist is newer than every source it is made of. */
export function ensureWebBuild(): void {
  const index = join(WEB_DIST, 'index.html');
  const sources = Math.max(
    newestMtime(join(ROOT, 'apps', 'web', 'src')),
    statSync(join(ROOT, 'apps', 'web', 'index.html')).mtimeMs,
    newestMtime(join(ROOT, 'libs', 'business-hours', 'src')),
    newestMtime(join(ROOT, 'libs', 'sla', 'src')),
    newestMtime(join(ROOT, 'libs', 'reports', 'src', 'render')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(ROOT, 'apps', 'web', 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export interface Viewer {
  context: BrowserContext;
  page: Page;
}

/** A fresh browser profile (its own cookies) in a given time zone, at laptop or phone size. */
export async function openViewer(
  browser: Browser,
  baseURL: string,
  opts: { timezoneId?: string; phone?: boolean } = {},
): Promise<Viewer> {
  const context = await browser.newContext({
    baseURL,
    timezoneId: opts.timezoneId ?? 'UTC',
    locale: 'en-GB',
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1366, height: 900 },
    deviceScaleFactor: 1,
    isMobile: opts.phone ?? false,
    hasTouch: opts.phone ?? false,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits (up to 15 s) until the first match of `locator` shows `text`; fails saying what it saw instead. */
export async function expectText(locator: Locator, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = '';
  for (;;) {
    try {
      last = (await locator.first().innerText({ timeout: 2000 })).replace(/\s+/g, ' ');
      if (last.includes(text)) return;
    } catch (err) {
      last = `(${(err as Error).message.split('\n')[0]})`;
    }
    if (Date.now() > deadline)
      throw new Error(`expected "${text}" in ${locator}, saw: ${last.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
