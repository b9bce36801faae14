import { isOpen, nextOpen } from '@app/business-hours';
import { conflict, forbidden, invalid, notFound } from '@app/config';
import {
  AuthUser,
  CUSTOMER_ROLES,
  IdentityService,
  isStaff,
  OrganizationsService,
} from '@app/identity';
import { PoliciesService } from '@app/severity';
import {
  LIMITS,
  TicketAccess,
  TicketsService,
  type TicketRow,
  type Visibility,
} from '@app/tickets';
import { Injectable } from '@nestjs/common';
import { AgentPresence } from './agent-presence';
import { ChatTokens } from './chat-tokens';
import type { Availability, ChatView, InboxView } from './chat.types';
import { ChatsRepository } from './chats.repository';

export interface OpenChat {
  /** The client's id for the first message: sending it again opens nothing new. */
  clientMessageId: string;
  severity: number;
  body: string;
  sensitive?: boolean;
}

export interface ChatMessage {
  clientMessageId: string;
  body: string;
  visibility?: Visibility;
}

/** A chat message's source key: unique in PostgreSQL, so a message sent twice is stored once. */
const sourceKey = (author: AuthUser, clientMessageId: string) =>
  `chat:${author.id}:${clientMessageId}`;

const subjectOf = (body: string) => {
  const line = body.trim().split('\n')[0].trim();
  const short = line.length > 80 ? `${line.slice(0, 79)}…` : line;
  return `Chat: ${short || 'conversation'}`.slice(0, LIMITS.subject);
};

