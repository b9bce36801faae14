import { Counter, Histogram } from 'prom-client';

/** Fired minus due, in seconds, per alarm kind (observed by the worker that fires the alarm). */
export const alarmLateness = new Histogram({
  name: 'helpdesk_alarm_lateness_seconds',
  help: 'SLA alarm lateness: fired minus due, seconds',
  labelNames: ['kind'],
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
});

export const alarmsFired = new Counter({
  name: 'helpdesk_alarms_fired_total',
  help: 'SLA alarms recorded',
  labelNames: ['kind'],
});
export const timersRestored = new Counter({
  name: 'helpdesk_reconciler_jobs_added_total',
  help: 'Alarm and mail jobs (re)added by the reconciler',
});
