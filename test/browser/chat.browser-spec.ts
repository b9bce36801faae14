// Support chat in a real Chromium: a customer and an agent chat in two pages against the real API,
// PostgreSQL and Redis; a dropped connection loses nothing; the chat embedded in another site works
// under a strict Content-Security-Policy.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import { DEMO_PASSWORD, fastCustomer, Harness, startHarness } from '../support/harness';
import {
  ensureWebBuild,
  expectText,
  launch,
  openViewer,
  screenshot,
  signIn,
  WEB_DIST,
  type Viewer,
} from './support/browser';

jest.setTimeout(120_000);

const MEANINGS = [
  'operational problem with the platform that causes downtime, unresponsiveness or system errors for all users',
  'operational problem that causes material degradation of performance for isolated users',
  'everything works, but there are cosmetic errors, documentation errors or enhancement requests',
];

describe('support chat in the browser', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let customer: Viewer;
  let agent: Viewer;
  let email: string;
  let host: Server | undefined;

  let embedHtml = '';
  let hostOrigin = '';

  beforeAll(async () => {
    ensureWebBuild();
    // A customer's own site, on another origin, that embeds the chat (its page is made per test).
    host = createServer((_, res) => {
      res.writeHead(200, {
        'content-type': 'text/html',
        'content-security-policy': `default-src 'none'; script-src ${base}; frame-src ${base}`,
      });
      res.end(embedHtml);
    });
    await new Promise<void>((ok) => host!.listen(0, '127.0.0.1', ok));
    hostOrigin = `http://localhost:${(host.address() as { port: number }).port}`;
    h = await startHarness({ worker: false, env: { WEB_DIST, CHAT_EMBED_ORIGINS: hostOrigin } });
    base = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    email = (
      await fastCustomer(h, await h.login('admin@helpdesk.test'), 'webchat', [3600, 7200, 9000])
    ).email;
    browser = await launch();
    customer = await openViewer(browser, base, { timezoneId: 'Europe/Paris' });
    agent = await openViewer(browser, base, { timezoneId: 'Europe/London' });
  });
  afterAll(async () => {
    host?.close();
    await browser?.close();
    await h?.close();
  });

  it('a customer and an agent chat in two pages; internal notes stay with the desk; a drop loses nothing', async () => {
    await signIn(agent.page, 'agent1@helpdesk.local', DEMO_PASSWORD);
    await agent.page.getByRole('link', { name: 'Chats' }).click();
    await expectText(agent.page.getByRole('status').first(), 'you count as available');

    const c = customer.page;
    await signIn(c, email, DEMO_PASSWORD);
    await c.getByRole('link', { name: 'Chat' }).click();
    await expectText(c.locator('.notice'), 'an agent is available');
    const severity = c.getByRole('group', { name: 'Severity' });
    for (const meaning of MEANINGS) await expectText(severity, meaning);
    await c.getByRole('radio', { name: /Severity 1/ }).check();
    await c.getByLabel('Your message').fill('Nobody can sign in since 09:00');
    await c.getByRole('button', { name: 'Start chat' }).click();
    await expectText(c.locator('.chat-state'), 'Waiting for an agent');

    const a = agent.page;
    const waiting = a.getByRole('region', { name: 'Waiting' });
    await expectText(waiting, 'Nobody can sign in since 09:00');
    await waiting.getByRole('button', { name: /Nobody can sign in/ }).click();
    await a.getByRole('button', { name: 'Take chat' }).click();
    await expectText(a.locator('.chat-pane [role=status][data-state]'), 'You have this chat');
    await expectText(c.locator('.chat-state'), 'You are chatting with');
    await expectText(a.getByRole('list', { name: 'Chat' }), 'Nobody can sign in since 09:00');
    await a.getByLabel('Answer').fill('We see it too: looking now.');
    await a.getByLabel('Answer').press('Enter');
    await expectText(c.getByRole('list', { name: 'Chat' }), 'We see it too: looking now.');
    await expectText(c.getByRole('list', { name: 'Chat' }), 'Support team');

    await a.getByLabel('Internal note').check();
    await a.getByLabel('Answer').fill('Note: the identity provider certificate expired');
    await a.getByRole('button', { name: 'Add note' }).click();
    await expectText(a.getByRole('list', { name: 'Chat' }), 'Internal note: not visible');

    // The customer's connection drops; what they type waits and goes once the link is back.
    await customer.context.setOffline(true);
    await c.getByLabel('Message', { exact: true }).fill('Typed while offline');
    await c.getByLabel('Message', { exact: true }).press('Enter');
    await expectText(c.locator('.message.pending'), 'Sending…');
    await customer.context.setOffline(false);
    await expectText(a.getByRole('list', { name: 'Chat' }), 'Typed while offline');
    await a.getByLabel('Internal note').uncheck();
    await a.getByLabel('Answer').fill('Fixed: try again please.');
    await a.getByLabel('Answer').press('Enter');
    const transcript = c.getByRole('list', { name: 'Chat' });
    await expectText(transcript, 'Fixed: try again please.');
    await expectText(c.locator('.chat-link'), 'Connected');
    const lines = await transcript.locator('.message .body').allInnerTexts();
    expect(lines).toEqual([
      'Nobody can sign in since 09:00',
      'We see it too: looking now.',
      'Typed while offline',
      'Fixed: try again please.',
    ]);
    await screenshot(c, 'portal-chat');
    await screenshot(a, 'desk-chat-inbox');
    const agentLines = await a
      .getByRole('list', { name: 'Chat' })
      .locator('.message .body')
      .allInnerTexts();
    expect(agentLines.filter((l) => l === 'Typed while offline')).toHaveLength(1);

    await c.getByRole('button', { name: 'End chat' }).click();
    await expectText(c.locator('.chat-state'), 'This chat has ended');
    await expectText(a.locator('.chat-pane [role=status][data-state]'), 'This chat has ended');
  });

  it('the chat embedded in a customer’s own site signs in with a chat token and works under a strict CSP', async () => {
    const signed = await h.http
      .post('/api/chats/tokens')
      .set('authorization', `Bearer ${await h.login(email)}`)
      .send({})
      .expect(201);
    embedHtml = `<!doctype html><html><head><title>Customer intranet</title></head><body><h1>Our intranet</h1>
      <script src="${base}/chat-embed.js" data-token="${signed.body.token}"></script></body></html>`;
    // Only the chat page may be framed, and only by the configured site.
    const page = await fetch(`${base}/embed/chat`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-security-policy')).toContain(`frame-ancestors ${hostOrigin}`);
    expect(page.headers.get('x-frame-options')).toBeNull();
    const other = await fetch(`${base}/portal`, { headers: { accept: 'text/html' } });
    expect(other.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(other.headers.get('x-frame-options')).toBe('DENY');
    const visitor = await openViewer(browser, hostOrigin);
    const violations: string[] = [];
    visitor.page.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
    await visitor.page.goto('/');
    await visitor.page.getByRole('button', { name: 'Chat with support' }).click();
    const frame = visitor.page.frameLocator('iframe[title="Support chat"]');
    await expectText(frame.getByRole('heading', { level: 1 }), 'Chat with support');
    await frame.getByRole('radio', { name: /Severity 3/ }).check();
    await frame.getByLabel('Your message').fill('Asked from our intranet');
    await frame.getByRole('button', { name: /Start chat|Leave a message/ }).click();
    await expectText(frame.getByRole('list', { name: 'Chat' }), 'Asked from our intranet');
    // A file sent in the frame is downloaded in it too, with the frame's token (no cookie there).
    await frame.locator('input[type=file]').setInputFiles({
      name: 'screen.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('what the screen says'),
    });
    await frame.getByRole('button', { name: 'Upload' }).click();
    const link = frame
      .getByRole('list', { name: 'Chat' })
      .getByRole('link', { name: 'screen.txt' });
    const [download] = await Promise.all([visitor.page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('screen.txt');
    const saved = await download.path();
    expect(readFileSync(saved!, 'utf8')).toBe('what the screen says');
    await screenshot(visitor.page, 'embedded-chat');
    expect(violations.filter((v) => /Content Security Policy/i.test(v))).toEqual([]);
    await visitor.context.close();
  });
});
