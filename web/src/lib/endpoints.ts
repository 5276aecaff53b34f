// Typed calls for the endpoints of the server's first version.
import { api, request } from './api';
import type { LedgerSource } from './ledger';

export type Role =
  | 'admin'
  | 'province_staffing'
  | 'county_staffing'
  | 'county_department'
  | 'town_leader'
  | 'town_officer'
  | 'auditor';

export const ROLES: readonly Role[] = [
  'admin',
  'province_staffing',
  'county_staffing',
  'county_department',
  'town_leader',
  'town_officer',
  'auditor',
];

export interface User {
  id: string | number;
  name: string;
  role: Role;
  /** A region code, or "all". */
  scope: string;
}

export interface SessionInfo {
  user: User;
  csrf_token: string;
}

export interface Health {
  status: string;
  version: string;
  db: string;
  ledger_size: number;
}

export type RegionLevel = 'province' | 'city' | 'county' | 'town';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  is_pilot?: boolean;
  indicators?: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// --- health -----------------------------------------------------------------

export const getHealth = (signal?: AbortSignal) => api.get<Health>('/healthz', undefined, signal);

// --- session ----------------------------------------------------------------

export const getSession = () => api.get<SessionInfo>('session');
export const createSession = (username: string, password: string) =>
  api.post<SessionInfo>('session', { username, password });
export const deleteSession = () => api.delete<void>('session');

// --- regions ----------------------------------------------------------------

export interface RegionQuery {
  parent?: string;
  cursor?: string | null;
  limit?: number;
}

export const listRegions = (q: RegionQuery, signal?: AbortSignal) =>
  api.get<Page<Region>>('regions', { parent: q.parent, cursor: q.cursor, limit: q.limit }, signal);

// --- public ledger ----------------------------------------------------------

export const httpLedgerSource: LedgerSource = {
  fetchKey: () => request<string>('ledger/key', { accept: 'text' }),
  // Bytes, so the signed text is exactly what the server signed.
  fetchCheckpoint: () => request<Uint8Array>('ledger/checkpoint', { accept: 'bytes' }),
  fetchInclusionProof: (index, size) => api.get<unknown>('ledger/proof/inclusion', { index, size }),
};
