import { useMemo } from 'react';
import { listPublicTowns, type PublicTown } from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';

/** A region code is within an account's scope ("all", a province, county or town code). */
export function inScope(code: string, scope: string): boolean {
  if (!scope || scope === 'all') return true;
  const prefix = scope.replace(/(00)+$/, '');
  return code.startsWith(prefix);
}

/** The towns an account may work on (from the public town list). */
export function useScopedTowns(scope: string): { towns: PublicTown[]; loading: boolean; error: unknown } {
  const r = useFetch('towns|all', (signal) => listPublicTowns({ limit: 500 }, signal));
  const towns = useMemo(() => (r.data?.items ?? []).filter((t) => inScope(t.code, scope)), [r.data, scope]);
  return { towns, loading: r.loading, error: r.error };
}

/**
 * The region an account looks at by default: its scope, or for "all" the
 * province of the first published town ('' until the towns are known).
 */
export function useDefaultRegion(scope: string): string {
  const { towns } = useScopedTowns(scope);
  if (scope && scope !== 'all') return scope;
  const first = towns[0]?.code;
  return first ? `${first.slice(0, 2)}0000` : '';
}
