import { DEFAULT_CALENDAR, type CalendarDocument } from '@app/business-hours';
import { slaBadge } from './badge';

const at = (iso: string) => Date.parse(iso);
const cal = DEFAULT_CALENDAR;

describe('SLA badge (default calendar: 09:00–18:00 UTC weekdays, England and Wales holidays)', () => {
  it('counts business time left while the desk is open', () => {
    const b = slaBadge(
      {
        dueAt: '2024-03-12T11:15:00Z',
        warningAt: '2024-03-12T11:00:00Z',
        state: 'running',
        calendar: cal,
      },
      at('2024-03-12T10:30:00Z'),
    );
    expect(b).toMatchObject({ tone: 'ok', text: '45m 00s left' });
  });

  it('turns to the warning colour after the warning point', () => {
    const b = slaBadge(
      {
        dueAt: '2024-03-12T11:15:00Z',
        warningAt: '2024-03-12T11:00:00Z',
        state: 'running',
        calendar: cal,
      },
      at('2024-03-12T11:05:30Z'),
    );
    expect(b).toMatchObject({ tone: 'warning', text: '9m 30s left' });
  });

  it('is paused outside business hours and says when the clock resumes', () => {
    // Received Sat 2024-03-16 11:00 with severity 1: due Mon 2024-03-18 10:00.
    const b = slaBadge(
      {
        dueAt: '2024-03-18T10:00:00Z',
        warningAt: '2024-03-18T09:45:00Z',
        state: 'running',
        calendar: cal,
      },
      at('2024-03-16T11:00:00Z'),
    );
    expect(b.tone).toBe('paused');
    expect(b.text).toBe('Paused: outside business hours, resumes Monday 09:00 UTC · 1h 00m left');
  });

  it('does not count the night: a ticket due at 09:30 has the same time left at 18:00 and at 09:00', () => {
    const input = {
      dueAt: '2024-03-13T09:30:00Z',
      warningAt: null,
      state: 'running',
      calendar: cal,
    };
    expect(slaBadge(input, at('2024-03-12T18:00:00Z')).text).toContain('30m 00s left');
    expect(slaBadge(input, at('2024-03-13T03:00:00Z')).text).toContain('30m 00s left');
    expect(slaBadge(input, at('2024-03-13T09:00:00Z')).text).toBe('30m 00s left');
  });

  it('says a breach and by how much business time', () => {
    const b = slaBadge(
      { dueAt: '2024-03-12T17:30:00Z', warningAt: null, state: 'breached', calendar: cal },
      at('2024-03-13T09:30:00Z'),
    );
    expect(b).toMatchObject({ tone: 'breached', text: 'Breached by 1h 00m of business time' });
  });

  it('reads the clock in the calendar zone (Europe/Copenhagen, 08:00–17:00)', () => {
    const dk: CalendarDocument = {
      timeZone: 'Europe/Copenhagen',
      week: {
        mon: [['08:00', '17:00']],
        tue: [['08:00', '17:00']],
        wed: [['08:00', '17:00']],
        thu: [['08:00', '17:00']],
        fri: [['08:00', '17:00']],
      },
    };
    // Friday 2024-03-15 17:30 Copenhagen (16:30 UTC): closed until Monday 08:00 Copenhagen.
    const b = slaBadge(
      { dueAt: '2024-03-18T07:30:00Z', warningAt: null, state: 'running', calendar: dk },
      at('2024-03-15T16:30:00Z'),
    );
    expect(b.text).toBe(
      'Paused: outside business hours, resumes Monday 08:00 (Europe/Copenhagen) · 30m 00s left',
    );
  });

  it('shows a met target as met, whatever the time', () => {
    expect(
      slaBadge(
        { dueAt: '2024-03-12T11:15:00Z', warningAt: null, state: 'met', calendar: cal },
        at('2025-01-01T00:00:00Z'),
      ),
    ).toMatchObject({ tone: 'met', text: 'Target met' });
  });

  it('counts wall-clock time when it has no calendar', () => {
    expect(
      slaBadge({ dueAt: 1_000_000, warningAt: null, state: 'running' }, 1_000_000 - 90_000).text,
    ).toBe('1m 30s left');
  });
});

describe('SLA badge of a target with rounds and pauses', () => {
  it.each([
    [
      'paused while the ticket waits on the customer, with the time left',
      { dueAt: null, warningAt: null, state: 'paused', leftSeconds: 5400 },
      'paused',
      'Paused: waiting on the customer · 1h 30m left',
    ],
    [
      'a round decided late: breached by the lateness at the reply, not until now',
      {
        dueAt: '2024-03-12T11:00:00Z',
        warningAt: null,
        state: 'breached',
        stoppedAt: '2024-03-12T11:20:00Z',
        calendar: cal,
      },
      'breached',
      'Breached by 20m 00s of business time',
    ],
    [
      'a round met',
      { dueAt: '2024-03-12T11:00:00Z', warningAt: null, state: 'met' },
      'met',
      'Target met',
    ],
  ])('%s', (_label, input, tone, text) => {
    expect(slaBadge(input, at('2024-03-13T15:00:00Z'))).toMatchObject({ tone, text });
  });
});
