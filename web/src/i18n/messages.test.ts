import { describe, expect, it } from 'vitest';
import { en, zh } from './messages';
import { translate } from './I18nProvider';
import { STEP_ORDER } from '../lib/ledger';

// Every reason code verifyReceipt can report (LedgerErrorCode + the step failures).
const FAILURE_CODES = [
  'receipt_empty',
  'receipt_json',
  'receipt_index',
  'receipt_leaf_hash',
  'key_format',
  'key_algorithm',
  'key_id_mismatch',
  'trusted_key_mismatch',
  'note_encoding',
  'note_format',
  'note_no_signature',
  'note_bad_signature',
  'checkpoint_format',
  'not_covered',
  'proof_format',
  'proof_mismatch',
  'leaf_mismatch',
  'root_mismatch',
  'fetch_failed',
];

describe('messages', () => {
  it('has the same keys in Chinese and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zh) as (keyof typeof zh)[]) expect(names(en[k]), k).toEqual(names(zh[k]));
  });

  it('explains every verification step and failure', () => {
    for (const id of STEP_ORDER) {
      expect(zh).toHaveProperty([`step.${id}`]);
      expect(zh).toHaveProperty([`step.ok.${id}`]);
    }
    for (const code of FAILURE_CODES) expect(zh).toHaveProperty([`ledger.err.${code}`]);
  });

  it('fills placeholders', () => {
    expect(translate('zh', 'dashboard.welcome', { name: '张三' })).toBe('欢迎，张三');
    expect(translate('en', 'regions.page', { page: 2 })).toBe('Page 2');
    expect(translate('zh', 'verify.ok')).toBe('该记录已在公开日志中');
    expect(translate('en', 'verify.ok')).toBe('This record is in the public log');
  });
});
