import type { CalendarDocument } from '@app/business-hours';
import type { Target } from '../api/types';
import { slaBadge, type Badge } from '../sla/badge';
import { METRIC_NAMES } from '../severity';

/** The live SLA badge of one target: give it `now` from a shared ticking clock. */
export function SlaBadge({
  target,
  calendar,
  now,
  showMetric = false,
}: {
  target: Target;
  calendar?: CalendarDocument | null;
  now: number;
  showMetric?: boolean;
}) {
  let b: Badge;
  try {
    b = slaBadge(
      { ...target, clock: target.clock === 'calendar' ? 'calendar' : 'business', calendar },
      now,
    );
  } catch {
    // The calendar's holiday rules are still loading: say the due time without counting.
    b = {
      tone: 'paused',
      text: `Due ${target.dueAt ? new Date(target.dueAt).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : ''}`,
      description: 'Due time',
    };
  }
  const metric = METRIC_NAMES[target.metric] ?? target.metric;
  return (
    <span
      className={`badge badge-${b.tone}`}
      title={b.description}
      data-tone={b.tone}
      data-metric={target.metric}
    >
      <span className="visually-hidden">{metric}: </span>
      {showMetric && <span aria-hidden="true">{metric}: </span>}
      <span className="badge-text">{b.text}</span>
    </span>
  );
}

/** The target that decides a ticket's place in a queue: the running one due first. */
export function mainTarget(targets: Target[] | undefined): Target | undefined {
  if (!targets?.length) return undefined;
  const live = targets.filter((t) => t.state !== 'met' && !t.stoppedAt && t.dueAt);
  const pool = live.length ? live : targets;
  return [...pool].sort((a, b) => Date.parse(a.dueAt ?? '9999') - Date.parse(b.dueAt ?? '9999'))[0];
}
