// The local mail catcher that `npm start` and docker/compose.yml run: a real SMTP server and a web page.
// Started here exactly as the compose file starts it (its own process), on ports the OS picks.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'mail-catcher.mjs');

interface Catcher {
  child: ChildProcess;
  smtpPort: number;
  httpPort: number;
}

function startCatcher(args: string[]): Promise<Catcher> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /mail-catcher ready smtp=(\d+) http=(\d+)/.exec(out);
      if (ready) resolve({ child, smtpPort: Number(ready[1]), httpPort: Number(ready[2]) });
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`mail catcher exited with ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function get(port: number, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: await res.text(),
  };
}

describe('mail catcher', () => {
  let catcher: Catcher;

  beforeAll(async () => {
    catcher = await startCatcher(['--smtp-port', '0', '--http-port', '0']);
  });
  afterAll(async () => {
    if (catcher) await stop(catcher.child);
  });

  it('shows a mail sent with nodemailer on its web page, with every string HTML-escaped', async () => {
    const transport = createTransport({
      host: '127.0.0.1',
      port: catcher.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    const subject = `Breach: HD-000123 <script>alert("x")</script> ${Date.now()}`;
    const info = await transport.sendMail({
      from: 'Helpdesk <helpdesk@helpdesk.local>',
      to: 'admin@helpdesk.local',
      bcc: 'manager@helpdesk.local',
      subject,
      text: 'Severity 1 first response was due at 2026-11-23T10:00:00Z & is 5 minutes late.',
      html: '<p onclick="evil()">Severity 1 <b>breached</b></p>',
    });
    transport.close();
    expect(info.accepted).toEqual(['admin@helpdesk.local', 'manager@helpdesk.local']);

    const list = await get(catcher.httpPort, '/');
    expect(list.status).toBe(200);
    expect(list.type).toContain('text/html');
    const escapedSubject = 'Breach: HD-000123 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';
    expect(list.body).toContain(escapedSubject);
    expect(list.body).not.toContain('<script>');
    expect(list.body).toContain('admin@helpdesk.local, manager@helpdesk.local');

    const link = /href="(\/messages\/\d+)"/.exec(list.body);
    expect(link).not.toBeNull();
    const one = await get(catcher.httpPort, link![1]);
    expect(one.status).toBe(200);
    expect(one.body).toContain(escapedSubject);
    expect(one.body).toContain('was due at 2026-11-23T10:00:00Z &amp; is 5 minutes late.');
    expect(one.body).toContain(
      '&lt;p onclick=&quot;evil()&quot;&gt;Severity 1 &lt;b&gt;breached&lt;/b&gt;&lt;/p&gt;',
    );
    expect(one.body).not.toContain('<p onclick');
    expect(one.body).toContain(`&lt;${info.messageId.replace(/^<|>$/g, '')}&gt;`);

    const raw = await get(catcher.httpPort, `${link![1]}/raw`);
    expect(raw.type).toContain('text/plain');
    expect(raw.body).toContain(`Message-ID: ${info.messageId}`);

    const json = await get(catcher.httpPort, '/api/messages');
    const messages = JSON.parse(json.body) as Array<{
      subject: string;
      envelope: { to: string[] };
    }>;
    expect(messages.map((m) => m.subject)).toContain(subject);
  });

  it('answers an unknown page with 404 and a hint', async () => {
    const res = await get(catcher.httpPort, '/messages/99999');
    expect(res.status).toBe(404);
    expect(res.body).toContain('Try / for the list of mails');
  });

  it('refuses to start on a port that is taken, saying which', async () => {
    await expect(
      startCatcher(['--smtp-port', String(catcher.smtpPort), '--http-port', '0']),
    ).rejects.toThrow(`cannot open SMTP port ${catcher.smtpPort} on 127.0.0.1 is already in use`);
  });

  it('rejects a bad argument with a usage message', async () => {
    await expect(startCatcher(['--smtp-port', 'abc'])).rejects.toThrow(
      '--smtp-port wants a port number 0-65535, got "abc"',
    );
  });
});
