export { EscalationService, type AlarmView } from './escalation.service';
export { AlarmProcessor } from './alarm.processor';
export { Reconciler } from './reconciler';
export { alarmMail, duration } from './alarm-mail';
export { alarmLateness, alarmsFired } from './metrics';
export { EscalationModule, EscalationWorkerModule } from './escalation.module';
export { AlarmFeed, ALARM_CHANNEL } from './alarm-feed';
