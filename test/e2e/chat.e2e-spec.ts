// Support chat (issue 12) over server-sent events + POST, against two real api processes sharing
// PostgreSQL and Redis: the chat is a ticket on the SLA clock, reconnects miss nothing and repeat
// nothing, out of hours the customer leaves a message, and nobody reads a chat they may not.
jest.setTimeout(180_000);
import { randomUUID } from 'node:crypto';
import {
  ApiProcess,
  customerOn,
  fastCustomer,
  fastPolicy,
  Harness,
  startHarness,
} from '../support/harness';
import { openStream, SseStream } from '../support/sse';
import { waitFor } from '../support/wait';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const messages = (s: SseStream) => s.events.filter((e) => e.event === 'message').map((e) => e.data);
const bodies = (s: SseStream) => messages(s).map((m) => m.body);

describe('support chat', () => {
  let h: Harness;
  let other: ApiProcess;
  /** The in-process api (A) and the child-process api (B). */
  let portA: number;
  let portB: number;
  let admin: string;
  let agent: string; // agent1: not cleared
  let cleared: string; // agent3: cleared
  let customer: string;
  let outsider: string; // a customer of another organisation
  const streams: SseStream[] = [];
  const stream = (port: number, path: string, headers: Record<string, string>) => {
    const s = openStream(port, path, headers);
    streams.push(s);
    return s;
  };
  const api = (port: number) => `http://127.0.0.1:${port}`;
  /** POST through either process (fetch: the request really goes to that port). */
  const post = async (port: number, token: string, path: string, body: object = {}) => {
    const res = await fetch(`${api(port)}${path}`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON the API answered
    return { status: res.status, body: (await res.json()) as any };
  };
  const openChat = async (port: number, token: string, body: string, extra: object = {}) => {
    const res = await post(port, token, '/api/chats', {
      clientMessageId: randomUUID(),
      severity: 1,
      body,
      ...extra,
    });
    if (res.status !== 201) throw new Error(`open chat: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    h = await startHarness();
    other = await new ApiProcess(h.env).start();
    portA = (h.api.getHttpServer().address() as { port: number }).port;
    portB = other.port;
    admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent1@helpdesk.local');
    cleared = await h.login('agent3@helpdesk.local');
    customer = await h.login((await fastCustomer(h, admin, 'chat', [3600, 7200, 9000])).email);
    outsider = await h.login((await fastCustomer(h, admin, 'elsewhere', [3600, 7200, 9000])).email);
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await other?.kill();
    await h?.close();
  });

  it('a chat opened on one api process is answered from the other; the answer meets the target at the instant it was stored', async () => {
    const inbox = stream(portB, '/api/chats/stream', bearer(cleared));
    await waitFor(() => inbox.events.find((e) => e.event === 'inbox'), { what: 'the inbox' });
    const avail = await h.http.get('/api/chats/availability').set(bearer(customer)).expect(200);
    expect(avail.body).toMatchObject({ open: true, mode: 'live', opensAt: null });
    expect(avail.body.agentsAvailable).toBeGreaterThanOrEqual(1);

    const chat = await openChat(portA, customer, 'Our platform is down for everybody');
    expect(chat).toMatchObject({ mode: 'live', state: 'waiting', severity: 1 });
    const ticket = (await h.http.get(`/api/tickets/${chat.ticketId}`).set(bearer(admin))).body;
    expect(ticket).toMatchObject({ channel: 'chat', status: 'new', severity: 1 });
    expect(ticket.targets[0]).toMatchObject({ metric: 'first_response', state: 'running' });
    expect(ticket.messages.map((m: { body: string }) => m.body)).toEqual([
      'Our platform is down for everybody',
    ]);
    // The agent's inbox on process B hears of the new chat.
    await waitFor(
      () => inbox.events.find((e) => e.event === 'chat' && e.data.ticketId === chat.ticketId),
      { what: 'the new chat in the inbox of the other process' },
    );

    const mine = stream(portA, `/api/chats/${chat.ticketId}/stream`, bearer(customer));
    const theirs = stream(portB, `/api/chats/${chat.ticketId}/stream`, bearer(cleared));
    await waitFor(() => messages(mine).length === 1 && messages(theirs).length === 1, {
      what: 'both sides to have the first message',
    });
    expect((await post(portB, cleared, `/api/chats/${chat.ticketId}/take`)).status).toBe(200);
    await waitFor(() => mine.events.find((e) => e.event === 'chat' && e.data.state === 'active'), {
      what: 'the customer to see an agent took the chat',
    });
    const note = await post(portB, cleared, `/api/chats/${chat.ticketId}/messages`, {
      clientMessageId: randomUUID(),
      body: 'Internal: looks like the load balancer',
      visibility: 'internal',
    });
    expect(note.status).toBe(201);
    const answer = await post(portB, cleared, `/api/chats/${chat.ticketId}/messages`, {
      clientMessageId: randomUUID(),
      body: 'We are on it',
    });
    expect(answer.status).toBe(201);
    await waitFor(() => bodies(mine).includes('We are on it'), {
      what: 'the answer on the customer stream of the other process',
    });
    expect(bodies(mine)).toEqual(['Our platform is down for everybody', 'We are on it']);
    await waitFor(() => bodies(theirs).length === 3, { what: 'the agent to see all three' });
    expect(messages(theirs).map((m) => m.visibility)).toEqual(['public', 'internal', 'public']);

    const after = (await h.http.get(`/api/tickets/${chat.ticketId}`).set(bearer(admin))).body;
    const target = after.targets.find((t: { metric: string }) => t.metric === 'first_response');
    expect(target.state).toBe('met');
    expect(target.stoppedAt).toBe(answer.body.createdAt);
    expect(after.assigneeId).not.toBeNull();

    // Ending the chat leaves the ticket open; the transcript is the ticket's conversation.
    expect((await post(portA, customer, `/api/chats/${chat.ticketId}/end`)).body.state).toBe(
      'ended',
    );
    const portal = (await h.http.get(`/api/tickets/${chat.ticketId}`).set(bearer(customer))).body;
    expect(portal.status).toBe('open');
    expect(portal.messages.map((m: { body: string }) => m.body)).toEqual([
      'Our platform is down for everybody',
      'We are on it',
    ]);
  });

  it('a dropped connection resumes after its last message: nothing missed, nothing twice; a message sent twice is stored once', async () => {
    const chat = await openChat(portA, customer, 'Reports page is slow for me', { severity: 2 });
    const say = (n: number) =>
      post(portB, agent, `/api/chats/${chat.ticketId}/messages`, {
        clientMessageId: randomUUID(),
        body: `agent line ${n}`,
      });
    const first = stream(portA, `/api/chats/${chat.ticketId}/stream`, bearer(customer));
    await say(1);
    await waitFor(() => bodies(first).includes('agent line 1'), { what: 'the first answer' });
    const lastId = first.events.filter((e) => e.event === 'message').at(-1)!.id!;
    first.close();
    for (const n of [2, 3, 4]) await say(n);

    // The customer's retry of a message whose answer was lost: same client id, same message.
    const clientMessageId = randomUUID();
    const sent = await post(portA, customer, `/api/chats/${chat.ticketId}/messages`, {
      clientMessageId,
      body: 'still slow',
    });
    const again = await post(portB, customer, `/api/chats/${chat.ticketId}/messages`, {
      clientMessageId,
      body: 'still slow',
    });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(sent.body.id);

    const resumed = stream(portB, `/api/chats/${chat.ticketId}/stream`, {
      ...bearer(customer),
      'last-event-id': lastId,
    });
    await waitFor(() => bodies(resumed).includes('still slow'), { what: 'the resumed stream' });
    await say(5);
    await waitFor(() => bodies(resumed).includes('agent line 5'), { what: 'a live line after' });
    expect(bodies(resumed)).toEqual([
      'agent line 2',
      'agent line 3',
      'agent line 4',
      'still slow',
      'agent line 5',
    ]);
    const ids = resumed.events.filter((e) => e.event === 'message').map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBe(Number(lastId) + 1);
    expect(messages(resumed).find((m) => m.body === 'still slow').clientMessageId).toBe(
      clientMessageId,
    );
    const stored = (await h.http.get(`/api/tickets/${chat.ticketId}`).set(bearer(customer))).body;
    expect(stored.messages.filter((m: { body: string }) => m.body === 'still slow')).toHaveLength(
      1,
    );
  });

  it('out of hours the customer leaves a message: the ticket is raised and timed by the calendar', async () => {
    // A calendar open 09:00–10:00 UTC on one weekday three days from now: closed now.
    const day = new Date(Date.now() + 3 * 86_400_000);
    const names = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const policy = fastPolicy('Closed now', [1800, 1800, 1800]);
    policy.calendar.week = Object.fromEntries(
      names.map((n, i) => [n, i === day.getUTCDay() ? [['09:00', '10:00']] : []]),
    ) as typeof policy.calendar.week;
    const late = await h.login((await customerOn(h, admin, 'closed', policy)).email);
    const opensAt = `${day.toISOString().slice(0, 10)}T09:00:00.000Z`;

    const avail = (await h.http.get('/api/chats/availability').set(bearer(late)).expect(200)).body;
    expect(avail).toMatchObject({ open: false, mode: 'message', opensAt, timeZone: 'UTC' });
    const chat = await openChat(portB, late, 'Please call me back about invoices', {
      severity: 3,
    });
    expect(chat).toMatchObject({ mode: 'message', state: 'waiting', opensAt });
    const ticket = (await h.http.get(`/api/tickets/${chat.ticketId}`).set(bearer(late))).body;
    expect(ticket.channel).toBe('chat');
    expect(ticket.targets[0]).toMatchObject({
      metric: 'first_response',
      state: 'running',
      dueAt: `${day.toISOString().slice(0, 10)}T09:30:00.000Z`,
    });
  });

  it('a customer of another organisation and an uncleared agent get nothing of a chat they may not read', async () => {
    const inboxUncleared = stream(portB, '/api/chats/stream', bearer(agent));
    const inboxCleared = stream(portA, '/api/chats/stream', bearer(cleared));
    await waitFor(
      () =>
        inboxUncleared.events.some((e) => e.event === 'inbox') &&
        inboxCleared.events.some((e) => e.event === 'inbox'),
      { what: 'both inboxes' },
    );
    const chat = await openChat(portA, customer, 'OFFICIAL-SENSITIVE: records exposed', {
      sensitive: true,
    });
    const conversation = `/api/chats/${chat.ticketId}/stream`;
    const outsiderStream = stream(portB, conversation, bearer(outsider));
    const unclearedStream = stream(portA, conversation, bearer(agent));
    await waitFor(() => outsiderStream.status() && unclearedStream.status(), {
      what: 'the refusals',
    });
    expect(outsiderStream.status()).toBe(404);
    expect(unclearedStream.status()).toBe(403);
    expect(JSON.parse(unclearedStream.body()).message).toMatch(/cleared staff/);
    for (const [token, status] of [
      [outsider, 404],
      [agent, 403],
    ] as const) {
      await h.http.get(`/api/chats/${chat.ticketId}`).set(bearer(token)).expect(status);
      expect(
        (
          await post(portB, token, `/api/chats/${chat.ticketId}/messages`, {
            clientMessageId: randomUUID(),
            body: 'let me in',
          })
        ).status,
      ).toBe(status);
    }
    expect((await post(portA, agent, `/api/chats/${chat.ticketId}/take`)).status).toBe(403);
    // The cleared agent gets it, answers; the uncleared inbox never heard of it.
    await waitFor(
      () =>
        inboxCleared.events.find((e) => e.event === 'chat' && e.data.ticketId === chat.ticketId),
      { what: 'the chat in the cleared inbox' },
    );
    await post(portA, cleared, `/api/chats/${chat.ticketId}/messages`, {
      clientMessageId: randomUUID(),
      body: 'Cleared agent here',
    });
    const waiting = (await h.http.get('/api/chats?view=waiting').set(bearer(agent))).body;
    expect(waiting.map((c: { ticketId: string }) => c.ticketId)).not.toContain(chat.ticketId);
    await waitFor(
      () =>
        inboxCleared.events.filter((e) => e.event === 'chat' && e.data.ticketId === chat.ticketId)
          .length >= 2,
      { what: 'the answer to reach the cleared inbox' },
    );
    const leaked = JSON.stringify(inboxUncleared.events);
    expect(leaked).not.toContain(chat.ticketId);
    expect(leaked).not.toContain('records exposed');
    const outsiderList = (await h.http.get('/api/chats').set(bearer(outsider))).body;
    expect(outsiderList).toEqual([]);
  });

  it('says what was wrong with a bad request', async () => {
    const bad = await post(portA, customer, '/api/chats', { severity: 4, body: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/clientMessageId must be a UUID/);
    expect(bad.body.message).toMatch(/severity must be 1, 2 or 3/);
    const staffOpens = await post(portA, agent, '/api/chats', {
      clientMessageId: randomUUID(),
      severity: 1,
      body: 'x',
    });
    expect(staffOpens.status).toBe(403);
    const chat = await openChat(portA, customer, 'Another question');
    const badResume = stream(portA, `/api/chats/${chat.ticketId}/stream`, {
      ...bearer(customer),
      'last-event-id': 'yesterday',
    });
    await waitFor(() => badResume.status(), { what: 'the refusal' });
    expect(badResume.status()).toBe(400);
  });

  it('a signed chat token signs the embedded chat in as its customer', async () => {
    const signed = await post(portA, customer, '/api/chats/tokens', {});
    expect(signed.status).toBe(201);
    const session = await post(portB, '', '/api/chats/sessions', { token: signed.body.token });
    expect(session.status).toBe(200);
    const chat = await openChat(portB, session.body.token, 'From our intranet page');
    const mine = (await h.http.get('/api/chats').set(bearer(customer))).body;
    expect(mine.map((c: { ticketId: string }) => c.ticketId)).toContain(chat.ticketId);
    const forged = signed.body.token.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
    const refused = await post(portB, '', '/api/chats/sessions', { token: forged });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/not one the helpdesk signed/);
  });
});
