// Every worked example of sla-rules.md §4, through the API: an agent logs a phone call with its time.
jest.setTimeout(90_000);
import { createTicket, Harness, startHarness } from '../support/harness';

const EXAMPLES: [string, 1 | 2 | 3, string][] = [
  ['2024-03-12T10:15:00Z', 1, '2024-03-12T11:15:00.000Z'],
  ['2024-03-12T17:30:00Z', 1, '2024-03-13T09:30:00.000Z'],
  ['2024-03-12T18:00:00Z', 1, '2024-03-13T10:00:00.000Z'],
  ['2024-03-12T08:59:00Z', 1, '2024-03-12T10:00:00.000Z'],
  ['2024-03-16T11:00:00Z', 1, '2024-03-18T10:00:00.000Z'],
  ['2024-03-15T16:00:00Z', 2, '2024-03-18T11:00:00.000Z'],
  ['2024-03-28T12:00:00Z', 3, '2024-04-02T11:00:00.000Z'],
  ['2024-12-24T15:00:00Z', 3, '2024-12-27T14:00:00.000Z'],
  ['2026-12-24T17:00:00Z', 3, '2026-12-29T16:00:00.000Z'],
  // a target that ends exactly at closing time is due at closing time
  ['2024-03-12T17:00:00Z', 1, '2024-03-12T18:00:00.000Z'],
];

describe('due times of the worked examples (Standard support, default calendar)', () => {
  let h: Harness;
  let agent: string;
  let standardId: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    agent = await h.login('agent1@helpdesk.local');
    const policies = await h.http
      .get('/api/admin/policies')
      .set('authorization', `Bearer ${agent}`)
      .expect(200);
    standardId = policies.body.find((p: { name: string }) => p.name === 'Standard support').id;
  });
  afterAll(() => h.close());

  it.each(EXAMPLES)('received %s with severity %d is due %s', async (receivedAt, severity, due) => {
    if (Date.parse(receivedAt) > Date.now()) {
      // A ticket may not be received in the future (that is refused); the preview computes the same due time.
      const res = await h.http
        .post('/api/sla/preview')
        .set('authorization', `Bearer ${agent}`)
        .send({ receivedAt, severity, policyId: standardId })
        .expect(200);
      expect(res.body.targets[0].dueAt).toBe(due);
      await h.http
        .post('/api/tickets')
        .set('authorization', `Bearer ${agent}`)
        .send({
          subject: 'x',
          description: 'y',
          severity,
          receivedAt,
          requesterEmail: 'alice@acme.example',
        })
        .expect(400);
      return;
    }
    const t = await createTicket(h, agent, {
      subject: 'Phone call',
      description: 'logged by agent',
      severity,
      receivedAt,
      requesterEmail: 'alice@acme.example',
    });
    expect(t.reference).toMatch(/^HD-\d{6}$/);
    expect(t.receivedAt).toBe(new Date(receivedAt).toISOString());
    expect(t.channel).toBe('phone');
    expect(t.targets).toHaveLength(1);
    expect(t.targets[0]).toMatchObject({ metric: 'first_response', dueAt: due });
    const read = await h.http
      .get(`/api/tickets/${t.id}`)
      .set('authorization', `Bearer ${agent}`)
      .expect(200);
    expect(read.body.targets[0].dueAt).toBe(due);
  });

  it('uses the Danish terms for a customer on them (30 business minutes, Copenhagen 08:00–17:00)', async () => {
    // Tue 2024-03-12 16:45 Copenhagen (15:45 UTC) + 30 min office time = 15 min that day + 15 min Wed from 08:00 local
    const t = await createTicket(h, agent, {
      subject: 'Nede',
      description: 'alt er nede',
      severity: 1,
      receivedAt: '2024-03-12T15:45:00Z',
      requesterEmail: 'lars@nordisk.example',
    });
    expect(t.targets[0].dueAt).toBe('2024-03-13T07:15:00.000Z');
  });

  it('previews the due time with the explanation', async () => {
    const admin = await h.login('admin@helpdesk.test');
    const policies = await h.http
      .get('/api/admin/policies')
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    const standard = policies.body.find((p: { name: string }) => p.name === 'Standard support');
    const res = await h.http
      .post('/api/sla/preview')
      .set('authorization', `Bearer ${admin}`)
      .send({ receivedAt: '2024-03-28T12:00:00Z', severity: 3, policyId: standard.id })
      .expect(200);
    expect(res.body.targets[0].dueAt).toBe('2024-04-02T11:00:00.000Z');
    expect(res.body.targets[0].steps.length).toBeGreaterThan(0);
    expect(res.body.targets[0].steps.join(' ')).toMatch(/Good Friday|holiday/i);
  });
});
