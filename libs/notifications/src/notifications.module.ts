import { Global, Module } from '@nestjs/common';
import { MailProcessor } from './mail.processor';
import { MailsController } from './mails.controller';
import { NotificationsService } from './notifications.service';

@Global()
@Module({ providers: [NotificationsService], exports: [NotificationsService] })
export class NotificationsCoreModule {}

/** For the api: the service and the admin list of mails. */
@Module({ imports: [NotificationsCoreModule], controllers: [MailsController] })
export class NotificationsModule {}

/** For the worker: the mail sender. */
@Module({ imports: [NotificationsCoreModule], providers: [MailProcessor] })
export class NotificationsWorkerModule {}
