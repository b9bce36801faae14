import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { planTargets, type Severity, type SlaPolicy } from '@app/sla';
import { api } from '../../api/endpoints';
import type { Ticket, TicketStatus } from '../../api/types';
import { useAuth } from '../../auth';
import { useUserNames } from '../../components/useUserNames';
import { usePolicies } from '../../sla/calendars';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { Time } from '../../components/Time';
import { formatDuration, utcToZoned, viewerTimeZone, zonedToUtc } from '../../sla/format';
import { METRIC_NAMES, STATUS_NAMES, SUPPORT_LEVELS, severityMeaning } from '../../severity';

function useRefresh() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['tickets'] });
    void client.invalidateQueries({ queryKey: ['alarms'] });
    void client.invalidateQueries({ queryKey: ['outages'] });
  };
}

/** New due times for a severity, from the original receipt: asked of the API (POST /api/sla/preview), else computed here with libs/sla. */
function usePreview(ticket: Ticket, policy: SlaPolicy | null, severity: Severity | null) {
  const { policyIdOf } = usePolicies();
  const policyId = policyIdOf(ticket);
  return useQuery({
    queryKey: ['reclassify-preview', ticket.id, severity, policyId],
    enabled: severity !== null && severity !== ticket.severity && (!!policyId || !!policy),
    queryFn: async () => {
      if (policyId) {
        const res = await api.slaPreview({
          policyId,
          severity: severity!,
          receivedAt: ticket.receivedAt,
        });
        return res.targets.map((t) => ({ metric: t.metric, dueAt: Date.parse(t.dueAt) }));
      }
      return planTargets(policy!, severity!, Date.parse(ticket.receivedAt)).map((p) => ({
        metric: p.metric,
        dueAt: p.dueAt,
      }));
    },
  });
}

