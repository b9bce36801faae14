// A file belongs to a message and takes its visibility: a file sent with an internal note (or posted
// with visibility=internal) is listed and downloadable by staff only, never by the customer.
jest.setTimeout(90_000);
import { createTicket, Harness, startHarness } from '../support/harness';

describe('attachments take the visibility of their message', () => {
  let h: Harness;
  let alice: string; // the requester
  let carol: string; // Acme's customer admin
  let agent1: string;
  let ticket: { id: string };
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    [alice, carol, agent1] = await Promise.all(
      ['alice@acme.example', 'carol@acme.example', 'agent1@helpdesk.local'].map((e) => h.login(e)),
    );
    ticket = await createTicket(h, alice, { subject: 'Files', description: 'x', severity: 3 });
  });
  afterAll(() => h.close());

  const list = async (token: string) =>
    (await h.http.get(`/api/tickets/${ticket.id}/attachments`).set(auth(token)).expect(200))
      .body as {
      id: string;
      filename: string;
      visibility: string;
      messageId: string | null;
    }[];

  it('a file sent with an internal note is for staff only', async () => {
    const note = await h.http
      .post(`/api/tickets/${ticket.id}/messages`)
      .set(auth(agent1))
      .field('body', 'Their log shows the leak')
      .field('visibility', 'internal')
      .attach('files', Buffer.from('staff only'), 'staff-analysis.txt')
      .expect(201);
    expect(note.body).toMatchObject({ visibility: 'internal' });
    expect(note.body.attachments).toEqual([
      expect.objectContaining({ filename: 'staff-analysis.txt', visibility: 'internal' }),
    ]);
    const [file] = note.body.attachments;

    const staff = await list(agent1);
    expect(staff.find((a) => a.id === file.id)).toMatchObject({
      visibility: 'internal',
      messageId: note.body.id,
    });
    for (const customer of [alice, carol]) {
      expect((await list(customer)).map((a) => a.filename)).not.toContain('staff-analysis.txt');
      await h.http
        .get(`/api/tickets/${ticket.id}/attachments/${file.id}`)
        .set(auth(customer))
        .expect(404);
      const view = await h.http.get(`/api/tickets/${ticket.id}`).set(auth(customer)).expect(200);
      expect(JSON.stringify(view.body)).not.toContain('staff-analysis.txt');
    }
    await h.http
      .get(`/api/tickets/${ticket.id}/attachments/${file.id}`)
      .set(auth(agent1))
      .expect(200);
  });

  it('a file posted with visibility=internal is for staff only', async () => {
    const up = await h.http
      .post(`/api/tickets/${ticket.id}/attachments`)
      .set(auth(agent1))
      .field('visibility', 'internal')
      .attach('files', Buffer.from('internal'), 'internal-upload.txt')
      .expect(201);
    expect(up.body).toEqual([expect.objectContaining({ visibility: 'internal' })]);
    expect((await list(alice)).map((a) => a.filename)).not.toContain('internal-upload.txt');
    await h.http
      .get(`/api/tickets/${ticket.id}/attachments/${up.body[0].id}`)
      .set(auth(alice))
      .expect(404);
  });

  it("a public reply's files and the customer's own files are public; a customer cannot post internal files", async () => {
    const reply = await h.http
      .post(`/api/tickets/${ticket.id}/messages`)
      .set(auth(agent1))
      .field('body', 'Here is the fix')
      .field('visibility', 'public')
      .attach('files', Buffer.from('fix'), 'fix.txt')
      .expect(201);
    const own = await h.http
      .post(`/api/tickets/${ticket.id}/attachments`)
      .set(auth(alice))
      .attach('files', Buffer.from('log'), 'customer.log')
      .expect(201);
    expect(own.body[0]).toMatchObject({ visibility: 'public' });
    const seen = await list(alice);
    expect(seen.map((a) => a.filename).sort()).toEqual(['customer.log', 'fix.txt']);
    expect(seen.find((a) => a.filename === 'fix.txt')?.messageId).toBe(reply.body.id);
    await h.http
      .post(`/api/tickets/${ticket.id}/attachments`)
      .set(auth(alice))
      .field('visibility', 'internal')
      .attach('files', Buffer.from('x'), 'x.txt')
      .expect(403);
    // The ticket's messages carry their files.
    const view = await h.http.get(`/api/tickets/${ticket.id}`).set(auth(alice)).expect(200);
    const withFix = view.body.messages.find((m: { id: string }) => m.id === reply.body.id);
    expect(withFix.attachments.map((a: { filename: string }) => a.filename)).toEqual(['fix.txt']);
  });

  it('a message may be files alone; without body or files it is refused', async () => {
    await h.http
      .post(`/api/tickets/${ticket.id}/messages`)
      .set(auth(alice))
      .field('visibility', 'public')
      .attach('files', Buffer.from('y'), 'only-a-file.txt')
      .expect(201);
    const none = await h.http
      .post(`/api/tickets/${ticket.id}/messages`)
      .set(auth(alice))
      .send({ body: '', visibility: 'public' })
      .expect(400);
    expect(none.body.message).toMatch(/body must not be empty/);
  });
});
