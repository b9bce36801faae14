import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { setUnauthorisedListener } from './api/http';
import { api } from './api/endpoints';
import type { Role, User } from './api/types';
import { tolerantStorage } from './chat/storage';

interface AuthState {
  user: User | null;
  login(email: string, password: string): Promise<User>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);
const KEY = 'helpdesk.user';
// Tolerant: in a third-party frame (the embedded chat) the browser may refuse web storage.
const store = tolerantStorage('session');

function stored(): User | null {
  try {
    const raw = store.get(KEY);
    return raw ? (JSON.parse(raw) as User) : null;
  } catch {
    return null;
  }
}

/** The signed-in user. The session itself is the API's cookie; we keep only who it is for the UI. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(stored);

  const remember = useCallback((u: User | null) => {
    if (u) store.set(KEY, JSON.stringify(u));
    else store.remove(KEY);
    setUser(u);
  }, []);

  useEffect(() => setUnauthorisedListener(() => remember(null)), [remember]);

  const value = useMemo<AuthState>(
    () => ({
      user,
      async login(email, password) {
        const res = await api.auth.login({ email, password });
        remember(res.user);
        return res.user;
      },
      async logout() {
        try {
          await api.auth.logout();
        } catch {
          /* the session may already be gone */
        }
        remember(null);
      },
    }),
    [user, remember],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

export const isStaff = (role?: Role) => role === 'agent' || role === 'manager' || role === 'admin';
export const isCustomer = (role?: Role) => role === 'customer' || role === 'customer_admin';

export function homeOf(user: User): string {
  if (isCustomer(user.role)) return '/portal';
  return '/desk';
}

export function displayName(
  u?: { name?: string | null; displayName?: string | null; email?: string } | null,
): string {
  return u?.name || u?.displayName || u?.email || 'someone';
}
