import { strFromU8, unzipSync } from 'fflate';
import { csvCell, csvText, csvZip, instantIn, summaryRows } from './csv';
import { computeReport } from './core';
import { facts, ticket } from './core/test-facts';

describe('CSV cells', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', '"\'\rx"'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
  ])('%j → %j', (value, cell) => expect(csvCell(value)).toBe(cell));

  it('keeps numbers as numbers (a negative budget is not a formula)', () => {
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('writes RFC 4180 lines with CRLF', () => {
    expect(csvText(['a', 'b'], [[1, '=x']])).toBe("a,b\r\n1,'=x\r\n");
  });

  it.each([
    ['UTC', '2026-10-06T12:00:00.000Z', '2026-10-06T12:00:00+00:00'],
    ['Europe/Copenhagen', '2026-10-06T12:00:00.000Z', '2026-10-06T14:00:00+02:00'],
    ['Europe/Copenhagen', '2026-12-06T12:00:00.000Z', '2026-12-06T13:00:00+01:00'],
  ])('instants carry the zone offset: %s %s → %s', (zone, iso, want) =>
    expect(instantIn(zone, Date.parse(iso))).toBe(want),
  );
});

describe('csvZip', () => {
  it('holds the five files, the summary with every figure', () => {
    const t = ticket({
      received: '2026-10-06T10:00Z',
      severity: 2,
      due: '2026-10-06T14:00Z',
      replies: ['2026-10-06T13:00Z'],
    });
    const computed = computeReport(facts({ tickets: [t] }));
    const files = unzipSync(csvZip(computed.report, { computed, tickets: [t] }));
    expect(Object.keys(files).sort()).toEqual([
      'incidents.csv',
      'maintenance.csv',
      'summary.csv',
      'targets.csv',
      'tickets.csv',
    ]);
    const summary = strFromU8(files['summary.csv']);
    expect(summary).toContain('firstResponse.bySeverity.2.met,1\r\n');
    expect(summary).toContain('firstResponse.overall.attainment,1\r\n');
    expect(summary).toContain('firstResponse.overall.medianBusinessMinutes,180\r\n');
    expect(summary.trim().split('\r\n')).toHaveLength(1 + summaryRows(computed.report).length);
    expect(strFromU8(files['targets.csv'])).toContain(',met,2026-10-06T13:00:00+00:00,180,180,0');
  });
});