/**
 * Support chat: a conversation that is a ticket (channel `chat`) from its first message, timed like
 * every other. Tickets, their messages, assignment and targets stay TicketsService's; this service
 * keeps the chat's own state (waiting, taken, ended) and says when the desk answers.
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly repo: ChatsRepository,
    private readonly presence: AgentPresence,
    private readonly orgs: OrganizationsService,
    private readonly policies: PoliciesService,
    private readonly identity: IdentityService,
    private readonly tokens: ChatTokens,
  ) {}

  /** For a customer: is the desk open (the policy's calendar) and is an agent in the chat inbox? */
  async availability(
    customer: AuthUser,
    sensitive = false,
    at = Date.now(),
  ): Promise<Availability> {
    this.customerOnly(customer);
    const org = await this.orgs.get(customer.organizationId!);
    const { calendar } = (await this.policies.getPolicy(org.policyId)).document;
    const open = isOpen(calendar, at);
    const agentsAvailable = (await this.presence.agents(sensitive)).length;
    return {
      open,
      agentsAvailable,
      mode: open && agentsAvailable > 0 ? 'live' : 'message',
      opensAt: open ? null : new Date(nextOpen(calendar, at)).toISOString(),
      timeZone: calendar.timeZone,
    };
  }

  /**
   * Opens a chat with its first message: the ticket is raised at once (received now, timed by the
   * calendar), live when an agent can answer, else as a message left for the desk.
   */
  async open(customer: AuthUser, input: OpenChat): Promise<ChatView> {
    const sensitive = input.sensitive ?? false;
    const avail = await this.availability(customer, sensitive);
    const key = sourceKey(customer, input.clientMessageId);
    const ticket = await this.tickets.create(customer, {
      subject: subjectOf(input.body),
      description: input.body,
      severity: input.severity,
      sensitive,
      channel: 'chat',
      sourceKey: key,
    });
    if (ticket.channel !== 'chat')
      throw conflict('client_id_used', 'That clientMessageId was used for something else.');
    await this.repo.insert(
      ticket.id,
      avail.mode,
      new Date(ticket.receivedAt),
      avail.opensAt ? new Date(avail.opensAt) : null,
    );
    await this.tickets.addMessage(customer, ticket.id, {
      body: input.body,
      visibility: 'public',
      channel: 'chat',
      sourceKey: key,
    });
    return (await this.repo.find(ticket.id))!;
  }

  /** A chat `viewer` may follow: 404 when the ticket is not theirs or not a chat, 403 without clearance. */
  async get(viewer: AuthUser, ticketId: string): Promise<ChatView> {
    await this.access(viewer, ticketId);
    const chat = await this.repo.find(ticketId);
    if (!chat) throw notFound('chat_not_found', `Ticket ${ticketId} is not a chat.`);
    return chat;
  }

  /** A customer's chats that have not ended; staff: the inbox (waiting, or mine). */
  list(viewer: AuthUser, view: InboxView = 'waiting'): Promise<ChatView[]> {
    if (!isStaff(viewer)) return this.repo.openOf(viewer.id);
    return this.repo.inbox(view, viewer.id, viewer.securityClearance);
  }

  /**
   * A message in the chat (stored once per clientMessageId). The first public message by staff meets
   * the first-response target at the instant it is stored; staff answering a waiting chat take it.
   */
  async send(actor: AuthUser, ticketId: string, msg: ChatMessage) {
    await this.access(actor, ticketId);
    const state = await this.repo.stateOf(ticketId);
    if (!state) throw notFound('chat_not_found', `Ticket ${ticketId} is not a chat.`);
    const visibility = msg.visibility ?? 'public';
    const stored = await this.tickets.addMessage(actor, ticketId, {
      body: msg.body,
      visibility,
      channel: 'chat',
      sourceKey: sourceKey(actor, msg.clientMessageId),
    });
    if (isStaff(actor) && visibility === 'public' && state === 'waiting')
      await this.take(actor, ticketId).catch(() => undefined); // taken meanwhile: the answer stands
    return { ...stored, clientMessageId: msg.clientMessageId };
  }

  /** Staff: the agents in the chat inbox now who could take this chat (to hand it over to). */
  async agentsFor(agent: AuthUser, ticketId: string) {
    this.staffOnly(agent);
    const chat = await this.get(agent, ticketId);
    const ids = await this.presence.agents(chat.sensitive);
    const users = await Promise.all(ids.map((id) => this.identity.getUser(id).catch(() => null)));
    return users
      .filter((u) => u !== null && isStaff(u))
      .map((u) => ({ id: u!.id, name: u!.name, supportLevel: u!.supportLevel }));
  }

  /** An agent takes a waiting chat (and its ticket is assigned to them); 409 when someone was first. */
  async take(agent: AuthUser, ticketId: string): Promise<ChatView> {
    this.staffOnly(agent);
    const chat = await this.get(agent, ticketId);
    if (!(await this.repo.take(ticketId, agent.id)))
      throw conflict(
        chat.state === 'ended' ? 'chat_ended' : 'chat_taken',
        chat.state === 'ended'
          ? 'This chat has ended.'
          : `This chat was taken by ${chat.agentName ?? 'another agent'}.`,
      );
    await this.tickets.update(agent, ticketId, { assigneeId: agent.id, reason: 'took the chat' });
    return (await this.repo.find(ticketId))!;
  }

  /** To another agent (assigned the ticket; cleared for a restricted one), or null: back to waiting. */
  async handOver(
    agent: AuthUser,
    ticketId: string,
    toAgentId: string | null,
    reason?: string,
  ): Promise<ChatView> {
    this.staffOnly(agent);
    await this.get(agent, ticketId);
    // The ticket's rules first: a non-staff or uncleared assignee is refused before the chat moves.
    await this.tickets.update(agent, ticketId, {
      assigneeId: toAgentId,
      reason: reason ?? (toAgentId ? 'chat handed over' : 'chat back to waiting'),
    });
    if (!(await this.repo.handOver(ticketId, toAgentId)))
      throw conflict('chat_ended', 'This chat has ended.');
    return (await this.repo.find(ticketId))!;
  }

  /** Ends the conversation (the customer or staff); the ticket stays as it is, open to replies. */
  async end(actor: AuthUser, ticketId: string): Promise<ChatView> {
    await this.get(actor, ticketId);
    await this.repo.end(ticketId);
    return (await this.repo.find(ticketId))!;
  }

  /**
   * A signed chat token for a page that embeds the chat: a customer for themselves, a customer
   * admin for a user of their organisation.
   */
  async chatToken(actor: AuthUser, email?: string) {
    this.customerOnly(actor);
    let user = actor;
    if (email && email.toLowerCase() !== actor.email.toLowerCase()) {
      if (actor.role !== 'customer_admin')
        throw forbidden('customer_admin_only', 'Only a customer admin may sign for another user.');
      const other = await this.identity.findUserByEmail(email);
      if (!other || other.organizationId !== actor.organizationId)
        throw notFound('user_not_found', `No user ${email} in your organisation.`);
      user = other;
    }
    return { ...(await this.tokens.sign(user.id)), email: user.email };
  }

  /** A signed chat token exchanged for a session of its (customer) user. */
  async exchange(token: string) {
    const user = await this.identity.getUser(await this.tokens.verify(token)).catch(() => null);
    if (!user || !CUSTOMER_ROLES.includes(user.role))
      throw invalid('bad_chat_token', 'The chat token names no customer.');
    return { ...(await this.identity.openSession(user.id)), user };
  }

  /** The ticket row when `viewer` may follow its conversation (TicketAccess: found, and its content seen). */
  async access(viewer: AuthUser, ticketId: string): Promise<TicketRow> {
    const row = await this.tickets.readable(viewer, ticketId);
    TicketAccess.assertMayWork(viewer, row);
    return row;
  }

  private staffOnly(u: AuthUser) {
    if (!isStaff(u)) throw forbidden('staff_only', 'Only staff may do this.');
  }

  private customerOnly(u: AuthUser) {
    if (isStaff(u))
      throw forbidden('customer_only', 'Chats are opened by customers (staff log a call).');
  }
}