export function ReclassifyForm({ ticket, policy }: { ticket: Ticket; policy: SlaPolicy | null }) {
  const refresh = useRefresh();
  const [severity, setSeverity] = useState<Severity | null>(null);
  const preview = usePreview(ticket, policy, severity);
  const save = useMutation({
    mutationFn: () => api.tickets.update(ticket.id, { severity: severity! }),
    onSuccess: () => {
      setSeverity(null);
      refresh();
    },
  });
  const changed = severity !== null && severity !== ticket.severity;
  return (
    <form
      className="stack panel"
      aria-label="Re-classify severity"
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) save.mutate();
      }}
    >
      <h2>Re-classify</h2>
      <Field label="Severity" errors={apiFieldErrors(save.error, 'severity')}>
        {(p) => (
          <select
            {...p}
            value={severity ?? ticket.severity}
            onChange={(e) => setSeverity(Number(e.target.value) as Severity)}
          >
            {[1, 2, 3].map((s) => (
              <option key={s} value={s}>
                Severity {s}
                {s === ticket.severity ? ' (current)' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      {changed && (
        <div className="preview" role="status">
          <p>
            <strong>Severity {severity}</strong>: {severityMeaning(severity!)}
          </p>
          {preview.isLoading && <p>Working out the new due time…</p>}
          {preview.error && <p className="error">{(preview.error as Error).message}</p>}
          {preview.data?.map((p) => {
            const before = ticket.targets.find((t) => t.metric === p.metric)?.dueAt;
            return (
              <p key={p.metric} data-testid="reclassify-preview">
                {METRIC_NAMES[p.metric] ?? p.metric} would be due <Time at={p.dueAt} />
                {before && (
                  <>
                    {' '}
                    (now <Time at={before} />)
                  </>
                )}
                {p.dueAt <= Date.now() && <strong>: already breached</strong>}
              </p>
            );
          })}
          <p className="hint">Counted from the original receipt time.</p>
        </div>
      )}
      <FormErrors error={save.error} fields={['severity']} />
      <div className="actions">
        <button type="submit" disabled={!changed || save.isPending}>
          Confirm re-classification
        </button>
        {changed && (
          <button type="button" className="secondary" onClick={() => setSeverity(null)}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

export function AssignForm({ ticket }: { ticket: Ticket }) {
  const { user } = useAuth();
  const refresh = useRefresh();
  const { users } = useUserNames();
  // An OFFICIAL-SENSITIVE ticket goes only to cleared staff.
  const staff = users.filter(
    (u) =>
      (u.role === 'agent' || u.role === 'manager' || u.role === 'admin') &&
      (!ticket.sensitive || u.securityClearance),
  );
  const [assignee, setAssignee] = useState<string>(ticket.assigneeId ?? '');
  const save = useMutation({
    mutationFn: (id: string | null) => api.tickets.update(ticket.id, { assigneeId: id }),
    onSuccess: refresh,
  });
  return (
    <form
      className="stack panel"
      aria-label="Assign"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(assignee || null);
      }}
    >
      <h2>Assign</h2>
      {staff.length === 0 && (
        <p>
          {ticket.assigneeId
            ? ticket.assigneeId === user?.id
              ? 'Assigned to you.'
              : 'Assigned to another member of staff.'
            : 'Nobody is working on this ticket yet.'}
        </p>
      )}
      {staff.length > 0 ? (
        <Field label="Assignee" errors={apiFieldErrors(save.error, 'assigneeId')}>
          {(p) => (
            <select {...p} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
              <option value="">Unassigned</option>
              {staff.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                  {u.supportLevel
                    ? ` (level ${u.supportLevel}${u.securityClearance ? ', cleared' : ''})`
                    : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <FormErrors error={save.error} fields={['assigneeId']} />
      <div className="actions">
        {staff.length > 0 && (
          <button type="submit" disabled={save.isPending}>
            Assign
          </button>
        )}
        {user && ticket.assigneeId !== user.id && (
          <button
            type="button"
            className="secondary"
            disabled={save.isPending}
            onClick={() => save.mutate(user.id)}
          >
            Assign to me
          </button>
        )}
        {user && staff.length === 0 && ticket.assigneeId === user.id && (
          <button
            type="button"
            className="secondary"
            disabled={save.isPending}
            onClick={() => save.mutate(null)}
          >
            Unassign me
          </button>
        )}
      </div>
    </form>
  );
}

export function EscalateForm({ ticket }: { ticket: Ticket }) {
  const refresh = useRefresh();
  const [toLevel, setToLevel] = useState<1 | 2 | 3>(
    Math.min(3, ticket.supportLevel + 1) as 1 | 2 | 3,
  );
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const save = useMutation({
    mutationFn: () => api.tickets.escalate(ticket.id, { toLevel, reason: reason.trim() }),
    onSuccess: () => {
      setReason('');
      refresh();
    },
  });
  const direction = toLevel > ticket.supportLevel ? 'Escalate' : 'De-escalate';
  return (
    <form
      className="stack panel"
      aria-label="Escalate or de-escalate"
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) return setMissing(true);
        setMissing(false);
        save.mutate();
      }}
    >
      <h2>Support level</h2>
      <Field label="Move to" errors={apiFieldErrors(save.error, 'toLevel')}>
        {(p) => (
          <select
            {...p}
            value={toLevel}
            onChange={(e) => setToLevel(Number(e.target.value) as 1 | 2 | 3)}
          >
            {[1, 2, 3]
              .filter((l) => l !== ticket.supportLevel)
              .map((l) => (
                <option key={l} value={l}>
                  {SUPPORT_LEVELS[l]}
                </option>
              ))}
          </select>
        )}
      </Field>
      <Field
        label="Reason"
        errors={[
          missing ? 'Give a reason for the change of level' : undefined,
          ...apiFieldErrors(save.error, 'reason'),
        ]}
      >
        {(p) => (
          <textarea {...p} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        )}
      </Field>
      <FormErrors error={save.error} fields={['toLevel', 'reason']} />
      <button type="submit" disabled={save.isPending || toLevel === ticket.supportLevel}>
        {direction} to level {toLevel}
      </button>
    </form>
  );
}

export function StatusForm({ ticket }: { ticket: Ticket }) {
  const refresh = useRefresh();
  const [status, setStatus] = useState<TicketStatus>(ticket.status);
  const save = useMutation({
    mutationFn: () => api.tickets.update(ticket.id, { status }),
    onSuccess: refresh,
  });
  return (
    <form
      className="stack panel"
      aria-label="Status"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>Status</h2>
      <Field label="Status" errors={apiFieldErrors(save.error, 'status')}>
        {(p) => (
          <select {...p} value={status} onChange={(e) => setStatus(e.target.value as TicketStatus)}>
            {(['new', 'open', 'pending', 'resolved', 'closed'] as TicketStatus[]).map((s) => (
              <option key={s} value={s}>
                {s === 'pending' ? 'Pending (waiting on the customer)' : STATUS_NAMES[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormErrors error={save.error} fields={['status']} />
      <button type="submit" disabled={save.isPending || status === ticket.status}>
        Change status
      </button>
    </form>
  );
}

/** A Severity 1 ticket is an incident: the agent records when service was restored (kept in the history). */
export function RestorationForm({ ticket }: { ticket: Ticket }) {
  const { user } = useAuth();
  const zone = viewerTimeZone(user?.timeZone);
  const refresh = useRefresh();
  const [restoredAt, setRestoredAt] = useState(() => utcToZoned(Date.now(), zone));
  const outages = useQuery({
    queryKey: ['outages', ticket.organizationId],
    queryFn: () => api.availability.outages(ticket.organizationId),
  });
  const incident = outages.data?.find((o) => o.ticketId === ticket.id);
  const save = useMutation({
    mutationFn: () => {
      const at = zonedToUtc(restoredAt, zone);
      return api.availability.restore(
        ticket.id,
        Number.isNaN(at) ? restoredAt : new Date(at).toISOString(),
      );
    },
    onSuccess: refresh,
  });
  const start = incident?.start ?? ticket.receivedAt;
  const restored = incident?.restoredAt ?? null;
  return (
    <form
      className="stack panel"
      aria-label="Incident"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>Incident</h2>
      <dl className="facts" data-testid="incident">
        <dt>Started</dt>
        <dd>
          <Time at={start} />
        </dd>
        <dt>Service restored</dt>
        <dd>{restored ? <Time at={restored} /> : 'Not yet'}</dd>
        {restored && (
          <>
            <dt>Downtime</dt>
            <dd>{formatDuration((Date.parse(restored) - Date.parse(start)) / 1000)}</dd>
          </>
        )}
      </dl>
      <Field
        label={`Service restored at (${zone})`}
        hint="Severity 1 is an incident: its downtime runs from the start until service was restored."
        errors={apiFieldErrors(save.error, 'restoredAt')}
      >
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            value={restoredAt}
            onChange={(e) => setRestoredAt(e.target.value)}
          />
        )}
      </Field>
      <FormErrors error={save.error} fields={['restoredAt']} />
      <button type="submit" disabled={save.isPending || !restoredAt}>
        Record service restored
      </button>
    </form>
  );
}
