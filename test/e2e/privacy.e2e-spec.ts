// One person's data: the export (JSON, and a ZIP with their files) holds their tickets and messages;
// after anonymisation none of their personal data is left anywhere, and the figures of every report
// (ticket metadata: times, severities, targets, outcomes) are the same.
jest.setTimeout(120_000);
import { strFromU8, unzipSync } from 'fflate';
import {
  ADMIN,
  createTicket,
  customerOn,
  fastPolicy,
  Harness,
  startHarness,
} from '../support/harness';
import { waitFor } from '../support/wait';

const PERSON = { name: 'Petronella Quisby', email: 'petronella.quisby@acme.example' };
const THEIR_TEXT = 'Zanderfield printer jams on tray four';
const THEIR_FILE = 'quisby-payslip.txt';

describe('personal data of one person', () => {
  let h: Harness;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  let personId: string;
  let tickets: { id: string; reference: string }[];

  /** What a report is made of: every ticket's metadata and its targets. */
  const reportFigures = async () =>
    (
      await h.pg.query(
        `SELECT t.number, t.severity, t.status, t.channel, t.organization_id, t.requester_id,
                t.received_at, t.closed_at, tt.metric, tt.target_seconds, tt.due_at, tt.state, tt.stopped_at
           FROM tickets t LEFT JOIN ticket_targets tt ON tt.ticket_id = t.id ORDER BY t.number, tt.metric`,
      )
    ).rows;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    tokens.admin = await h.login(ADMIN.email);
    tokens.agent3 = await h.login('agent3@helpdesk.local');
    const [acme] = (await h.pg.query(`SELECT id FROM organizations WHERE name = 'Acme Ltd'`)).rows;
    const user = await h.http
      .post('/api/admin/users')
      .set(auth('admin'))
      .send({ ...PERSON, role: 'customer', organizationId: acme.id, password: 'demo-password' })
      .expect(201);
    personId = user.body.id;
    tokens.person = await h.login(PERSON.email);
    tickets = [
      await createTicket(h, tokens.person, {
        subject: 'Zanderfield printer',
        description: THEIR_TEXT,
        severity: 2,
      }),
      await createTicket(h, tokens.person, {
        subject: 'Second problem of Petronella',
        description: 'My phone is +44 20 7946 0958',
        severity: 3,
      }),
    ];
    await h.http
      .post(`/api/tickets/${tickets[0].id}/attachments`)
      .set(auth('person'))
      .attach('files', Buffer.from('salary: a lot'), THEIR_FILE)
      .expect(201);
    await h.http
      .post(`/api/tickets/${tickets[0].id}/messages`)
      .set(auth('agent3'))
      .send({ body: `Hello ${PERSON.name}, please restart it.`, visibility: 'public' })
      .expect(201);
    await h.http
      .post(`/api/tickets/${tickets[0].id}/messages`)
      .set(auth('person'))
      .send({ body: 'Restarted, still jams. Petronella', visibility: 'public' })
      .expect(201);
  });
  afterAll(() => h?.close());

  it('exports their profile, tickets, messages, files and the audit entries about them', async () => {
    const res = await h.http
      .get(`/api/admin/users/${personId}/personal-data`)
      .set(auth('admin'))
      .expect(200);
    const doc = res.body;
    expect(doc.profile).toMatchObject({ id: personId, email: PERSON.email, name: PERSON.name });
    expect(doc.tickets.map((t: { reference: string }) => t.reference)).toEqual(
      tickets.map((t) => t.reference),
    );
    expect(doc.tickets[0].description).toBe(THEIR_TEXT);
    expect(doc.tickets[0].targets.length).toBeGreaterThan(0);
    expect(doc.tickets[0].conversation.map((m: { body: string }) => m.body)).toEqual(
      expect.arrayContaining([`Hello ${PERSON.name}, please restart it.`]),
    );
    expect(doc.messages.map((m: { body: string }) => m.body)).toEqual(
      expect.arrayContaining(['Restarted, still jams. Petronella']),
    );
    expect(doc.attachments.map((a: { filename: string }) => a.filename)).toEqual([THEIR_FILE]);
    expect(doc.auditEntries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['user.create', 'auth.sign_in']),
    );
    await h.http.get(`/api/admin/users/${personId}/personal-data`).set(auth('agent3')).expect(403);
  });

  it('exports the same document with their files as a ZIP, and both exports are audited', async () => {
    const res = await h.http
      .get(`/api/admin/users/${personId}/personal-data.zip`)
      .set(auth('admin'))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('content-type', 'application/zip');
    const files = unzipSync(new Uint8Array(res.body as Buffer));
    const doc = JSON.parse(strFromU8(files['person.json']));
    expect(doc.tickets).toHaveLength(2);
    const file = doc.attachments[0].file;
    expect(strFromU8(files[file])).toBe('salary: a lot');
    const audit = await h.http
      .get('/api/admin/audit')
      .query({ objectId: personId, action: 'person.export' })
      .set(auth('admin'))
      .expect(200);
    expect(audit.body.map((e: { action: string }) => e.action).sort()).toEqual([
      'person.export',
      'person.export.zip',
    ]);
  });

  it('anonymises: no personal data left, their files gone, the report figures unchanged', async () => {
    const before = await reportFigures();
    const [{ count: ticketCount }] = (await h.pg.query(`SELECT count(*)::int FROM tickets`)).rows;
    await h.http
      .post(`/api/admin/users/${personId}/anonymise`)
      .set(auth('admin'))
      .send({ confirm: 'someone@else.example' })
      .expect(400);
    const res = await h.http
      .post(`/api/admin/users/${personId}/anonymise`)
      .set(auth('admin'))
      .send({ confirm: PERSON.email })
      .expect(200);
    expect(res.body.counts).toMatchObject({ tickets: 2, attachments: 1 });

    // Nothing of them in any table: name, its parts, e-mail, their text, their file, their phone.
    const needles = [
      'Petronella',
      'Quisby',
      'petronella.quisby',
      'Zanderfield',
      THEIR_FILE,
      '7946 0958',
    ];
    const tables = (
      await h.pg.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      )
    ).rows.map((r) => r.table_name as string);
    const found: string[] = [];
    for (const table of tables)
      for (const needle of needles) {
        const r = await h.pg.query(
          `SELECT count(*)::int AS n FROM "${table}" x WHERE x::text ILIKE '%' || $1 || '%'`,
          [needle],
        );
        if (r.rows[0].n) found.push(`${table}: ${needle}`);
      }
    expect(found).toEqual([]);
    const [{ count: files }] = (
      await h.pg.query(`SELECT count(*)::int FROM inbound_attachments WHERE ticket_id = $1`, [
        tickets[0].id,
      ])
    ).rows;
    expect(files).toBe(0);

    // Metadata kept: the same tickets, times, severities, targets and outcomes.
    expect((await h.pg.query(`SELECT count(*)::int FROM tickets`)).rows[0].count).toBe(ticketCount);
    expect(await reportFigures()).toEqual(before);
    const t = await h.http.get(`/api/tickets/${tickets[0].id}`).set(auth('agent3')).expect(200);
    expect(t.body).toMatchObject({ reference: tickets[0].reference, severity: 2 });
    expect(t.body.description).toBe('[redacted]');

    // They can no longer sign in; the anonymisation is in the audit, and the chain holds.
    await h.http
      .post('/api/auth/login')
      .send({ email: PERSON.email, password: 'demo-password' })
      .expect(401);
    await h.http.get(`/api/tickets`).set(auth('person')).expect(401);
    const audit = await waitFor(
      async () =>
        (
          await h.http
            .get('/api/admin/audit')
            .query({ objectId: personId, action: 'person.anonymise' })
            .set(auth('admin'))
        ).body[0],
    );
    expect(audit.details.counts.tickets).toBe(2);
    expect((await h.http.get('/api/admin/audit/verify').set(auth('admin'))).body.ok).toBe(true);
    await h.http
      .post(`/api/admin/users/${personId}/anonymise`)
      .set(auth('admin'))
      .send({ confirm: 'x' })
      .expect(400);
  });

  it('after anonymisation, an already issued quarterly report gives identical figures', async () => {
    // An organisation of its own (24×7 UTC calendar), whose person raised tickets last quarter.
    const org = await customerOn(
      h,
      tokens.admin,
      'quisby-reports',
      fastPolicy('Reports Q', [3600, 14400, 28800], false),
    );
    const now = new Date();
    const thisQ = Math.floor(now.getUTCMonth() / 3);
    const qStart = Date.UTC(now.getUTCFullYear(), (thisQ - 1) * 3, 1); // Date.UTC rolls month -3 back a year
    const qDate = new Date(qStart);
    const quarter = `${qDate.getUTCFullYear()}-Q${Math.floor(qDate.getUTCMonth() / 3) + 1}`;
    const at = (days: number, hours = 0) =>
      new Date(qStart + (days * 24 + hours) * 3_600_000).toISOString();
    const logged = [];
    for (const [i, severity] of [1, 2, 3].entries()) {
      const res = await h.http
        .post('/api/tickets')
        .set(auth('agent3'))
        .send({
          subject: `Fennick problem ${i}`,
          description: `Bartholomew Fennick writes: problem ${i}`,
          severity,
          requesterEmail: org.email,
          receivedAt: at(10 + i * 7, 9),
          channel: 'phone',
        })
        .expect(201);
      logged.push(res.body);
    }
    await h.http
      .post(`/api/tickets/${logged[0].id}/messages`)
      .set(auth('agent3'))
      .send({ body: 'We are on it, Bartholomew.', visibility: 'public' })
      .expect(201);
    await h.http
      .patch(`/api/tickets/${logged[1].id}`)
      .set(auth('agent3'))
      .send({ status: 'resolved' })
      .expect(200);

    const issued = await h.http
      .post('/api/reports/quarterly/issue')
      .set(auth('admin'))
      .send({ organizationId: org.organizationId, quarter })
      .expect(201);
    expect(issued.body.activity.created.total).toBe(3);
    const frozen = (
      await h.http.get(`/api/reports/${issued.body.id}`).set(auth('admin')).expect(200)
    ).body;
    const csvBefore = (
      await h.pg.query(`SELECT csv_zip FROM report_revisions WHERE id = $1`, [issued.body.id])
    ).rows[0].csv_zip;

    await h.http
      .post(`/api/admin/users/${org.userId}/anonymise`)
      .set(auth('admin'))
      .send({ confirm: org.email })
      .expect(200);
    const t = await h.http.get(`/api/tickets/${logged[0].id}`).set(auth('agent3')).expect(200);
    expect(t.body.description).toBe('[redacted]');

    // The issued revision is unchanged, to the byte of its CSV files.
    const after = await h.http.get(`/api/reports/${issued.body.id}`).set(auth('admin')).expect(200);
    expect(after.body).toEqual(frozen);
    const csvAfter = (
      await h.pg.query(`SELECT csv_zip FROM report_revisions WHERE id = $1`, [issued.body.id])
    ).rows[0].csv_zip;
    expect(Buffer.compare(csvAfter, csvBefore)).toBe(0);

    // The live report of that quarter, computed afresh, has the same figures.
    const figures = (r: Record<string, unknown>) => {
      const {
        revision,
        issuedAt,
        id,
        cutOff,
        issuedBy,
        checksum,
        changes,
        policyVersion,
        calendarVersion,
        termsVersion,
        ...rest
      } = r;
      void [
        revision,
        issuedAt,
        id,
        cutOff,
        issuedBy,
        checksum,
        changes,
        policyVersion,
        calendarVersion,
        termsVersion,
      ];
      return rest;
    };
    const live = await h.http
      .get('/api/reports/quarterly')
      .query({ organizationId: org.organizationId, quarter })
      .set(auth('admin'))
      .expect(200);
    expect(figures(live.body)).toEqual(figures(frozen));
    // And a new revision issued now says nothing changed.
    const second = await h.http
      .post('/api/reports/quarterly/issue')
      .set(auth('admin'))
      .send({ organizationId: org.organizationId, quarter })
      .expect(201);
    expect(second.body.revision).toBe(2);
    expect(second.body.changes).toEqual([]);
  });
});
