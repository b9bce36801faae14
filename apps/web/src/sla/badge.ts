import { between, isOpen, nextOpen, type CalendarDocument } from '@app/business-hours';
import { formatDuration, formatResume } from './format';

export type BadgeTone = 'ok' | 'warning' | 'breached' | 'paused' | 'met' | 'stopped';

export interface BadgeInput {
  dueAt: string | number | null;
  warningAt: string | number | null;
  state: string;
  /** The calendar of the ticket's policy; without it the badge counts wall-clock time. */
  calendar?: CalendarDocument | null;
  /** Whether the target counts business time (the default) or calendar time. */
  clock?: 'business' | 'calendar';
  /** A decided target: when it was met or breached. */
  stoppedAt?: string | number | null;
  /** A paused target: the seconds of it left. */
  leftSeconds?: number | null;
}

export interface Badge {
  tone: BadgeTone;
  /** Short words for the badge. */
  text: string;
  /** A full sentence for screen readers and the tooltip. */
  description: string;
}

const ms = (v: string | number | null): number | null =>
  v === null || v === undefined ? null : typeof v === 'number' ? v : Date.parse(v);

/**
 * What the SLA badge of one target says at `now`. Time left is business time: it counts down only
 * while the calendar is open, and while it is closed the badge says when the clock resumes.
 */
export function slaBadge(input: BadgeInput, now: number): Badge {
  const state = input.state;
  if (state === 'met')
    return {
      tone: 'met',
      text: 'Target met',
      description: 'Target met: the customer was answered in time.',
    };
  if (state === 'stopped' || state === 'cancelled' || state === 'closed') {
    return {
      tone: 'stopped',
      text: 'Clock stopped',
      description: 'The clock of this target has stopped.',
    };
  }
  const due = ms(input.dueAt);
  if (state === 'paused' || due === null || Number.isNaN(due)) {
    const left =
      input.leftSeconds === null || input.leftSeconds === undefined
        ? ''
        : ` · ${formatDuration(Math.max(0, input.leftSeconds))} left`;
    return {
      tone: 'paused',
      text: `Paused: waiting on the customer${left}`,
      description: `The clock of this target is paused while the ticket waits on the customer${left ? `; ${formatDuration(Math.max(0, input.leftSeconds!))} of it left` : ''}.`,
    };
  }
  const cal = input.clock === 'calendar' ? null : (input.calendar ?? null);
  const stopped = ms(input.stoppedAt ?? null);
  const until = stopped !== null && !Number.isNaN(stopped) ? stopped : now;
  if (now >= due || state === 'breached') {
    const late = cal ? between(cal, due, Math.max(until, due)) : Math.max(0, until - due) / 1000;
    const lateWall = Math.max(0, until - due) / 1000;
    const by = cal ? `${formatDuration(late)} of business time` : formatDuration(lateWall);
    return {
      tone: 'breached',
      text: `Breached by ${by}`,
      description: `Target breached: due time passed ${by} ago.`,
    };
  }
  const warning = ms(input.warningAt);
  const warned = warning !== null && !Number.isNaN(warning) && now >= warning;
  if (cal && !isOpen(cal, now)) {
    const resumes = nextOpen(cal, now);
    const left = between(cal, now, due);
    const when = formatResume(resumes, now, cal.timeZone);
    const zone = cal.timeZone === 'UTC' ? ' UTC' : ` (${cal.timeZone})`;
    return {
      tone: warned ? 'warning' : 'paused',
      text: `Paused: outside business hours, resumes ${when}${zone} · ${formatDuration(left)} left`,
      description: `Clock paused outside business hours; it resumes ${when}${zone} with ${formatDuration(left)} of business time left${warned ? ', past the warning point' : ''}.`,
    };
  }
  const left = cal ? between(cal, now, due) : (due - now) / 1000;
  return {
    tone: warned ? 'warning' : 'ok',
    text: `${formatDuration(left)} left`,
    description: `${formatDuration(left)} of ${cal ? 'business ' : ''}time left before the target is breached${warned ? '; past the warning point' : ''}.`,
  };
}
