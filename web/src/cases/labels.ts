// Labels for case data, shared by the portal (plain markup) and the console.
import type { Lang, TFunction } from '../i18n/I18nProvider';
import { zh, type MessageKey } from '../i18n/messages';
import type { ClockStatus } from '../lib/endpoints';

function label(t: TFunction, prefix: string, code: string | null | undefined): string {
  if (!code) return '—';
  const key = `${prefix}.${code}`;
  return key in zh ? t(key as MessageKey) : code;
}

export const docLabel = (t: TFunction, kind: string) => label(t, 'doc', kind);
export const factLabel = (t: TFunction, fact: string) => label(t, 'fact', fact);
export const clockLabel = (t: TFunction, s: string) => label(t, 'clock', s);
export const originLabel = (t: TFunction, o: string) => label(t, 'origin', o);
export const procedureLabel = (t: TFunction, p: string) => label(t, 'procedure', p);
export const triggerLabel = (t: TFunction, x: string) => label(t, 'acc.trigger', x);
export const accStateLabel = (t: TFunction, x: string) => label(t, 'acc.state', x);
export const tierLabel = (t: TFunction, x: string) => label(t, 'tier', x);
export const outcomeLabel = (t: TFunction, x: string) => label(t, 'outcome', x);
export const partyKindLabel = (t: TFunction, x: string) => label(t, 'party', x);
export const guardLabel = (t: TFunction, x: string) => label(t, 'guard', x);
export const flagLabel = (t: TFunction, x: string) => label(t, 'flag', x);
/** A procedure step by its code (allowed_steps, missing_steps, separate_from name codes only). */
export const stepLabel = (t: TFunction, procedure: string, code: string) => label(t, `pstep.${procedure}`, code);
export const stateLabel = (t: TFunction, procedure: string, code: string) => label(t, `pstate.${procedure}`, code);

/** True when a guard name has an explanation in the messages. */
export const hasGuardLabel = (x: string) => `guard.${x}` in zh;

/**
 * The server's bilingual flags ("中文 / English", e.g. a year whose holidays are
 * not loaded) in the UI language; other text is returned as it is.
 */
export function biText(lang: Lang, s: string | null | undefined): string {
  if (!s) return '';
  const i = s.indexOf(' / ');
  if (i < 0) return s;
  const head = s.slice(0, i);
  const tail = s.slice(i + 3);
  // The Chinese half has CJK characters, the English half none.
  if (!/[\u4e00-\u9fff]/.test(head) || /[\u4e00-\u9fff]/.test(tail)) return s;
  return lang === 'en' ? tail : head;
}

/** A bilingual server label ({label_zh, label_en}). */
export const bi = (lang: Lang, x: { label_zh?: string; label_en?: string }) => (lang === 'en' ? x.label_en || x.label_zh : x.label_zh) ?? '';

/** antd Tag colours of a clock status. */
export const CLOCK_COLORS: Record<ClockStatus, string> = {
  running: 'processing',
  yellow: 'warning',
  red: 'error',
  suspended: 'default',
  stopped_on_time: 'success',
  stopped_late: 'magenta',
  not_started: 'default',
};

/** Plain-markup tag classes (portal). */
export const CLOCK_CLASSES: Record<string, string> = {
  running: 'qz-tag',
  yellow: 'qz-tag orange',
  red: 'qz-tag red',
  suspended: 'qz-tag',
  stopped_on_time: 'qz-tag kind-inspection',
  stopped_late: 'qz-tag red',
  not_started: 'qz-tag',
};

export const RATING_INDICATORS = ['timeliness', 'attitude', 'convenience', 'transparency'] as const;

/** "12.50" yuan → 1250 fen; exact for two decimals (no floating-point drift). */
export const yuanToFen = (s: string | number | null | undefined): number | undefined => {
  if (s === null || s === undefined || s === '') return undefined;
  const n = typeof s === 'number' ? s : Number(String(s).replace(/,/g, ''));
  return Number.isFinite(n) ? Math.round(n * 100) : undefined;
};
