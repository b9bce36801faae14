#!/usr/bin/env node
// The local mail catcher: a real SMTP server that keeps every mail it receives in memory, and a small
// web page to read them. `npm start` runs it when no SMTP_URL is configured, so a newcomer sees the
// alarm mails; docker/compose.yml runs it as its own service.
//
//   node scripts/mail-catcher.mjs [--smtp-port 1025] [--http-port 1080] [--host 127.0.0.1]
//
// Once both servers listen it prints one line: `mail-catcher ready smtp=<port> http=<port>`.
// Pages: `/` (the list), `/messages/<id>` (one mail), `/messages/<id>/raw` (its source);
// JSON: `GET /api/messages`, `GET /api/messages/<id>`, `DELETE /api/messages`.
// Every string from a mail is HTML-escaped; an HTML body is shown as escaped source, never rendered.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const MAX_MESSAGES = 500;
const MAX_SIZE = 25 * 1024 * 1024;

export function escapeHtml(value) {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

function addressText(field) {
  if (!field) return '';
  return (Array.isArray(field) ? field : [field]).map((a) => a.text).join(', ');
}

/** Turns a received mail into the record the pages and the JSON API show. */
async function toRecord(id, raw, envelope) {
  const mail = await simpleParser(raw);
  return {
    id,
    receivedAt: new Date().toISOString(),
    envelope: {
      from: envelope.mailFrom ? envelope.mailFrom.address : '',
      to: envelope.rcptTo.map((r) => r.address),
    },
    from: addressText(mail.from),
    to: addressText(mail.to),
    cc: addressText(mail.cc),
    subject: mail.subject ?? '',
    date: mail.date ? mail.date.toISOString() : null,
    messageId: mail.messageId ?? null,
    inReplyTo: mail.inReplyTo ?? null,
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    attachments: (mail.attachments ?? []).map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      size: a.size,
    })),
    raw: raw.toString('utf8'),
  };
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
dt{font-weight:bold;float:left;width:8rem}dd{margin-left:8rem}`;

function page(title, body, { refresh = false } = {}) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
${refresh ? '<meta http-equiv="refresh" content="5">' : ''}<style>${STYLE}</style></head><body>${body}</body></html>`;
}

