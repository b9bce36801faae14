// GET /api/alarms/stream: alarms recorded by a worker in another process arrive as server-sent events.
jest.setTimeout(120_000);
import { AlarmFeed } from '@app/escalation';
import {
  createTicket,
  fastCustomer,
  Harness,
  startHarness,
  WorkerProcess,
} from '../support/harness';
import { openStream as open } from '../support/sse';
import { waitFor } from '../support/wait';

const openStream = (port: number, headers: Record<string, string>) =>
  open(port, '/api/alarms/stream', headers);

describe('live alarm stream', () => {
  let h: Harness;
  let worker: WorkerProcess;
  let agent: string;
  let customer: string;
  let port: number;

  beforeAll(async () => {
    // The api runs here; the only worker is a separate process, so alarms can reach the api only through PostgreSQL.
    h = await startHarness({ worker: false });
    worker = await new WorkerProcess(h.env).start();
    const admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent1@helpdesk.local');
    const c = await fastCustomer(h, admin, 'stream', [3, 6, 9]);
    customer = await h.login(c.email);
    port = (h.api.getHttpServer().address() as { port: number }).port;
  });
  afterAll(async () => {
    await worker?.kill();
    await h?.close();
  });

  it('streams each alarm a worker process records, with the ticket named, after a first heartbeat', async () => {
    const stream = openStream(port, { authorization: `Bearer ${agent}` });
    try {
      await waitFor(() => stream.events.find((e) => e.event === 'heartbeat'), {
        what: 'the first heartbeat',
      });
      expect(stream.status()).toBe(200);
      expect(stream.contentType()).toMatch(/^text\/event-stream/);
      const t = await createTicket(h, customer, {
        subject: 'Streamed outage',
        description: 'x',
        severity: 1,
      });
      const alarms = () =>
        stream.events.filter((e) => e.event === 'alarm' && e.data.ticketId === t.id);
      await waitFor(() => alarms().length === 2, {
        timeoutMs: 30_000,
        what: 'the warning and the breach on the stream',
      });
      const [warning, breach] = alarms().map((e) => e.data);
      expect(warning).toMatchObject({
        ticketId: t.id,
        reference: t.reference,
        subject: 'Streamed outage',
        metric: 'first_response',
        kind: 'warning',
        dueAt: t.targets[0].warningAt,
      });
      expect(breach).toMatchObject({
        reference: t.reference,
        kind: 'breach',
        dueAt: t.targets[0].dueAt,
      });
      // The same alarms as the list, under the same ids.
      const listed = (
        await h.http
          .get(`/api/alarms?ticketId=${t.id}`)
          .set({ authorization: `Bearer ${agent}` })
          .expect(200)
      ).body;
      expect(listed.map((a: { id: string }) => a.id).sort()).toEqual(
        alarms()
          .map((e) => e.id)
          .sort(),
      );
      expect(listed.find((a: { kind: string }) => a.kind === 'breach')).toEqual(breach);
    } finally {
      stream.close();
    }
  });

  it('forgets a stream whose client went away', async () => {
    const feed = h.api.get(AlarmFeed);
    await waitFor(() => feed.subscribers === 0, { what: 'the earlier streams to end' });
    const stream = openStream(port, { authorization: `Bearer ${agent}` });
    await waitFor(() => stream.events.length > 0, { what: 'the stream to open' });
    expect(feed.subscribers).toBe(1);
    stream.close();
    await waitFor(() => feed.subscribers === 0, { what: 'the subscription to end' });
  });

  it('is for staff only, and needs a session', async () => {
    await h.http.get('/api/alarms/stream').expect(401);
    const res = await h.http
      .get('/api/alarms/stream')
      .set({ authorization: `Bearer ${customer}` })
      .expect(403);
    expect(res.body.message).toMatch(/role/);
  });
});
