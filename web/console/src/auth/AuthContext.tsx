import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client';
import type { MeResponse } from '../api/types';

type Status = 'loading' | 'anonymous' | 'authenticated' | 'error';

interface AuthState {
  status: Status;
  me: MeResponse | null;
  loadError: unknown;
  has: (perm: string) => boolean;
  /** Stores a login response (POST /auth/login). */
  signedIn: (me: MeResponse) => void;
  /** Reloads GET /me without showing the loading screen. */
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
  /** Forgets the session locally (after a 401). */
  expired: () => void;
  retry: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [me, setMe] = useState<MeResponse | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const statusRef = useRef(status);
  statusRef.current = status;

  const apply = useCallback((m: MeResponse) => {
    setCsrfToken(m.csrf_token);
    setMe(m);
    setStatus('authenticated');
  }, []);

  const expired = useCallback(() => {
    setCsrfToken('');
    setMe(null);
    setStatus('anonymous');
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(expired);
    return () => setUnauthorizedHandler(null);
  }, [expired]);

  useEffect(() => {
    let cancelled = false;
    api
      .get<MeResponse>('/me')
      .then((m) => {
        if (!cancelled) apply(m);
      })
      .catch((err) => {
        if (cancelled) return;
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
          expired();
        } else {
          setLoadError(err);
          setStatus('error');
        }
      });
    return () => {
      cancelled = true;
    };
  }, [apply, expired, attempt]);

  const refresh = useCallback(async () => {
    const m = await api.get<MeResponse>('/me');
    apply(m);
  }, [apply]);

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      expired();
    }
  }, [expired]);

  const retry = useCallback(() => {
    setStatus('loading');
    setAttempt((a) => a + 1);
  }, []);

  const value = useMemo<AuthState>(() => {
    const perms = new Set(me?.permissions ?? []);
    return {
      status,
      me,
      loadError,
      has: (p: string) => perms.has(p),
      signedIn: apply,
      refresh,
      logout,
      expired,
      retry,
    };
  }, [status, me, loadError, apply, refresh, logout, expired, retry]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
