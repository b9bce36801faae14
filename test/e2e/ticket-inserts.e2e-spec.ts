// Tickets raised at the same moment are written together (one statement per batch): each must still
// come back as its own ticket, with its own reference, history entry and targets, and one ticket that
// cannot be written must fail alone.
jest.setTimeout(90_000);
import { TicketInserts, TicketsRepository } from '@app/tickets';
import { planTargets, STANDARD_SUPPORT } from '@app/sla';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Harness, startHarness } from '../support/harness';

describe('tickets raised at the same moment', () => {
  let h: Harness;
  let alice: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    alice = await h.login('alice@acme.example');
  });
  afterAll(() => h.close());

  it('each of 60 concurrent requests gets its own ticket, history entry and due time', async () => {
    const sent = Array.from({ length: 60 }, (_, i) => ({
      subject: `Outage report ${i}`,
      description: `Region ${i} is down.`,
      severity: 1 + (i % 3),
    }));
    const responses = await Promise.all(
      sent.map((body) =>
        h.http.post('/api/tickets').set('authorization', `Bearer ${alice}`).send(body),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(sent.map(() => 201));
    responses.forEach((res, i) => {
      expect(res.body).toMatchObject({
        subject: sent[i].subject,
        description: sent[i].description,
        severity: sent[i].severity,
        status: 'new',
      });
      const received = Date.parse(res.body.receivedAt);
      const due = planTargets(STANDARD_SUPPORT, sent[i].severity as 1 | 2 | 3, received)[0].dueAt;
      expect(res.body.targets).toEqual([
        expect.objectContaining({
          metric: 'first_response',
          dueAt: new Date(due).toISOString(),
          state: 'running',
        }),
      ]);
    });
    expect(new Set(responses.map((r) => r.body.reference)).size).toBe(60);

    const ids = responses.map((r) => r.body.id);
    const history = await h.pg.query(
      `SELECT ticket_id, new_value FROM ticket_history WHERE field = 'created' AND ticket_id = ANY($1)`,
      [ids],
    );
    expect(history.rows).toHaveLength(60);
    for (const row of history.rows)
      expect(row.new_value.severity).toBe(sent[ids.indexOf(row.ticket_id)].severity);
    const targets = await h.pg.query(
      `SELECT count(*)::int AS n FROM ticket_targets WHERE ticket_id = ANY($1)`,
      [ids],
    );
    expect(targets.rows[0].n).toBe(60);
  });

  it('a ticket that cannot be written fails alone; the others of its batch are written', async () => {
    const ds = new DataSource({ type: 'postgres', url: h.db.url });
    await ds.initialize();
    try {
      const inserts = new TicketInserts(new TicketsRepository(ds));
      const { rows } = await h.pg.query(
        `SELECT u.id AS requester_id, o.id AS organization_id, o.policy_id FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.email = 'alice@acme.example'`,
      );
      const alicesTicket = (subject: string, policyId = rows[0].policy_id) => ({
        subject,
        description: 'Batch test',
        severity: 2,
        sensitive: false,
        channel: 'api' as const,
        receivedAt: Date.parse('2026-11-23T10:00:00Z'),
        requesterId: rows[0].requester_id,
        organizationId: rows[0].organization_id,
        policyId,
        actorId: rows[0].requester_id,
        targets: planTargets(STANDARD_SUPPORT, 2, Date.parse('2026-11-23T10:00:00Z')),
      });
      // Queued in one turn of the event loop: written by one statement, which fails; then one by one.
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          inserts.insert(alicesTicket(`Batch ${i}`, i === 6 ? randomUUID() : undefined)),
        ),
      );

      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      expect((results[6] as PromiseRejectedResult).reason.message).toMatch(/policy_id|foreign key/);
      results.forEach((r, i) => {
        if (r.status !== 'fulfilled') return;
        expect(r.value.subject).toBe(`Batch ${i}`);
        expect(r.value.targets.map((t) => [t.metric, new Date(t.due_at!).toISOString()])).toEqual([
          ['first_response', '2026-11-23T14:00:00.000Z'],
        ]);
      });
      const written = await h.pg.query(
        `SELECT subject FROM tickets WHERE description = 'Batch test' ORDER BY subject`,
      );
      expect(written.rows.map((r) => r.subject)).toEqual([
        'Batch 0',
        'Batch 1',
        'Batch 2',
        'Batch 3',
        'Batch 4',
        'Batch 5',
        'Batch 7',
        'Batch 8',
        'Batch 9',
      ]);
    } finally {
      await ds.destroy();
    }
  });
});
