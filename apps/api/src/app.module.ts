import { AuditController, AuditCoreModule, AuditGuard, AuditService } from '@app/audit';
import { ChatModule } from '@app/chat';
import { AppConfig, ConfigModule, QueuesModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { EscalationModule } from '@app/escalation';
import { AuthGuard, IdentityModule, SECURITY_EVENTS } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { SeverityModule } from '@app/severity';
import { ReportFilesModule, ReportsModule } from '@app/reports';
import { TicketsModule } from '@app/tickets';
import { PrivacyModule } from '@app/privacy';
import { loadMailConfig, MailModule } from '@app/mail';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AllExceptionsFilter } from './exception.filter';
import { HealthController } from './health.controller';

/** Identity's security events (2FA, sessions, password changes) go to the audit log. */
@Global()
@Module({
  providers: [{ provide: SECURITY_EVENTS, useExisting: AuditService }],
  exports: [SECURITY_EVENTS],
})
class SecurityEventsModule {}

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
        SecurityEventsModule,
        IdentityModule,
        SeverityModule,
        NotificationsModule,
        TicketsModule,
        EscalationModule,
        ChatModule,
        PrivacyModule,
        // Before the reports' JSON routes: `reports/:id.pdf` must not be read as `reports/:id`.
        ReportFilesModule,
        ReportsModule,
        MailModule.forApi(loadMailConfig()),
      ],
      controllers: [HealthController, AuditController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        // After the sign-in guard: it records sign-ins, changes and staff reads (never refuses).
        { provide: APP_GUARD, useClass: AuditGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
