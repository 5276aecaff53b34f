import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ProblemError, setCsrfToken } from '../lib/api';
import { createSession, deleteSession, getSession, type SessionInfo, type User } from '../lib/endpoints';

export type SessionStatus = 'loading' | 'anonymous' | 'authenticated';

export interface Session {
  status: SessionStatus;
  user: User | null;
  /** The last error of GET /api/v1/session other than 401 (server down…). */
  error: ProblemError | null;
  /** POST /api/v1/session; throws ProblemError (e.g. wrong password). */
  login: (username: string, password: string) => Promise<User>;
  /** DELETE /api/v1/session (with the CSRF token); local state is cleared even if it fails. */
  logout: () => Promise<void>;
  /** Forget the session locally, e.g. after a 401 from any API call. */
  expire: () => void;
  /** GET /api/v1/session again. */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<ProblemError | null>(null);

  const adopt = useCallback((info: SessionInfo) => {
    setCsrfToken(info.csrf_token);
    setUser(info.user);
    setError(null);
    setStatus('authenticated');
  }, []);

  const clear = useCallback(() => {
    setCsrfToken(null);
    setUser(null);
    setStatus('anonymous');
  }, []);

  const refresh = useCallback(async () => {
    try {
      adopt(await getSession());
    } catch (e) {
      clear();
      // 401 is the normal answer for a visitor without a session.
      setError(e instanceof ProblemError && e.status !== 401 ? e : null);
    }
  }, [adopt, clear]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const login = useCallback(
    async (username: string, password: string) => {
      const info = await createSession(username, password);
      adopt(info);
      return info.user;
    },
    [adopt],
  );

  const logout = useCallback(async () => {
    try {
      await deleteSession();
    } finally {
      clear();
    }
  }, [clear]);

  const value = useMemo<Session>(
    () => ({ status, user, error, login, logout, expire: clear, refresh }),
    [status, user, error, login, logout, clear, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
