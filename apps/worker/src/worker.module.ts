import { AuditCoreModule } from '@app/audit';
import { AppConfig, ConfigModule, QueuesModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { EscalationWorkerModule } from '@app/escalation';
import { IdentityCoreModule } from '@app/identity';
import { NotificationsWorkerModule } from '@app/notifications';
import { SeverityCoreModule } from '@app/severity';
import { TicketsCoreModule } from '@app/tickets';
import { loadMailConfig, MailModule } from '@app/mail';
import { PrivacyWorkerModule } from '@app/privacy';
import { ReportDeliveryWorkerModule } from '@app/reports';
import { DynamicModule, Module } from '@nestjs/common';

/** The worker: BullMQ processors (SLA alarms, outgoing mail) and the reconciler; no HTTP but /health and /metrics. */
@Module({})
export class WorkerModule {
  static register(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        QueuesModule,
        AuditCoreModule,
        IdentityCoreModule,
        SeverityCoreModule,
        TicketsCoreModule,
        NotificationsWorkerModule,
        EscalationWorkerModule,
        MailModule.forWorker(loadMailConfig()),
        PrivacyWorkerModule,
        ReportDeliveryWorkerModule,
      ],
    };
  }
}
