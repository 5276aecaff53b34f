// Labels and formatting for catalogue data, shared by the portal and the console.
import type { TFunction } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { POWER_KINDS, type Fee, type GrantState, type PowerKind, type TimeLimit } from '../lib/endpoints';

export function kindLabel(t: TFunction, kind: string): string {
  return (POWER_KINDS as readonly string[]).includes(kind) ? t(`kind.${kind as PowerKind}` as MessageKey) : kind;
}

export const KIND_COLORS: Record<PowerKind, string> = {
  licensing: 'blue',
  penalty: 'red',
  coercion: 'volcano',
  levy: 'gold',
  benefit: 'green',
  inspection: 'cyan',
  confirmation: 'geekblue',
  reward: 'lime',
  adjudication: 'purple',
  other: 'default',
};

export const STATE_COLORS: Record<GrantState, string> = {
  proposed: 'default',
  ready: 'processing',
  effective: 'success',
  suspended: 'warning',
  revoked: 'error',
};

export function formatLimit(t: TFunction, l: TimeLimit | null | undefined): string {
  if (!l) return '—';
  if (l.days === 0) return t('limit.onTheSpot');
  return t(l.unit === 'working' ? 'limit.working' : 'limit.calendar', { n: l.days });
}

export function formatFen(fen: number, lang: 'zh' | 'en'): string {
  const yuan = (fen / 100).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return lang === 'zh' ? `${yuan} 元` : `¥${yuan}`;
}

export function formatFee(t: TFunction, lang: 'zh' | 'en', fee: Fee | null | undefined): string {
  if (!fee || !fee.charged) return t('fee.free');
  return `${t('fee.charged')} ${formatFen(fee.amount_fen, lang)}`;
}

/** A summary item says `has_fee`; a full item has `fee`. */
export function hasFee(i: { has_fee?: boolean; fee?: Fee }): boolean {
  if (typeof i.has_fee === 'boolean') return i.has_fee;
  return !!i.fee?.charged;
}

export function formatDateTime(s: string | null | undefined, lang: 'zh' | 'en'): string {
  if (!s) return '—';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

export const shortHash = (h: string | null | undefined) => (h ? `${h.slice(0, 12)}…` : '—');

/** Names of the fields a diff can report, for readers. */
const FIELD_KEYS: Record<string, MessageKey> = {
  name: 'field.name',
  kind: 'field.kind',
  parent_code: 'field.parent_code',
  legal_basis: 'field.legal_basis',
  originating_department: 'field.originating_department',
  'statutory_limit.days': 'field.statutory_limit',
  'statutory_limit.unit': 'field.limit_unit',
  'promised_limit.days': 'field.promised_limit',
  'promised_limit.unit': 'field.limit_unit',
  suspension_allowed: 'field.suspension_allowed',
  extension_allowed: 'field.extension_allowed',
  max_extension_days: 'field.max_extension_days',
  'fee.charged': 'field.fee_charged',
  'fee.amount_fen': 'field.fee_amount',
  'fee.basis': 'field.fee_basis',
  materials: 'field.materials',
  responsibility_items: 'field.responsibility_items',
  accountability_situations: 'field.accountability_situations',
  valid_from: 'field.valid_from',
  valid_to: 'field.valid_to',
  version: 'field.version',
  remarks: 'field.remarks',
  mode: 'field.mode',
  exercising_body: 'field.exercising_body',
  grant_valid_from: 'field.grant_valid_from',
  grant_valid_to: 'field.grant_valid_to',
  grant_id: 'field.grant_id',
  'decision_doc.issuer': 'field.decision_issuer',
  'decision_doc.number': 'field.decision_number',
  'decision_doc.title': 'field.decision_title',
  'decision_doc.date': 'field.decision_date',
};

export function fieldLabel(t: TFunction, field: string): string {
  const k = FIELD_KEYS[field];
  return k ? t(k) : field;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v, null, 1);
}
