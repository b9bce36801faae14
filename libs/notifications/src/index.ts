export {
  NotificationsService,
  toMailRecord,
  type OutgoingMail,
  type MailAttachment,
  type MailRecord,
} from './notifications.service';
export { MailProcessor } from './mail.processor';
export {
  NotificationsCoreModule,
  NotificationsModule,
  NotificationsWorkerModule,
} from './notifications.module';
