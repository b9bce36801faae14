import { alarmMail, duration } from './alarm-mail';

describe('alarm mail', () => {
  const facts = {
    reference: 'HD-000123',
    subject: 'Platform down',
    organization: 'Acme Ltd',
    severity: 1,
    metric: 'first_response',
    kind: 'breach' as const,
    dueAt: new Date('2024-03-12T11:15:00Z'),
    firedAt: new Date('2024-03-12T11:20:30Z'),
    supportLevel: 2,
    restricted: false,
    publicUrl: 'https://desk.example/',
    ticketId: 't-1',
  };

  it('names the ticket, customer, severity, target, due time and how late', () => {
    const { subject, body } = alarmMail(facts);
    expect(subject).toBe('[HD-000123] SLA BREACH: first response target, severity 1, Acme Ltd');
    expect(body).toContain('Customer:  Acme Ltd');
    expect(body).toContain('due at 2024-03-12T11:15:00.000Z and is now 5 min 30 s late');
    expect(body).toContain('https://desk.example/tickets/t-1');
  });

  it('does not show the subject of a sensitive ticket', () => {
    expect(alarmMail({ ...facts, restricted: true }).body).not.toContain('Platform down');
  });

  it.each([
    [42_000, '42 s'],
    [3_900_000, '1 h 5 min'],
    [90_000_000, '1 d 1 h'],
  ])('duration(%d) = %s', (msValue, words) => expect(duration(msValue)).toBe(words));
});
