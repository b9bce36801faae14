export * from './ticket.types';
export { TicketAccess, UNVETTED, type TicketScope, type Viewer } from './ticket-access';
export {
  TicketsService,
  scopeOf,
  type NewTicket,
  type NewMessage,
  type TicketChange,
} from './tickets.service';
export { TicketsQuery } from './tickets.query';
export {
  TicketsRepository,
  toTargetView,
  type TargetRow,
  type TicketRow,
} from './tickets.repository';
export { TicketInserts, type TicketInsert, type InsertedTicket } from './ticket-inserts';
export { SlaTimers, alarmJobs, type TimerRow } from './sla-timers';
export { TicketClocks, toRound, ticketRules, type ClockWork } from './ticket-clocks';
export { EscalationDto } from './dto';
export { TicketsCoreModule, TicketsModule } from './tickets.module';
export { AttachmentsService } from './attachments.service';
export { ATTACHMENT_LIMITS, type AttachmentView } from './attachments';
