import pino from 'pino';
import { Writable } from 'node:stream';
import {
  annotateLog,
  currentLogContext,
  inJobContext,
  JsonLogger,
  levelOf,
  withLogContext,
} from './logging';

/** A JsonLogger whose lines are kept, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const logger = new JsonLogger(
    pino(
      {
        level: 'trace',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => ({}),
      },
      out,
    ),
  );
  return { lines, logger };
}

const STACK = 'Error: boom\n    at thing (/app/x.ts:1:2)';

describe('JsonLogger (Nest calls)', () => {
  it.each<[string, (l: JsonLogger) => void, Record<string, unknown>]>([
    [
      'log with a context',
      (l) => l.log('started', 'Main'),
      { level: 'info', msg: 'started', context: 'Main' },
    ],
    [
      'warn',
      (l) => l.warn('careful', 'Queues'),
      { level: 'warn', msg: 'careful', context: 'Queues' },
    ],
    [
      'error, stack, context',
      (l) => l.error('failed', STACK, 'Filter'),
      { level: 'error', msg: 'failed', stack: STACK, context: 'Filter' },
    ],
    [
      'error with a stack only',
      (l) => l.error('failed', STACK),
      { level: 'error', msg: 'failed', stack: STACK },
    ],
    ['verbose as trace', (l) => l.verbose('detail', 'X'), { level: 'trace', msg: 'detail' }],
    [
      'an object message',
      (l) => l.log({ msg: 'hello', n: 1 }, 'Y'),
      { level: 'info', msg: 'hello', n: 1 },
    ],
  ])('%s', (_name, call, expected) => {
    const { lines, logger } = capture();
    call(logger);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject(expected);
  });

  it('an Error message keeps its message and stack', () => {
    const { lines, logger } = capture();
    logger.error(new Error('bad thing'), 'Ctx');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'bad thing', context: 'Ctx' });
    expect((lines[0].err as { stack: string }).stack).toContain('bad thing');
  });
});

describe('log context', () => {
  it('a job context holds its id and queue across awaits; annotateLog adds the ticket; nothing leaks outside', async () => {
    const seen = await inJobContext({ id: 'mail-1', queueName: 'mail-outbound' }, async () => {
      await new Promise((ok) => setTimeout(ok, 1));
      annotateLog({ ticket: 'HD-000042' });
      const inner = withLogContext({ requestId: 'r1' }, () => currentLogContext());
      return { job: { ...currentLogContext() }, inner };
    });
    expect(seen).toEqual({
      job: { jobId: 'mail-1', queue: 'mail-outbound', ticket: 'HD-000042' },
      inner: { requestId: 'r1' },
    });
    annotateLog({ ticket: 'outside' });
    expect(currentLogContext()).toBeUndefined();
  });
});

describe("levelOf (the in-process tests' logger option)", () => {
  it.each<[false | string[] | undefined, string]>([
    [undefined, 'info'],
    [false, 'silent'],
    [['error'], 'error'],
    [['error', 'warn'], 'warn'],
    [['error', 'warn', 'log'], 'info'],
    [['debug'], 'debug'],
  ])('%j → %s', (opt, level) => {
    expect(levelOf(opt, 'info')).toBe(level);
  });
});
