import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { setSetupRequiredListener, setUnauthorisedListener } from './api/http';
import { api } from './api/endpoints';
import type { Role, User } from './api/types';
import { tolerantStorage } from './chat/storage';

/** A login's first step: signed in, or a code is needed next (2FA). */
export type LoginStep = { user: User } | { challenge: string };

interface AuthState {
  user: User | null;
  login(email: string, password: string): Promise<LoginStep>;
  /** The second step: the challenge of the first and a code (or a recovery code). */
  completeLogin(challenge: string, code: string): Promise<User>;
  /** Reads who is signed in again (after enrolling in 2FA or changing the password). */
  refresh(): Promise<User | null>;
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
  // The API says a step is missing (e.g. 2FA became required): note it, and the guard leads there.
  useEffect(
    () =>
      setSetupRequiredListener((step) =>
        setUser((u) => {
          if (!u) return u;
          const next =
            step === 'two_factor_required'
              ? { ...u, twoFactorRequired: true, twoFactorEnabled: false }
              : { ...u, passwordChangeRequired: true };
          store.set(KEY, JSON.stringify(next));
          return next;
        }),
      ),
    [],
  );

  const value = useMemo<AuthState>(
    () => ({
      user,
      async login(email, password) {
        const res = await api.auth.login({ email, password });
        if ('challenge' in res) return { challenge: res.challenge };
        const me = await api.auth.me().catch(() => res.user);
        remember(me);
        return { user: me };
      },
      async completeLogin(challenge, code) {
        const res = await api.auth.secondFactor({ challenge, code });
        const me = await api.auth.me().catch(() => res.user);
        remember(me);
        return me;
      },
      async refresh() {
        try {
          const me = await api.auth.me();
          remember(me);
          return me;
        } catch {
          return null;
        }
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

/** A step the user must take before anything else: enrol in a required 2FA, change their password. */
export const mustSetUp = (user: User) =>
  !!user.passwordChangeRequired || (!!user.twoFactorRequired && !user.twoFactorEnabled);

export function homeOf(user: User): string {
  if (mustSetUp(user)) return '/security';
  if (isCustomer(user.role)) return '/portal';
  return '/desk';
}

export function displayName(
  u?: { name?: string | null; displayName?: string | null; email?: string } | null,
): string {
  return u?.name || u?.displayName || u?.email || 'someone';
}
