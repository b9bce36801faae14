import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_REPORT } from './fixture-report';
import { renderReportPdf } from './pdf';

/** The PDF's text as Debian's pdftotext reads it, white space folded. */
async function pdfText(): Promise<{ text: string; pages: number; bytes: Buffer }> {
  const bytes = await renderReportPdf(FIXTURE_REPORT, { organizationName: 'Nordisk Demo A/S' });
  const dir = mkdtempSync(join(tmpdir(), 'report-pdf-'));
  const file = join(dir, 'report.pdf');
  writeFileSync(file, bytes);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  return { text: text.replace(/[ \t]+/g, ' '), pages, bytes };
}

describe('the quarterly report as a PDF', () => {
  let text = '';
  let pages = 0;
  let bytes: Buffer;
  beforeAll(async () => {
    ({ text, pages, bytes } = await pdfText());
  });

  it('is a PDF of a few pages with the title, the period in the contract zone and the revision', () => {
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(6);
    expect(text).toContain('Quarterly report 2026-Q3: Nordisk Demo A/S');
    expect(text).toContain(
      '2026-07-01 00:00 +02:00 to 2026-10-01 00:00 +02:00 (Europe/Copenhagen)',
    );
    expect(text).toContain('Revision 2, issued 2026-10-01 08:00 +02:00');
  });

  it('carries the first-response figures of the JSON, overall and per severity', () => {
    // overall: 187 met, 13 breached, 4 pending, 187/200 = 93.5%
    expect(text).toMatch(
      /All 187 13 4 93\.5% 47 min 212 min \(3 h 32 min\) 391 min \(6 h 31 min\) 96 min \(1 h 36 min\)/,
    );
    expect(text).toMatch(/Severity 1 11 3 0 78\.6% 22 min 58 min 71 min \(1 h 11 min\) 39 min/);
    expect(text).toMatch(/Severity 2 64 6 1 91\.4% 95 min \(1 h 35 min\)/);
    expect(text).toMatch(/Severity 3 112 4 3 96\.6% 181 min \(3 h 01 min\)/);
    // the chart's notes: met/breached per severity per month
    for (const n of ['4/1', '21/2', '37/1', '3/2', '19/3', '35/2', '4/0', '24/1', '40/1'])
      expect(text).toContain(n);
    expect(text).toContain('Jul 2026');
    expect(text).toContain('Sep 2026');
  });

  it('carries the activity, the backlog and its age buckets', () => {
    expect(text).toMatch(/Tickets created 206/);
    expect(text).toMatch(/Created by E-mail 83/);
    expect(text).toMatch(/Created by Web 61/);
    expect(text).toMatch(/Created by Phone 29/);
    expect(text).toMatch(/Created by Chat 24/);
    expect(text).toMatch(/Created by API 9/);
    expect(text).toMatch(/Escalated \(level 2 or 3\) 55 \(26\.7%\)/);
    expect(text).toMatch(/Tickets resolved 198/);
    expect(text).toMatch(/Reopened within 14 days 7 \(3\.5%\)/);
    expect(text).toMatch(/Resolution, median 733 min \(12 h 13 min\)/);
    expect(text).toMatch(/Backlog at start 17/);
    expect(text).toMatch(/Backlog at end 25/);
    expect(text).toMatch(/0-2 days 12 1 4 7/);
    expect(text).toMatch(/>30 days 1 0 0 1/);
    expect(text).toMatch(/HD-000311 3 2026-08-12 11:14 \+02:00 49/);
  });

  it('carries availability per month against the goal with the budget, and every incident', () => {
    expect(text).toMatch(
      /Jul 2026 44640 38 min 120 min \(2 h 00 min\) 99\.91% 99\.00% 408\.4 min \(6 h 48 min\)/,
    );
    expect(text).toMatch(
      /Aug 2026 44640 517 min \(8 h 37 min\) 0 min 98\.84% 99\.00% -70\.6 min \(-1 h 11 min\)/,
    );
    expect(text).toMatch(
      /Sep 2026 43200 0 min 240 min \(4 h 00 min\) 100\.00% 99\.00% 432 min \(7 h 12 min\)/,
    );
    expect(text).toMatch(/HD-000123 1 2026-07-14 10:02 \+02:00 2026-07-14 10:40 \+02:00 38 min/);
    expect(text).toMatch(/OUT-0007 1 2026-08-21 21:30 \+02:00 2026-08-22 06:07 \+02:00 517 min/);
    expect(text).toContain('budget left -70.6 min');
  });

  it('lists the maintenance windows, a late one counted as downtime', () => {
    expect(text).toMatch(
      /MW-0003 2026-06-26 12:00 \+02:00 2026-07-04 22:00 \+02:00 2026-07-05 00:00 \+02:00 given 120 min \(2 h 00 min\) 0 min 0 min/,
    );
    expect(text).toMatch(
      /MW-0004 2026-09-11 11:00 \+02:00 2026-09-12 20:00 \+02:00 2026-09-13 00:00 \+02:00 late 0 min 240 min \(4 h 00 min\) 0 min/,
    );
  });

  it('shows the service goals with pass and fail, and the definitions as footnotes', () => {
    expect(text).toMatch(/Answered at the first contact 80\.0% 84\.0% 150 passed/);
    expect(text).toMatch(/Remedied by the next day 95\.0% 91\.2% 91 failed/);
    expect(text).toContain('Definitions');
    expect(text).toMatch(/\[1\] A first-response target is decided at the earlier/);
    expect(text).toMatch(/\[4\] Availability of a month = 1 - U \/ M/);
  });
});
