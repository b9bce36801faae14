import { Global, Module } from '@nestjs/common';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { SlaTimers } from './sla-timers';
import { TicketClocks } from './ticket-clocks';
import { TicketInserts } from './ticket-inserts';
import { TicketsController } from './tickets.controller';
import { TicketsQuery } from './tickets.query';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

/** Services only (worker, mail channel). */
@Global()
@Module({
  providers: [
    TicketsRepository,
    TicketInserts,
    TicketClocks,
    TicketsService,
    TicketsQuery,
    SlaTimers,
  ],
  exports: [TicketsService, TicketsQuery, TicketsRepository, SlaTimers],
})
export class TicketsCoreModule {}

@Module({
  imports: [TicketsCoreModule],
  providers: [AttachmentsService],
  controllers: [TicketsController, AttachmentsController],
})
export class TicketsModule {}