function listPage(messages) {
  const rows = messages
    .slice()
    .reverse()
    .map(
      (
        m,
      ) => `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.from)}</td><td>${escapeHtml(m.envelope.to.join(', '))}</td>
<td><a href="/messages/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('\n');
  const table = messages.length
    ? `<table><thead><tr><th>Received (UTC)</th><th>From</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p>No mail yet. Mail sent to this SMTP server appears here (the page refreshes itself).</p>';
  return page(
    `Mail catcher (${messages.length})`,
    `<h1>Mail catcher</h1><p>${messages.length} mail(s) received.</p>${table}`,
    { refresh: true },
  );
}

function messagePage(m) {
  const field = (name, value) => (value ? `<dt>${name}</dt><dd>${escapeHtml(value)}</dd>` : '');
  const attachments = m.attachments.length
    ? `<h2>Attachments</h2><ul>${m.attachments.map((a) => `<li>${escapeHtml(a.filename)} (${escapeHtml(a.contentType)}, ${a.size} bytes)</li>`).join('')}</ul>`
    : '';
  const html = m.html
    ? `<h2>HTML part (source, not rendered)</h2><pre>${escapeHtml(m.html)}</pre>`
    : '';
  return page(
    m.subject || '(no subject)',
    `<p><a href="/">&larr; all mail</a> · <a href="/messages/${m.id}/raw">source</a></p>
<h1>${escapeHtml(m.subject || '(no subject)')}</h1>
<dl>${field('From', m.from)}${field('To', m.to)}${field('Cc', m.cc)}${field('Envelope to', m.envelope.to.join(', '))}${field('Date', m.date)}${field('Received', m.receivedAt)}${field('Message-ID', m.messageId)}${field('In-Reply-To', m.inReplyTo)}</dl>
<h2>Text</h2><pre>${escapeHtml(m.text)}</pre>${html}${attachments}`,
  );
}

function send(res, status, type, body) {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(body);
}

function handle(messages, req, res) {
  const url = new URL(req.url ?? '/', 'http://mail-catcher');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const byId = (id) => messages.find((m) => m.id === Number(id));
  let match;
  if (req.method === 'DELETE' && path === '/api/messages') {
    messages.length = 0;
    return send(res, 204, 'text/plain', '');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(
      res,
      405,
      'text/plain; charset=utf-8',
      'Only GET (and DELETE /api/messages) are supported.\n',
    );
  if (path === '/') return send(res, 200, 'text/html; charset=utf-8', listPage(messages));
  if (path === '/api/messages') {
    const list = messages.map(({ raw, ...rest }) => rest);
    return send(res, 200, 'application/json', JSON.stringify(list));
  }
  if ((match = /^\/api\/messages\/(\d+)$/.exec(path)) && byId(match[1]))
    return send(res, 200, 'application/json', JSON.stringify(byId(match[1])));
  if ((match = /^\/messages\/(\d+)$/.exec(path)) && byId(match[1]))
    return send(res, 200, 'text/html; charset=utf-8', messagePage(byId(match[1])));
  if ((match = /^\/messages\/(\d+)\/raw$/.exec(path)) && byId(match[1]))
    return send(res, 200, 'text/plain; charset=utf-8', byId(match[1]).raw);
  return send(
    res,
    404,
    'text/plain; charset=utf-8',
    `No page at ${path}. Try / for the list of mails.\n`,
  );
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      server.removeListener('listening', onListening);
      reject(
        err.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use`) : err,
      );
    };
    const onListening = () => {
      server.removeListener('error', onError);
      resolve(server.address().port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Starts the SMTP server and the web page. Port 0 picks a free port; the ports in use are returned.
 * @returns {Promise<{smtpPort:number, httpPort:number, messages:object[], close:()=>Promise<void>}>}
 */
export async function startMailCatcher({
  smtpPort = 1025,
  httpPort = 1080,
  host = '127.0.0.1',
  log = () => {},
} = {}) {
  const messages = [];
  let nextId = 1;
  const smtp = new SMTPServer({
    name: 'mail-catcher',
    banner: 'helpdesk mail catcher',
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_SIZE,
    logger: false,
    onAuth: (auth, session, callback) => callback(null, { user: auth.username }),
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded)
          return callback(
            Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }),
          );
        toRecord(nextId++, Buffer.concat(chunks), session.envelope)
          .then((record) => {
            messages.push(record);
            if (messages.length > MAX_MESSAGES) messages.splice(0, messages.length - MAX_MESSAGES);
            log(`mail #${record.id} to ${record.envelope.to.join(', ')}: ${record.subject}`);
            callback();
          })
          .catch(callback);
      });
    },
  });
  smtp.on('error', (err) => log(`smtp error: ${err.message}`));
  const http = createServer((req, res) => handle(messages, req, res));
  let actualSmtp;
  try {
    actualSmtp = await listen(smtp.server, smtpPort, host);
  } catch (err) {
    throw new Error(`mail catcher: cannot open SMTP ${err.message}`);
  }
  let actualHttp;
  try {
    actualHttp = await listen(http, httpPort, host);
  } catch (err) {
    await new Promise((resolve) => smtp.close(resolve));
    throw new Error(`mail catcher: cannot open HTTP ${err.message}`);
  }
  return {
    smtpPort: actualSmtp,
    httpPort: actualHttp,
    messages,
    close: async () => {
      http.closeAllConnections?.();
      await Promise.all([
        new Promise((resolve) => smtp.close(resolve)),
        new Promise((resolve) => http.close(() => resolve())),
      ]);
    },
  };
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === '--smtp-port' || name === '--http-port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`${name} wants a port number 0-65535, got ${JSON.stringify(value)}`);
      options[name === '--smtp-port' ? 'smtpPort' : 'httpPort'] = port;
    } else if (name === '--host' && value) {
      options.host = value;
    } else {
      throw new Error(
        `unknown argument ${JSON.stringify(name)}; usage: mail-catcher.mjs [--smtp-port N] [--http-port N] [--host H]`,
      );
    }
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const catcher = await startMailCatcher({
      ...parseArgs(process.argv.slice(2)),
      log: (line) => console.log(line),
    });
    console.log(`mail-catcher ready smtp=${catcher.smtpPort} http=${catcher.httpPort}`);
    const stop = () => catcher.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
