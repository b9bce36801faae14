import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MAIL_DESK } from './desk.port';
import { TicketsDesk } from './desk.adapter';
import { FilingService } from './filing.service';
import { ImapPoller } from './imap-poller.service';
import { InboundMimeController, MailAdminController } from './inbound.controller';
import { InboundMailRepository } from './inbound-mail.repository';
import { InboundProcessor } from './inbound.processor';
import { InboundStore } from './inbound-store.service';
import { MailConfig } from './mail.config';
import { OutboundMailer } from './outbound-mailer.service';
import { SmtpListener } from './smtp-listener.service';
import { TicketNotices } from './ticket-notices.service';

const core = (config: MailConfig): Provider[] => [
  { provide: MailConfig, useValue: config },
  InboundMailRepository,
  InboundStore,
  OutboundMailer,
  FilingService,
  { provide: MAIL_DESK, useClass: TicketsDesk },
];

/**
 * The e-mail channel. Needs the global config, queues, database, identity, tickets, severity and
 * notifications core modules.
 * - `MailModule.forApi(config)`: `POST /api/inbound/mime`, the review list and re-filing.
 * - `MailModule.forWorker(config)`: the inbound queue's processor, the SMTP listener (MAIL_SMTP_PORT),
 *   the IMAP poller (IMAP_URL) and the outbox of staff replies and status changes to customers.
 */
@Module({})
export class MailModule {
  static forApi(config: MailConfig): DynamicModule {
    return {
      module: MailModule,
      providers: core(config),
      controllers: [InboundMimeController, MailAdminController],
      exports: [InboundStore, OutboundMailer],
    };
  }

  static forWorker(config: MailConfig): DynamicModule {
    return {
      module: MailModule,
      providers: [...core(config), InboundProcessor, SmtpListener, ImapPoller, TicketNotices],
      exports: [
        InboundStore,
        OutboundMailer,
        SmtpListener,
        ImapPoller,
        FilingService,
        TicketNotices,
      ],
    };
  }
}
