import type { TFunction } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { ROLES, type Role } from '../lib/endpoints';

export function roleLabel(t: TFunction, role: string): string {
  return (ROLES as readonly string[]).includes(role) ? t(`role.${role as Role}` as MessageKey) : role;
}

export function scopeLabel(t: TFunction, scope: string): string {
  return scope === 'all' ? t('console.scopeAll') : scope;
}
