// Cursor pagination for `{items, next_cursor}` lists: remembers the cursor of
// every page seen so "previous" works, and starts afresh when `key` changes
// (another filter or page size).
import { useEffect, useState } from 'react';
import { ProblemError } from './api';
import type { Page } from './endpoints';

export interface CursorList<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  /** 0-based. */
  page: number;
  hasNext: boolean;
  next: () => void;
  prev: () => void;
  reload: () => void;
}

export function useCursorList<T>(
  key: string,
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>,
  opts: { enabled?: boolean; onUnauthorized?: () => void } = {},
): CursorList<T> {
  const enabled = opts.enabled ?? true;
  const [pager, setPager] = useState({ key, cursors: [null] as (string | null)[], page: 0 });
  const current = pager.key === key ? pager : { key, cursors: [null] as (string | null)[], page: 0 };
  const [data, setData] = useState<Page<T> | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);
  const cursor = current.cursors[current.page] ?? null;

  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      setData(null);
      return;
    }
    const ac = new AbortController();
    setLoading(true);
    setError(null);
    fetchPage(cursor, ac.signal).then(
      (res) => {
        if (ac.signal.aborted) return;
        setData(res);
        setLoading(false);
      },
      (e: unknown) => {
        if (ac.signal.aborted) return;
        if (e instanceof ProblemError && e.status === 401 && opts.onUnauthorized) {
          opts.onUnauthorized();
          return;
        }
        setError(e);
        setData(null);
        setLoading(false);
      },
    );
    return () => ac.abort();
    // fetchPage changes identity every render; `key` names what it fetches.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, cursor, nonce, enabled]);

  return {
    items: data?.items ?? [],
    loading,
    error,
    page: current.page,
    hasNext: !!data?.next_cursor,
    next: () => {
      if (!data?.next_cursor) return;
      setPager({ key, cursors: [...current.cursors.slice(0, current.page + 1), data.next_cursor], page: current.page + 1 });
    },
    prev: () => {
      if (current.page > 0) setPager({ ...current, page: current.page - 1 });
    },
    reload: () => setNonce((n) => n + 1),
  };
}

/** One fetch that reloads when `key` changes; for single resources. */
export function useFetch<T>(
  key: string,
  fetcher: (signal: AbortSignal) => Promise<T>,
  opts: { enabled?: boolean; onUnauthorized?: () => void } = {},
): { data: T | null; loading: boolean; error: unknown; reload: () => void } {
  const enabled = opts.enabled ?? true;
  const [state, setState] = useState<{ key: string; data: T | null; loading: boolean; error: unknown }>({
    key,
    data: null,
    loading: enabled,
    error: null,
  });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!enabled) {
      setState({ key, data: null, loading: false, error: null });
      return;
    }
    const ac = new AbortController();
    setState((s) => ({ key, data: s.key === key ? s.data : null, loading: true, error: null }));
    fetcher(ac.signal).then(
      (data) => {
        if (!ac.signal.aborted) setState({ key, data, loading: false, error: null });
      },
      (e: unknown) => {
        if (ac.signal.aborted) return;
        if (e instanceof ProblemError && e.status === 401 && opts.onUnauthorized) {
          opts.onUnauthorized();
          return;
        }
        setState({ key, data: null, loading: false, error: e });
      },
    );
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, nonce, enabled]);
  const stale = state.key !== key;
  return {
    data: stale ? null : state.data,
    loading: stale ? enabled : state.loading,
    error: stale ? null : state.error,
    reload: () => setNonce((n) => n + 1),
  };
}
