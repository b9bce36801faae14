/**
 * A security incident is told to the customer's principal contact (licence §3.6, trust.md): each
 * public staff reply on a security-incident ticket is mailed to the requester and, once, to the
 * organisation's principal user; other tickets' replies go to the requester only.
 */
import { DEMO_PASSWORD } from '@app/database';
import { createTicket, customerOn, fastPolicy, Harness, startHarness } from '../support/harness';

describe('security incidents tell the principal contact', () => {
  let h: Harness;
  let agent: string;
  let requester: string;
  const principal = 'principal@sec-contact.example';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent1@helpdesk.local');
    const c = await customerOn(
      h,
      admin,
      'sec-contact',
      fastPolicy('Sec contact', [3600, 7200, 14400]),
    );
    requester = c.email;
    const auth = { authorization: `Bearer ${admin}` };
    const boss = await h.http
      .post('/api/admin/users')
      .set(auth)
      .send({
        email: principal,
        name: 'Principal contact',
        role: 'customer_admin',
        organizationId: c.organizationId,
        password: DEMO_PASSWORD,
      })
      .expect(201);
    await h.http
      .patch(`/api/admin/organizations/${c.organizationId}`)
      .set(auth)
      .send({ principalUserId: boss.body.id })
      .expect(200);
  });
  afterAll(() => h?.close());

  const reply = (id: string, body: string) =>
    h.http
      .post(`/api/tickets/${id}/messages`)
      .set('authorization', `Bearer ${agent}`)
      .send({ body, visibility: 'public' })
      .expect(201);

  it('mails a reply on a security incident to the requester and the principal contact, each once', async () => {
    const incident = await createTicket(h, agent, {
      subject: 'Credentials exposed',
      description: 'Found in a public repository',
      severity: 1,
      kind: 'security_incident',
      requesterEmail: requester,
    });
    const standard = await createTicket(h, agent, {
      subject: 'Printer offline',
      description: 'Again',
      severity: 3,
      requesterEmail: requester,
    });
    await reply(standard.id, 'Standard reply for the requester only');
    await reply(incident.id, 'We are telling you: credentials were exposed on 2 December.');

    const toPrincipal = await h.smtp.waitForMail(
      (m) => m.to.includes(principal) && m.text.includes('credentials were exposed'),
    );
    expect(toPrincipal.subject).toContain(incident.reference);
    await h.smtp.waitForMail(
      (m) => m.to.includes(requester) && m.text.includes('credentials were exposed'),
    );
    await h.smtp.waitForMail(
      (m) => m.to.includes(requester) && m.text.includes('Standard reply for the requester only'),
    );
    // A few sweeps later: still one mail each, and none of the standard ticket to the principal.
    await new Promise((r) => setTimeout(r, 2500));
    const about = (text: string, to: string) =>
      h.smtp.mails.filter((m) => m.to.includes(to) && m.text.includes(text)).length;
    expect(about('credentials were exposed', principal)).toBe(1);
    expect(about('credentials were exposed', requester)).toBe(1);
    expect(about('Standard reply', principal)).toBe(0);
  });
});
