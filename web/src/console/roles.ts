import type { TFunction } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { ROLES, type Role } from '../lib/endpoints';

export function roleLabel(t: TFunction, role: string): string {
  return (ROLES as readonly string[]).includes(role) ? t(`role.${role as Role}` as MessageKey) : role;
}

export function scopeLabel(t: TFunction, scope: string): string {
  return scope === 'all' ? t('console.scopeAll') : scope;
}

const CATALOGUE_MANAGERS = new Set(['admin', 'province_staffing', 'county_staffing', 'county_department']);
const STAFFING_READERS = new Set([
  'admin', 'province_staffing', 'county_staffing', 'town_leader', 'auditor', 'county_supervision', 'county_legal',
]);
const STAFFING_MANAGERS = new Set(['admin', 'province_staffing', 'county_staffing']);

/** The role may import the master catalogue, manage grants and publish (kManageCatalogue). */
export const canManageCatalogue = (role: string) => CATALOGUE_MANAGERS.has(role);
/** kReadStaffing. */
export const canReadStaffing = (role: string) => STAFFING_READERS.has(role);
/** kManageStaffing. */
export const canManageStaffing = (role: string) => STAFFING_MANAGERS.has(role);
/** kManageUsers. */
export const canManageUsers = (role: string) => role === 'admin';

const ACCOUNTABILITY_REVIEWERS = new Set(['county_supervision']);
/** kReviewAccountability: the county supervision body only — never the town it reviews. */
export const canReviewAccountability = (role: string) => ACCOUNTABILITY_REVIEWERS.has(role);
