import type { MessageView, TargetView } from '@app/tickets';

export const CHAT_STATES = ['waiting', 'active', 'ended'] as const;
/** waiting: no agent has it; active: an agent has it; ended: the conversation is over (the ticket goes on). */
export type ChatState = (typeof CHAT_STATES)[number];
/** live: an agent was there to answer; message: the customer left a message (desk closed or nobody there). */
export type ChatMode = 'live' | 'message';
export const INBOX_VIEWS = ['waiting', 'mine'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

/** When the desk answers: the policy's calendar and the agents in the chat inbox right now. */
export interface Availability {
  /** The calendar is open now. */
  open: boolean;
  /** Agents with the chat inbox open who could take this customer's chats. */
  agentsAvailable: number;
  /** What a chat opened now would be. */
  mode: ChatMode;
  /** When the desk next opens (null while it is open). */
  opensAt: string | null;
  /** The calendar's zone, to say opensAt in the desk's own time. */
  timeZone: string;
}

/** One chat as the inbox and the panel show it. */
export interface ChatView {
  ticketId: string;
  reference: string;
  subject: string;
  severity: number;
  sensitive: boolean;
  status: string;
  supportLevel: number;
  organizationId: string;
  organizationName: string;
  requesterId: string;
  requesterName: string;
  mode: ChatMode;
  state: ChatState;
  agentId: string | null;
  agentName: string | null;
  startedAt: string;
  takenAt: string | null;
  endedAt: string | null;
  opensAt: string | null;
  /** The ticket's SLA targets (the badge). */
  targets: TargetView[];
  /** The newest public message, for the inbox line. */
  lastMessage: { body: string; authorRole: string | null; at: string } | null;
}

/** What a conversation stream carries (server-sent events: `message` with id = seq, `chat`, `heartbeat`). */
export type ConversationEvent =
  | { type: 'message'; id: string; data: MessageView }
  | { type: 'chat'; data: ChatView }
  | { type: 'heartbeat'; data: { at: string } };
