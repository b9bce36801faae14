// Child processes of `npm start`: one-off steps (migrate, seed) and long-running services (api, worker,
// redis, embedded PostgreSQL), each with its output prefixed, each in its own process group so that
// Ctrl-C reaches `npm start` alone and it can stop them in order.
const { spawn } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync, unlinkSync, mkdirSync } = require('node:fs');
const { dirname } = require('node:path');
const { isAlive, commandLine } = require('./postgres.cjs');

const COLORS = { api: 36, worker: 35, mail: 33, redis: 31, postgres: 34, migrate: 32, seed: 32 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * An app's JSON log line as a person reads it: `12:01:02 WARN  message  (context, HD-000042, req …, job …)`,
 * an access line as `GET /api/tickets 200 3.1 ms`. Anything else (the seed's logins) passes unchanged.
 */
function humanLine(line) {
  if (!line.startsWith('{')) return line;
  let o;
  try {
    o = JSON.parse(line);
  } catch {
    return line;
  }
  if (!o || typeof o !== 'object' || typeof o.msg !== 'string' || !o.level) return line;
  const time = typeof o.time === 'string' ? o.time.slice(11, 19) : '';
  const msg =
    o.msg === 'request' && o.method
      ? `${o.method} ${o.path} ${o.status} ${o.durationMs} ms`
      : o.msg;
  const tags = [
    o.context,
    o.ticket,
    o.requestId && `req ${String(o.requestId).slice(0, 8)}`,
    o.jobId && `job ${o.jobId}`,
  ].filter(Boolean);
  const stack = o.stack ?? o.err?.stack;
  return `${time} ${String(o.level).toUpperCase().padEnd(5)} ${msg}${tags.length ? `  (${tags.join(', ')})` : ''}${stack ? `\n${stack}` : ''}`;
}

function prefixer(name, stream) {
  const tag = process.stdout.isTTY ? `\x1b[${COLORS[name] ?? 90}m[${name}]\x1b[0m ` : `[${name}] `;
  let partial = '';
  return {
    write(chunk) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      for (const line of lines)
        for (const part of humanLine(line).split('\n')) stream.write(`${tag}${part}\n`);
    },
    flush() {
      if (partial) stream.write(`${tag}${humanLine(partial)}\n`);
      partial = '';
    },
  };
}

/** Spawns a command with prefixed output; resolves with { code, output } when it ends. */
function runStep(name, command, args, { env, cwd, echo = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = prefixer(name, process.stdout);
    const err = prefixer(name, process.stderr);
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
      if (echo) out.write(c);
    });
    child.stderr.on('data', (c) => {
      output += c;
      err.write(c);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      out.flush();
      err.flush();
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

/**
 * Starts a long-running service in its own process group with prefixed output.
 * `ready` (optional) is a RegExp on its stdout; `started` resolves at that line (or at once without one)
 * and rejects if the process exits first. `stop()` sends SIGTERM to the group, SIGKILL after graceMs.
 */
function startService(
  name,
  command,
  args,
  { env, cwd, ready, stdin = 'ignore', graceMs = 10000, onExit } = {},
) {
  const child = spawn(command, args, { env, cwd, detached: true, stdio: [stdin, 'pipe', 'pipe'] });
  const out = prefixer(name, process.stdout);
  const err = prefixer(name, process.stderr);
  let stopping = false;
  let seen = '';
  let tail = '';
  const exited = new Promise((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const started = new Promise((resolve, reject) => {
    if (!ready) resolve();
    child.stdout.on('data', (c) => {
      out.write(c);
      if (ready && !seen.includes('\u0000')) {
        seen += c;
        const m = ready.exec(seen);
        if (m) {
          seen = '\u0000';
          resolve(m);
        }
      }
    });
    child.stderr.on('data', (c) => {
      err.write(c);
      tail = (tail + c).slice(-2000);
    });
    child.once('error', (e) => reject(new Error(`${name}: cannot run ${command}: ${e.message}`)));
    exited.then(({ code, signal }) => {
      out.flush();
      err.flush();
      reject(
        new Error(
          `${name} exited (code ${code}, signal ${signal}) before it was ready${tail ? `:\n${tail}` : ''}`,
        ),
      );
      if (!stopping && onExit) onExit({ code, signal });
    });
  });
  started.catch(() => {});
  async function stop() {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const group = -child.pid;
    const signal = (s) => {
      try {
        process.kill(group, s);
      } catch {
        // already gone
      }
    };
    const groupAlive = () => {
      try {
        process.kill(group, 0);
        return true;
      } catch (e) {
        return e.code === 'EPERM';
      }
    };
    signal('SIGTERM');
    // Wait for the whole group (npm -> sh -> node): the leader may exit before the app has shut down.
    const deadline = Date.now() + graceMs;
    while ((child.exitCode === null && child.signalCode === null) || groupAlive()) {
      if (Date.now() > deadline) {
        signal('SIGKILL');
        break;
      }
      await sleep(50);
    }
    await exited;
  }
  return { name, child, pid: child.pid, started, exited, stop };
}

/**
 * The run file (.data/start.json) records the pid of `npm start` and the process groups it started,
 * so that a second `npm start` refuses to run beside the first, and one after a SIGKILL stops the
 * leftovers (the api still holding its port, a redis-server).
 */
function readRunFile(file) {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function writeRunFile(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2));
}

function removeRunFile(file) {
  if (existsSync(file)) unlinkSync(file);
}

/** Stops the process groups left by an earlier run that was killed; returns their names. */
async function stopLeftovers(run) {
  const stopped = [];
  const groups = (run?.groups ?? []).filter(
    ({ pgid, match }) => pgid && isAlive(pgid) && (commandLine(pgid) ?? '').includes(match),
  );
  for (const { name, pgid } of groups) {
    try {
      process.kill(-pgid, 'SIGTERM');
      stopped.push(`${name} (pid ${pgid})`);
    } catch {
      // not ours any more
    }
  }
  const deadline = Date.now() + 10000;
  for (const { pgid } of groups) {
    while (isAlive(pgid) && Date.now() < deadline) await sleep(50);
    if (isAlive(pgid)) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  return stopped;
}

module.exports = {
  runStep,
  startService,
  readRunFile,
  writeRunFile,
  removeRunFile,
  stopLeftovers,
  prefixer,
  humanLine,
};
