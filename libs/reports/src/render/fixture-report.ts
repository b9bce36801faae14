// A hand-made quarterly report for the renderers' tests (PDF text, web page): every figure distinct
// enough to be found in the output.
import type { FirstResponseFigures, QuarterlyReport } from '../report.types';

function fr(
  met: number,
  breached: number,
  pending: number,
  median: number | null,
  p90: number | null,
  total: number,
  max: number,
): FirstResponseFigures {
  return {
    met,
    breached,
    pending,
    attainment: met + breached === 0 ? null : met / (met + breached),
    medianBusinessMinutes: median,
    p90BusinessMinutes: p90,
    totalOverrunBusinessMinutes: total,
    maxOverrunBusinessMinutes: max,
  };
}

export const FIXTURE_REPORT: QuarterlyReport = {
  organizationId: '00000000-0000-4000-8000-000000000001',
  quarter: '2026-Q3',
  timeZone: 'Europe/Copenhagen',
  from: '2026-06-30T22:00:00.000Z',
  to: '2026-09-30T22:00:00.000Z',
  revision: 2,
  issuedAt: '2026-10-01T06:00:00.000Z',
  firstResponse: {
    overall: fr(187, 13, 4, 47, 212, 391, 96),
    bySeverity: {
      '1': fr(11, 3, 0, 22, 58, 71, 39),
      '2': fr(64, 6, 1, 95, 230, 208, 96),
      '3': fr(112, 4, 3, 181, 455, 112, 44),
    },
    byMonth: [
      {
        month: '2026-07',
        bySeverity: {
          '1': { met: 4, breached: 1 },
          '2': { met: 21, breached: 2 },
          '3': { met: 37, breached: 1 },
        },
      },
      {
        month: '2026-08',
        bySeverity: {
          '1': { met: 3, breached: 2 },
          '2': { met: 19, breached: 3 },
          '3': { met: 35, breached: 2 },
        },
      },
      {
        month: '2026-09',
        bySeverity: {
          '1': { met: 4, breached: 0 },
          '2': { met: 24, breached: 1 },
          '3': { met: 40, breached: 1 },
        },
      },
    ],
  },
  activity: {
    created: {
      total: 206,
      bySeverity: { '1': 14, '2': 73, '3': 119 },
      byChannel: { email: 83, web: 61, phone: 29, chat: 24, api: 9 },
      bySupportLevel: { '1': 151, '2': 41, '3': 14 },
    },
    resolved: 198,
    escalated: 55,
    escalationRate: 55 / 206,
    reopened: 7,
    reopenRate: 7 / 198,
    resolution: { medianBusinessMinutes: 733, p90BusinessMinutes: 2871 },
    reclassified: 5,
    backlog: {
      start: 17,
      end: 25,
      ageBuckets: {
        '0-2': { total: 12, bySeverity: { '1': 1, '2': 4, '3': 7 } },
        '3-7': { total: 8, bySeverity: { '1': 0, '2': 3, '3': 5 } },
        '8-30': { total: 4, bySeverity: { '1': 0, '2': 1, '3': 3 } },
        '>30': { total: 1, bySeverity: { '1': 0, '2': 0, '3': 1 } },
      },
      oldest: [
        {
          reference: 'HD-000311',
          severity: 3,
          receivedAt: '2026-08-12T09:14:00.000Z',
          ageDays: 49,
        },
        {
          reference: 'HD-000402',
          severity: 2,
          receivedAt: '2026-09-08T12:40:00.000Z',
          ageDays: 22,
        },
      ],
    },
  },
  availability: [
    {
      month: '2026-07',
      minutes: 44640,
      downtimeMinutes: 38,
      maintenanceMinutes: 120,
      availability: 1 - 38 / 44640,
      goal: 0.99,
      budgetLeftMinutes: 446.4 - 38,
    },
    {
      month: '2026-08',
      minutes: 44640,
      downtimeMinutes: 517,
      maintenanceMinutes: 0,
      availability: 1 - 517 / 44640,
      goal: 0.99,
      budgetLeftMinutes: 446.4 - 517,
    },
    {
      month: '2026-09',
      minutes: 43200,
      downtimeMinutes: 0,
      maintenanceMinutes: 240,
      availability: 1,
      goal: 0.99,
      budgetLeftMinutes: 432,
    },
  ],
  incidents: [
    {
      reference: 'HD-000123',
      start: '2026-07-14T08:02:00.000Z',
      restoredAt: '2026-07-14T08:40:00.000Z',
      downtimeMinutes: 38,
      severity: 1,
    },
    {
      reference: 'OUT-0007',
      start: '2026-08-21T19:30:00.000Z',
      restoredAt: '2026-08-22T04:07:00.000Z',
      downtimeMinutes: 517,
      severity: 1,
    },
  ],
  maintenance: [
    {
      reference: 'MW-0003',
      start: '2026-07-04T20:00:00.000Z',
      end: '2026-07-04T22:00:00.000Z',
      announcedAt: '2026-06-26T10:00:00.000Z',
      actualStart: '2026-07-04T20:00:00.000Z',
      actualEnd: '2026-07-04T22:00:00.000Z',
      noticeMet: true,
      excludedMinutes: 120,
      downtimeMinutes: 0,
      overCapMinutes: 0,
    },
    {
      reference: 'MW-0004',
      start: '2026-09-12T18:00:00.000Z',
      end: '2026-09-12T22:00:00.000Z',
      announcedAt: '2026-09-11T09:00:00.000Z',
      actualStart: '2026-09-12T18:00:00.000Z',
      actualEnd: '2026-09-12T22:00:00.000Z',
      noticeMet: false,
      excludedMinutes: 0,
      downtimeMinutes: 240,
      overCapMinutes: 0,
    },
  ],
  serviceGoals: [
    {
      key: 'first-contact',
      description: 'Answered at the first contact',
      goal: 0.8,
      value: 0.84,
      count: 150,
      passed: true,
    },
    {
      key: 'remedied-next-day',
      description: 'Remedied by the next day',
      goal: 0.95,
      value: 0.912,
      count: 91,
      passed: false,
    },
  ],
};
