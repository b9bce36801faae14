import { AuditController, AuditCoreModule } from '@app/audit';
import { ChatModule } from '@app/chat';
import { AppConfig, ConfigModule, QueuesModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { EscalationModule } from '@app/escalation';
import { AuthGuard, IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { SeverityModule } from '@app/severity';
import { ReportFilesModule, ReportsModule } from '@app/reports';
import { TicketsModule } from '@app/tickets';
import { loadMailConfig, MailModule } from '@app/mail';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AllExceptionsFilter } from './exception.filter';
import { HealthController } from './health.controller';

/** The api's composition root. */
@Module({})
export class AppModule {
  static register(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        QueuesModule,
        AuditCoreModule,
        IdentityModule,
        SeverityModule,
        NotificationsModule,
        TicketsModule,
        EscalationModule,
        ChatModule,
        // Before the reports' JSON routes: `reports/:id.pdf` must not be read as `reports/:id`.
        ReportFilesModule,
        ReportsModule,
        MailModule.forApi(loadMailConfig()),
      ],
      controllers: [HealthController, AuditController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
