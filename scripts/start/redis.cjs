// Redis for `npm start`: the configured one, the one on localhost, or a redis-server we start.
const net = require('node:net');
const { existsSync, statSync } = require('node:fs');
const { delimiter, join } = require('node:path');

/** True when a Redis answers PING on host:port (a NOAUTH error reply counts: it is a Redis). */
function redisAnswers(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = '';
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(/^(\+PONG|-NOAUTH|-ERR|-WRONGPASS)/.test(reply));
    });
    socket.once('error', () => done(false));
  });
}

/** The full path of an executable found on PATH, or null. */
function findExecutable(name, path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      if (existsSync(file) && statSync(file).isFile()) return file;
    } catch {
      // unreadable folder on PATH: skip it
    }
  }
  return null;
}

const HOW_TO_GET_REDIS = [
  'No Redis answers on localhost:6379 and redis-server is not installed.',
  'Either install Redis (Debian/Ubuntu: sudo apt-get install redis-server; Fedora: sudo dnf install redis;',
  'macOS: brew install redis) and run npm start again, or point REDIS_URL at a Redis you have,',
  'e.g. REDIS_URL=redis://my-redis-host:6379 npm start. (Docker users: docker compose -f docker/compose.yml up)',
].join('\n');

/** The arguments for a throw-away local redis-server: no persistence (PostgreSQL is the truth), no eviction. */
function redisServerArgs(port, dir) {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--maxmemory-policy',
    'noeviction',
    '--loglevel',
    'warning',
  ];
}

module.exports = { redisAnswers, findExecutable, redisServerArgs, HOW_TO_GET_REDIS };
