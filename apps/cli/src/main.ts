/**
 * Command line for scripted checks. `calendar eval`: JSON lines on stdin, one JSON line out per
 * line in, in order; a bad line gets {"error": …} and the rest go on.
 */
import { createInterface } from 'node:readline';
import { evaluateLine } from './calendar-eval';

const USAGE =
  'usage: cli calendar eval   (reads JSON lines on stdin, writes one JSON line per input line)';

async function calendarEval(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out: string[] = [];
  for await (const line of lines) {
    if (line.trim() === '') continue;
    out.push(JSON.stringify(evaluateLine(line)));
    if (out.length >= 512) {
      process.stdout.write(out.join('\n') + '\n');
      out.length = 0;
    }
  }
  if (out.length) process.stdout.write(out.join('\n') + '\n');
}

const [group, command] = process.argv.slice(2);
if (group === 'calendar' && command === 'eval') {
  calendarEval().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  console.error(USAGE);
  process.exit(2);
}
