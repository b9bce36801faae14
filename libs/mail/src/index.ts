export * from './headers';
export * from './robots';
export * from './bounce';
export * from './threading';
export * from './safe-headers';
export * from './sanitise';
export * from './parse';
export * from './acknowledgement';
export { MailConfig, MailConfigError, loadMailConfig } from './mail.config';
export { MAIL_MIGRATIONS } from './migrations';
export { MailModule } from './mail.module';
export { InboundStore, type Receipt } from './inbound-store.service';
export {
  InboundMailRepository,
  type InboundMailSummary,
  type InboundStatus,
  type InboundSource,
} from './inbound-mail.repository';
export { FilingService, type FilingOutcome } from './filing.service';
export { OutboundMailer } from './outbound-mailer.service';
export { SmtpListener } from './smtp-listener.service';
export { ImapPoller, type ImapSettings } from './imap-poller.service';
export { TicketNotices } from './ticket-notices.service';
export { MAIL_DESK, type MailDesk, type DeskTicket, type DeskUser } from './desk.port';
export { TRIAGE_ORGANIZATION } from './desk.adapter';
export { INBOUND_QUEUE } from './inbound-queue';
