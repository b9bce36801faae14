// GET /api/tickets?sort=due: every queue in the order of the nearest open due time, paged by cursor.
jest.setTimeout(120_000);
import { createTicket, Harness, startHarness } from '../support/harness';

interface Item {
  id: string;
  status: string;
  targets: { dueAt: string; state: string; stoppedAt: string | null }[];
}

describe('queues sorted by due time', () => {
  let h: Harness;
  let agent: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const openDue = (t: Item) => {
    const open = t.targets.filter((g) => g.stoppedAt === null).map((g) => Date.parse(g.dueAt));
    return open.length ? Math.min(...open) : Infinity;
  };
  /** Every page of a list, following nextCursor. */
  const all = async (query: string, limit: number) => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Item[]; nextCursor: string | null } } = await h.http
        .get(`/api/tickets?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(auth(agent))
        .expect(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  };

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    agent = await h.login('agent1@helpdesk.local');
  });
  afterAll(() => h.close());

  it('any view with sort=due: nearest open due first, tickets without an open target last, each once across pages', async () => {
    const made: Item[] = [];
    // Same receipt time for several (ties broken by id), different severities, one answered, one closed.
    const plan: [number, string][] = [
      [3, '2024-05-01T09:00:00Z'],
      [1, '2024-05-01T09:00:00Z'],
      [2, '2024-05-01T09:00:00Z'],
      [1, '2024-05-01T09:00:00Z'],
      [2, '2024-04-30T09:00:00Z'],
      [3, '2024-05-02T09:00:00Z'],
      [1, '2024-05-01T09:00:00Z'],
    ];
    for (const [severity, receivedAt] of plan) {
      made.push(
        await createTicket(h, agent, {
          subject: `queue ${severity}`,
          description: 'x',
          severity,
          receivedAt,
          requesterEmail: 'lars@nordisk.example',
        }),
      );
    }
    await h.http
      .post(`/api/tickets/${made[0].id}/messages`)
      .set(auth(agent))
      .send({ body: 'On it', visibility: 'public' })
      .expect(201);
    await h.http
      .patch(`/api/tickets/${made[1].id}`)
      .set(auth(agent))
      .send({ status: 'closed' })
      .expect(200);
    const org = (made[0] as unknown as { organizationId: string }).organizationId;

    const sorted = await all(`organizationId=${org}&sort=due`, 2);
    expect(sorted.map((t) => t.id).sort()).toEqual(made.map((t) => t.id).sort());
    const keys = sorted.map(openDue);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    // The answered and the closed ticket have no open target: they come last.
    expect(
      sorted
        .slice(-2)
        .map((t) => t.id)
        .sort(),
    ).toEqual([made[0].id, made[1].id].sort());
    expect(keys.slice(0, -2).every(Number.isFinite)).toBe(true);
    // The default order stays newest first.
    const byNumber = await all(`organizationId=${org}`, 50);
    expect(byNumber.map((t) => t.id)).toEqual([...made].reverse().map((t) => t.id));

    // Another view, the same order; and view=breaching still leaves out tickets with nothing open.
    const unassigned = await all(`view=unassigned&organizationId=${org}&sort=due`, 3);
    expect(unassigned.map((t) => t.id)).toEqual(
      sorted.filter((t) => t.id !== made[1].id).map((t) => t.id),
    );
    const breaching = await all(`view=breaching&organizationId=${org}`, 2);
    expect(breaching.map((t) => t.id)).toEqual(sorted.slice(0, -2).map((t) => t.id));
  });

  it('refuses an unknown sort and a cursor of the other order', async () => {
    const bad = await h.http.get('/api/tickets?sort=priority').set(auth(agent)).expect(400);
    expect(JSON.stringify(bad.body)).toContain('sort must be number or due');
    const page = await h.http.get('/api/tickets?limit=1').set(auth(agent)).expect(200);
    await h.http
      .get(`/api/tickets?sort=due&cursor=${page.body.nextCursor}`)
      .set(auth(agent))
      .expect(400);
  });

  it('has a partial index for the nearest open due time of a ticket', async () => {
    const { rows } = await h.pg.query(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'ticket_targets_open_due_idx'`,
    );
    expect(rows[0].indexdef).toMatch(/\(ticket_id, due_at\) WHERE \(stopped_at IS NULL\)/);
  });
});
