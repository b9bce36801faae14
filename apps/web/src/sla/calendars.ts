import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { CalendarDocument } from '@app/business-hours';
import type { SlaPolicy } from '@app/sla';
import { api } from '../api/endpoints';
import type { Ticket } from '../api/types';
import { isStaff, useAuth } from '../auth';

/**
 * For staff: the SLA policy of a ticket (its organisation's), whose document carries the business
 * calendar, so badges, explanations and re-classification previews use the contract's own clock.
 * Null where it cannot be known (a customer, or still loading): badges then count wall-clock time.
 */
export function usePolicies() {
  const { user } = useAuth();
  const enabled = isStaff(user?.role);
  const orgs = useQuery({
    queryKey: ['organisations'],
    queryFn: api.organisations.list,
    enabled,
    staleTime: 60_000,
  });
  const policies = useQuery({
    queryKey: ['policies'],
    queryFn: api.policies.list,
    enabled,
    staleTime: 60_000,
  });
  const policyOf = useCallback(
    (t: Pick<Ticket, 'organizationId'> | undefined): SlaPolicy | null => {
      if (!t) return null;
      const org = orgs.data?.find((o) => o.id === t.organizationId);
      return policies.data?.find((p) => p.id === org?.policyId)?.document ?? null;
    },
    [orgs.data, policies.data],
  );
  const calendarOf = useCallback(
    (t: Pick<Ticket, 'organizationId'>): CalendarDocument | null => policyOf(t)?.calendar ?? null,
    [policyOf],
  );
  const policyIdOf = useCallback(
    (t: Pick<Ticket, 'organizationId'>) =>
      orgs.data?.find((o) => o.id === t.organizationId)?.policyId ?? null,
    [orgs.data],
  );
  return { policyOf, calendarOf, policyIdOf, ready: !orgs.isLoading && !policies.isLoading };
}
