// OFFICIAL-SENSITIVE content never reaches staff without clearance (admins and managers included), on
// the routes where it leaked: a ticket's mail, the inbound mail list and detail, the outgoing mails,
// the history's reasons; and uncleared staff cannot work on the ticket (re-classify, change status).
jest.setTimeout(120_000);
import { leaked, RestrictedFixture, SECRET, startRestrictedFixture } from './restricted-fixture';

describe('OFFICIAL-SENSITIVE content and uncleared staff', () => {
  let f: RestrictedFixture;
  beforeAll(async () => {
    f = await startRestrictedFixture();
  });
  afterAll(() => f?.h.close());

  const get = async (who: string, path: string) => {
    const res = await f.h.http.get(path).set(f.auth(who));
    return { status: res.status, text: JSON.stringify(res.body), body: res.body };
  };

  it.each(['admin', 'manager', 'agent1'])(
    '%s (not cleared) sees that the ticket exists, not its attachments, mails or reasons',
    async (who) => {
      const routes = [
        `/api/tickets/${f.ticket.id}`,
        `/api/mail/tickets/${f.ticket.id}`,
        ...(who === 'admin'
          ? ['/api/mail/inbound', `/api/mail/inbound/${f.inboundMailId}`, '/api/admin/mails']
          : []),
      ];
      for (const path of routes) {
        const res = await get(who, path);
        expect([path, res.status]).toEqual([path, 200]);
        expect([path, leaked(res.text)]).toEqual([path, []]);
      }
      const ticket = (await get(who, `/api/tickets/${f.ticket.id}`)).body;
      expect(ticket).toMatchObject({ reference: f.ticket.reference, restricted: true });
      expect(ticket.targets.length).toBeGreaterThan(0);
      expect(ticket.history.some((e: { field: string }) => e.field === 'status')).toBe(true);
    },
  );

  it('the cleared agent sees all of it', async () => {
    const ticket = await get('agent3', `/api/tickets/${f.ticket.id}`);
    expect(leaked(ticket.text)).toEqual(
      expect.arrayContaining([SECRET.subject, SECRET.reply, SECRET.note, SECRET.reason]),
    );
    const mail = await get('agent3', `/api/mail/tickets/${f.ticket.id}`);
    expect(leaked(mail.text)).toEqual(expect.arrayContaining([SECRET.mailFile]));
  });

  it('an uncleared agent can neither re-classify nor change the status of the ticket', async () => {
    for (const change of [{ severity: 1 }, { status: 'resolved' }]) {
      const res = await f.h.http
        .patch(`/api/tickets/${f.ticket.id}`)
        .set(f.auth('agent1'))
        .send({ ...change, reason: 'tried' });
      expect([change, res.status, res.body.code]).toEqual([change, 403, 'clearance_required']);
    }
    const row = await f.h.pg.query(`SELECT severity, status FROM tickets WHERE id = $1`, [
      f.ticket.id,
    ]);
    expect(row.rows[0].severity).toBe(2);
    expect(row.rows[0].status).not.toBe('resolved');
  });

  it('uncleared staff may still hand the ticket to a cleared colleague', async () => {
    const me3 = (await get('agent3', '/api/auth/me')).body;
    const res = await f.h.http
      .patch(`/api/tickets/${f.ticket.id}`)
      .set(f.auth('agent1'))
      .send({ assigneeId: me3.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ assigneeId: me3.id, restricted: true });
  });
});
