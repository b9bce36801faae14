// The built web app and Swagger UI work under the strict Content-Security-Policy, and a mail's HTML
// is shown in a sandboxed frame where nothing it carries can run.
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { Harness, startHarness } from '../support/harness';
import {
  ensureWebBuild,
  expectText,
  launch,
  openViewer,
  signIn,
  WEB_DIST,
  type Viewer,
} from './support/browser';

jest.setTimeout(120_000);

describe('the web app and the API docs under the Content-Security-Policy', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let admin: Viewer;
  const violations: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m: ConsoleMessage) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  };

  beforeAll(async () => {
    ensureWebBuild();
    h = await startHarness({ worker: false, env: { WEB_DIST } });
    base = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    browser = await launch();
    admin = await openViewer(browser, base);
    watch(admin.page);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('an admin signs in and works in the app with no CSP violation', async () => {
    const page = admin.page;
    await signIn(page, 'admin@helpdesk.test', 'admin-password-1');
    await page.getByRole('link', { name: 'Queues' }).click();
    await page.getByRole('link', { name: 'Policies' }).click();
    await expectText(page.locator('h1'), 'policies');
    expect(violations).toEqual([]);
  });

  it("a mail's HTML is shown in a sandboxed frame: its scripts and handlers never run", async () => {
    // Stored as a hostile sender wrote it, as if the sanitiser had missed everything.
    const hostile =
      '<p>Hello from the mail body</p><script>parent.document.title="pwned"</script>' +
      '<img src="x" onerror="parent.document.title=\'pwned\'"><form action="/api/auth/logout" method="post"><button>Go</button></form>';
    await h.pg.query(
      `INSERT INTO inbound_mails (content_hash, raw, size, source, received_at, status, reason, subject, from_address, text_body, html_body)
       VALUES ('hostile', 'x', 1, 'api', now(), 'review', 'test', 'Hostile HTML', 'eve@evil.example', 'text', $1)`,
      [hostile],
    );
    const page = admin.page;
    const blocked = page.waitForEvent('console', {
      predicate: (m) => /Blocked script execution in 'about:srcdoc'/.test(m.text()),
    });
    await page.getByRole('link', { name: 'Mail' }).click();
    await page.getByRole('button', { name: 'Hostile HTML' }).click();
    const frame = page.locator('iframe.mail-html');
    expect(await frame.getAttribute('sandbox')).toBe('');
    await expectText(
      page.frameLocator('iframe.mail-html').locator('body'),
      'Hello from the mail body',
    );
    await blocked; // the browser says it refused the mail's script
    expect(await page.title()).toBe('Helpdesk');
  });

  it('Swagger UI at /api/docs renders and lists the API under its own CSP', async () => {
    const docs = await openViewer(browser, base);
    const seen: string[] = [];
    docs.page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) seen.push(m.text());
    });
    await docs.page.goto('/api/docs');
    await expectText(docs.page.locator('.swagger-ui .title'), 'Helpdesk API');
    await expectText(docs.page.locator('.swagger-ui'), '/api/tickets/{id}/messages');
    expect(seen.filter((s) => /script/i.test(s))).toEqual([]);
    await docs.context.close();
  });
});
