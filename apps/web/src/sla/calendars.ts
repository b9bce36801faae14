import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { CalendarDocument } from '@app/business-hours';
import { parsePolicy, type SlaPolicy } from '@app/sla';
import { api } from '../api/endpoints';
import type { CalendarRecord, PolicyRecord, Ticket } from '../api/types';
import { isStaff, useAuth } from '../auth';

function calendarOfRecord(c: CalendarRecord | undefined): CalendarDocument | null {
  if (!c) return null;
  const doc = (c.document ?? c.calendar ?? (c as unknown as { doc?: CalendarDocument }).doc ?? (c.timeZone ? c : null)) as CalendarDocument | null;
  return doc && typeof doc.timeZone === 'string' && doc.week ? doc : null;
}

/** The calendar a policy counts in: embedded in its document, or by calendar id. */
export function calendarOfPolicy(p: PolicyRecord | undefined, calendars: CalendarRecord[]): CalendarDocument | null {
  if (!p) return null;
  const doc = (p.document ?? p) as { calendar?: unknown; calendarId?: string };
  const embedded = doc.calendar as CalendarDocument | undefined;
  if (embedded && typeof embedded === 'object' && embedded.timeZone && embedded.week) return embedded;
  const id = p.calendarId ?? doc.calendarId;
  return calendarOfRecord(calendars.find((c) => c.id === id));
}

/**
 * For staff: a function giving the business calendar of a ticket (from its organisation's policy),
 * so badges count the contract's clock. Null where it cannot be known (the badge then says so).
 */
export function useTicketCalendars(): { calendarOf: (t: Ticket) => CalendarDocument | null; ready: boolean } {
  const { user } = useAuth();
  const enabled = isStaff(user?.role);
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: api.organisations.list, enabled, staleTime: 60_000 });
  const policies = useQuery({ queryKey: ['policies'], queryFn: api.policies.list, enabled, staleTime: 60_000 });
  const calendars = useQuery({ queryKey: ['calendars'], queryFn: api.calendars.list, enabled, staleTime: 60_000 });
  const calendarOf = useCallback(
    (t: Ticket): CalendarDocument | null => {
      if (t.calendar) return t.calendar;
      const org = orgs.data?.find((o) => o.id === (t.organizationId ?? t.organization?.id));
      const policyId = t.policyId ?? org?.policyId ?? org?.policy?.id;
      return calendarOfPolicy(policies.data?.find((p) => p.id === policyId), calendars.data ?? []);
    },
    [orgs.data, policies.data, calendars.data],
  );
  return { calendarOf, ready: !orgs.isLoading && !policies.isLoading && !calendars.isLoading };
}

/** The SLA policy of a ticket's organisation, as libs/sla reads it; null when staff cannot see it. */
export function useTicketPolicy(t: Ticket | undefined): SlaPolicy | null {
  const { user } = useAuth();
  const enabled = isStaff(user?.role) && !!t;
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: api.organisations.list, enabled, staleTime: 60_000 });
  const policies = useQuery({ queryKey: ['policies'], queryFn: api.policies.list, enabled, staleTime: 60_000 });
  const calendars = useQuery({ queryKey: ['calendars'], queryFn: api.calendars.list, enabled, staleTime: 60_000 });
  if (!t) return null;
  const org = orgs.data?.find((o) => o.id === (t.organizationId ?? t.organization?.id));
  const record = policies.data?.find((p) => p.id === (t.policyId ?? org?.policyId ?? org?.policy?.id));
  return policyOfRecord(record, calendars.data ?? []);
}

export function policyOfRecord(record: PolicyRecord | undefined, calendars: CalendarRecord[]): SlaPolicy | null {
  if (!record) return null;
  const doc = { ...((record.document as object | undefined) ?? record) } as Record<string, unknown>;
  const calendar = calendarOfPolicy(record, calendars);
  const candidate = { name: doc.name ?? record.name, calendar, targets: doc.targets, alarms: doc.alarms, escalateOnBreach: doc.escalateOnBreach };
  try {
    return parsePolicy(candidate);
  } catch {
    return null;
  }
}
