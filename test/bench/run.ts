/**
 * `npm run bench [-- name ...]`: runs the benchmarks in test/bench/*.bench.ts and writes their
 * sections into docs/benchmarks.md. Sections of benchmarks not run this time are kept as they were.
 * Each bench module exports `title` and `run(): Promise<string>` (a Markdown section body).
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';

interface BenchModule {
  title: string;
  run(): Promise<string>;
}

const DOC = join(__dirname, '..', '..', 'docs', 'benchmarks.md');
const START = (name: string) => `<!-- bench:${name} -->`;
const END = (name: string) => `<!-- /bench:${name} -->`;

function existingSections(): Map<string, string> {
  const sections = new Map<string, string>();
  if (!existsSync(DOC)) return sections;
  const text = readFileSync(DOC, 'utf8');
  const re = /<!-- bench:([\w-]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g;
  for (const m of text.matchAll(re)) sections.set(m[1], m[2]);
  return sections;
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort();
  const unknown = wanted.filter((w) => !names.includes(w));
  if (unknown.length)
    throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; have ${names.join(', ')}`);
  const sections = existingSections();
  for (const name of wanted.length ? wanted : names) {
    const mod = (await import(join(__dirname, `${name}.bench.ts`))) as BenchModule;
    console.log(`# ${mod.title}`);
    const body = await mod.run();
    console.log(body);
    const stamp = `_Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}._\n\n`;
    sections.set(name, `## ${mod.title}\n\n${stamp}${body.trim()}\n`);
  }
  const doc = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (or `npm run bench -- <name>` for one section). Machines are shared 2-core',
    'boxes: figures are medians of repeated runs, and comparisons are ratios measured in the same run.',
    '',
    ...[...sections.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([n, s]) => `${START(n)}\n${s}${END(n)}\n`),
  ].join('\n');
  writeFileSync(DOC, doc);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
