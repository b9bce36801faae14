import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../api/endpoints';
import { useAuth } from '../auth';

/** Names of users by id, where the viewer may list users (managers, admins); "you" always. */
export function useUserNames() {
  const { user } = useAuth();
  const canList = user?.role === 'admin' || user?.role === 'manager';
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => api.users.list(),
    enabled: canList,
    staleTime: 60_000,
  });
  const nameOf = useCallback(
    (id: string | null | undefined, fallback = 'someone'): string => {
      if (!id) return fallback;
      if (id === user?.id) return `${user.name} (you)`;
      return users.data?.find((u) => u.id === id)?.name ?? fallback;
    },
    [users.data, user],
  );
  return { nameOf, users: users.data ?? [], canList };
}
