import {
  businessIntervals,
  describeInstant,
  describeLocalDay,
  localDayOf,
} from '@app/business-hours';
import { planTargets } from './plan';
import { PolicyError } from './policy';
import type { Metric, Severity, SlaPolicy } from './types';

const METRIC_WORDS: Record<Metric, string> = {
  first_response: 'first response',
  next_response: 'next response',
  periodic_update: 'periodic update',
  resolution: 'resolution',
  notification: 'notification of a security incident',
};

/** "1 h", "30 min", "2 h 15 min", "45 s" */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 min';
}

export interface Explanation {
  dueAt: number;
  steps: string[];
}

/** Why a target is due when it is, step by step, in the words of the calendar's own clock. */
export function explainTarget(
  policy: SlaPolicy,
  severity: Severity,
  metric: Metric,
  receivedAt: number,
): Explanation {
  const planned = planTargets(policy, severity, receivedAt).find((t) => t.metric === metric);
  if (!planned)
    throw new PolicyError(
      `policy "${policy.name}" has no ${METRIC_WORDS[metric]} target for severity ${severity}`,
    );
  const cal = policy.calendar;
  const zone = cal.timeZone;
  const words = METRIC_WORDS[metric];
  const received = describeInstant(cal, receivedAt);
  const due = describeInstant(cal, planned.dueAt);
  const steps = [
    `Received ${received.text} (${zone}) with severity ${severity}: ${words} within ${formatDuration(planned.targetSeconds)} of ${planned.clock === 'business' ? 'business time' : 'calendar time'} under "${policy.name}".`,
  ];
  if (planned.clock === 'calendar') {
    steps.push(`Calendar time counts around the clock: due ${due.text} (${zone}).`);
    return { dueAt: planned.dueAt, steps };
  }
  let left = planned.targetSeconds;
  let day = received.day;
  let closedFrom: number | null = null;
  const flushClosed = (until: number) => {
    if (closedFrom === null) return;
    const days = [];
    for (let d = closedFrom; d < until; d++) days.push(describeLocalDay(cal, d));
    const reasons = new Set<string>();
    for (const info of days) {
      if (info.kind === 'holiday') reasons.add(`${info.holidayName}`);
      else if (info.kind === 'weekend' || info.hours.length === 0) reasons.add('closed');
      else reasons.add('after business hours');
    }
    const range =
      days.length > 1 ? `${days[0].text} – ${days[days.length - 1].text}` : days[0].text;
    steps.push(`${range}: nothing counted (${[...reasons].join(', ')}).`);
    closedFrom = null;
  };
  const intervals = businessIntervals(cal, receivedAt, planned.dueAt);
  if (intervals.length && intervals[0][0] > receivedAt) {
    steps.push(
      `Outside business hours: the clock starts at ${describeInstant(cal, intervals[0][0]).text}.`,
    );
  }
  for (let i = 0; i < intervals.length;) {
    const start = intervals[i][0];
    const startDay = localDayOf(cal, start);
    for (; day < startDay; day++) if (closedFrom === null) closedFrom = day;
    flushClosed(startDay);
    let counted = 0;
    const spans: string[] = [];
    while (i < intervals.length && localDayOf(cal, intervals[i][0]) === startDay) {
      counted += (intervals[i][1] - intervals[i][0]) / 1000;
      spans.push(
        `${describeInstant(cal, intervals[i][0]).clock}–${describeInstant(cal, intervals[i][1]).clock}`,
      );
      i++;
    }
    left -= counted;
    const info = describeLocalDay(cal, startDay);
    steps.push(
      `${info.text}: ${formatDuration(counted)} counted (${spans.join(', ')})${left > 0 ? `, ${formatDuration(left)} left` : ''}.`,
    );
    day = startDay + 1;
  }
  steps.push(`Due ${due.text} (${zone}).`);
  return { dueAt: planned.dueAt, steps };
}
