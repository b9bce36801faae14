import { Module } from '@nestjs/common';
import { AlarmFeed } from './alarm-feed';
import { AlarmProcessor } from './alarm.processor';
import { EscalationController } from './escalation.controller';
import { EscalationService } from './escalation.service';
import { Reconciler } from './reconciler';

@Module({
  providers: [EscalationService, AlarmFeed],
  controllers: [EscalationController],
  exports: [EscalationService],
})
export class EscalationModule {}

/** For the worker: fires alarms and rebuilds lost timers. */
@Module({ providers: [AlarmProcessor, Reconciler], exports: [AlarmProcessor, Reconciler] })
export class EscalationWorkerModule {}
