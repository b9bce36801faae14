import type { CalendarDocument } from '@app/business-hours';
import { explainTarget, type Metric, type Severity, type SlaPolicy } from '@app/sla';
import type { Target, Ticket } from '../../api/types';
import { SlaBadge } from '../../components/SlaBadge';
import { Time } from '../../components/Time';
import { METRIC_NAMES } from '../../severity';
import { formatDuration } from '../../sla/format';

const STATE_WORDS: Record<string, string> = {
  running: 'running',
  paused: 'paused',
  met: 'met',
  breached: 'breached',
  stopped: 'stopped',
};

/** Why round 1 of a target is due when it is (only while it never paused: a pause moves it). */
function explanation(policy: SlaPolicy | null, t: Ticket, target: Target): string[] {
  if (!policy || (target.round ?? 1) > 1 || target.pausedSeconds || target.clock === 'calendar')
    return [];
  try {
    return explainTarget(
      policy,
      t.severity as Severity,
      target.metric as Metric,
      Date.parse(t.receivedAt),
    ).steps;
  } catch {
    return [];
  }
}

/** Every target of a ticket, each round of it: its due time and whether it is met, breached or paused. */
export function TargetList({
  ticket: t,
  policy,
  calendar,
  now,
}: {
  ticket: Ticket;
  policy: SlaPolicy | null;
  calendar: CalendarDocument | null;
  now: number;
}) {
  const rounds = (metric: string) => t.targets.filter((x) => x.metric === metric).length;
  return (
    <ul className="targets">
      {t.targets.map((target) => {
        const name = METRIC_NAMES[target.metric] ?? target.metric;
        const round = target.round ?? 1;
        const steps = explanation(policy, t, target);
        const overdue =
          target.state === 'running' && target.dueAt && Date.parse(target.dueAt) <= now;
        const state = overdue ? 'breached' : target.state;
        return (
          <li
            key={`${target.metric}-${round}`}
            className="target"
            data-metric={target.metric}
            data-round={round}
            data-state={state}
          >
            <div>
              <strong>
                {name}
                {rounds(target.metric) > 1 && ` (round ${round})`}
              </strong>
              : <span className="target-state">{STATE_WORDS[state] ?? state}</span>
              {target.clock === 'calendar' && ' · calendar time'}
              {target.dueAt ? (
                <>
                  {' '}
                  · due <Time at={target.dueAt} />
                </>
              ) : (
                target.pausedAt && (
                  <>
                    {' '}
                    · paused since <Time at={target.pausedAt} />
                    {target.leftSeconds != null &&
                      `, ${formatDuration(Math.max(0, target.leftSeconds))} left`}
                  </>
                )
              )}
              {target.warningAt && !target.stoppedAt && (
                <>
                  {' '}
                  (warning at <Time at={target.warningAt} />)
                </>
              )}
              {target.stoppedAt && (
                <>
                  {' '}
                  · decided <Time at={target.stoppedAt} />
                </>
              )}
              {!!target.pausedSeconds && target.pausedSeconds > 0 && (
                <> · {formatDuration(target.pausedSeconds)} paused while waiting on the customer</>
              )}
            </div>
            <SlaBadge target={target} calendar={calendar} now={now} />
            <details>
              <summary>Why this due time?</summary>
              {steps.length ? (
                <ol className="explanation">
                  {steps.map((s, i) => (
                    <li key={i}>{s}</li>
                  ))}
                </ol>
              ) : (
                <p>
                  Counted from <Time at={target.startedAt ?? t.receivedAt} /> in{' '}
                  {target.clock === 'calendar' ? 'calendar' : 'business'} time of the customer's
                  policy
                  {target.pausedSeconds ? ', moved on by the time it was paused' : ''}.
                </p>
              )}
            </details>
          </li>
        );
      })}
    </ul>
  );
}
