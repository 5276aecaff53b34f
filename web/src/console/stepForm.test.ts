// The step form's logic: which fields a step shows (from next_steps, never a
// list kept in the browser) and the command it sends (fen, typed records,
// backdating).
import { describe, expect, it } from 'vitest';
import { buildStepCommand, isBackdated, stepFields, type StepValues } from './stepForm';
import { todayInChina } from '../lib/dates';
import type { NextStep } from '../lib/endpoints';

const base: NextStep = {
  code: 'x',
  label_zh: 'x',
  label_en: 'x',
  min_officers: 1,
  certificate: false,
  leader: false,
  legal_reviewer: false,
  enforcement: false,
  decision: false,
  reason: false,
  documents: [],
  missing_documents: [],
  facts: [],
  missing_steps: [],
  outcome: '',
  evidence_facts: [],
  records: '',
};
const step = (o: Partial<NextStep>): NextStep => ({ ...base, ...o });
const values = (o: Partial<StepValues> = {}): StepValues => ({ officers: [], documents: [], facts: [], ...o });
const TODAY = '2026-12-07';

describe('stepFields', () => {
  it('offers exactly the step’s evidence facts, minus those the case already holds', () => {
    const review = step({ code: 'review', evidence_facts: ['major_case'] });
    expect(stepFields(review, 'penalty_general', []).facts).toEqual(['major_case']);
    expect(stepFields(review, 'penalty_general', ['major_case']).facts).toEqual([]);
    // No hard-coded list: a step without evidence facts offers none, whatever the procedure.
    expect(stepFields(step({ code: 'decide', decision: true }), 'penalty_general', []).facts).toEqual([]);
    expect(stepFields(step({ code: 'approve' }), 'coercion', []).facts).toEqual([]);
  });

  it('shows the violation dates only where the step records them, and asks a reason for serious harm', () => {
    const open = step({ code: 'open_case', records: 'violation' });
    const f = stepFields(open, 'penalty_general', []);
    expect(f).toMatchObject({ violation: true, proposal: false, collection: false, penalty: false, reason: true, reasonRequired: false });
    expect(stepFields(open, 'penalty_general', [], { serious_harm: true }).reasonRequired).toBe(true);
    expect(stepFields(step({ code: 'investigate' }), 'penalty_general', []).violation).toBe(false);
  });

  it('shows the proposed penalty at the notice and the penalty fields at a penalty decision', () => {
    const notify = stepFields(step({ code: 'notify', records: 'proposal' }), 'penalty_general', []);
    expect(notify).toMatchObject({ proposal: true, penalty: true, writtenReason: false, decision: false });
    const decide = stepFields(step({ code: 'decide', decision: true }), 'penalty_summary', []);
    expect(decide).toMatchObject({ proposal: false, penalty: true, writtenReason: true, decision: true });
    // A licensing or coercion decision has no amount.
    expect(stepFields(step({ code: 'grant', decision: true }), 'licensing', []).penalty).toBe(false);
    expect(stepFields(step({ code: 'seize', decision: true }), 'coercion', []).penalty).toBe(false);
  });

  it('shows the receipt number at an on-the-spot collection', () => {
    const f = stepFields(step({ code: 'collect_on_spot', records: 'collection' }), 'penalty_summary', []);
    expect(f).toMatchObject({ collection: true, violation: false, proposal: false, reason: true });
  });
});

describe('buildStepCommand', () => {
  it('sends amounts in fen, in the proposal at the notice', () => {
    const cmd = buildStepCommand(
      step({ code: 'notify', records: 'proposal', documents: ['penalty_notice'] }),
      'penalty_general',
      values({ documents: ['penalty_notice'], tier: 'general', amount_yuan: 12345.67, base_yuan: 1000, confiscation_yuan: 0.29, on: TODAY }),
      TODAY,
    );
    expect(cmd).toEqual({
      step: 'notify',
      documents: ['penalty_notice'],
      proposal: { tier: 'general', amount_fen: 1234567, base_fen: 100000, confiscation_fen: 29, licence_revoked_or_closure: undefined },
    });
    expect(cmd.decision).toBeUndefined();
    expect(cmd.on).toBeUndefined(); // today is the server's default
  });

  it('sends amounts in fen in the decision, with the written reason', () => {
    const cmd = buildStepCommand(
      step({ code: 'decide', decision: true }),
      'penalty_general',
      values({ content: ' 罚款 ', tier: 'serious', amount_yuan: 20000, written_reason: '  ', licence_revoked_or_closure: true }),
      TODAY,
    );
    expect(cmd.decision).toEqual({
      content: '罚款',
      tier: 'serious',
      amount_fen: 2000000,
      base_fen: undefined,
      confiscation_fen: undefined,
      written_reason: undefined,
      licence_revoked_or_closure: true,
    });
    expect(cmd.proposal).toBeUndefined();
  });

  it('a coercion decision carries its content only', () => {
    const cmd = buildStepCommand(step({ code: 'seize', decision: true }), 'coercion', values({ content: '扣押车辆', amount_yuan: 5 }), TODAY);
    expect(cmd.decision).toEqual({ content: '扣押车辆' });
  });

  it('sends the violation dates and serious harm at open_case', () => {
    const cmd = buildStepCommand(
      step({ code: 'open_case', records: 'violation' }),
      'penalty_general',
      values({ committed_on: '2026-09-01', discovered_on: '2026-12-01', serious_harm: true, reason: ' 涉及食品安全，造成多人腹泻 ' }),
      TODAY,
    );
    expect(cmd.violation).toEqual({ committed_on: '2026-09-01', discovered_on: '2026-12-01', serious_harm: true });
    expect(cmd.reason).toBe('涉及食品安全，造成多人腹泻');
  });

  it('sends the receipt number of an on-the-spot collection', () => {
    const cmd = buildStepCommand(step({ code: 'collect_on_spot', records: 'collection' }), 'penalty_summary', values({ receipt_number: ' 赣财001234 ' }), TODAY);
    expect(cmd.receipt_number).toBe('赣财001234');
  });

  it('sends a date before today with its backdate reason, and only then', () => {
    const s = step({ code: 'approve' });
    const back = buildStepCommand(s, 'coercion', values({ on: '2026-12-03', backdate_reason: ' 网络故障，次日补录 ' }), TODAY);
    expect(back).toMatchObject({ on: '2026-12-03', backdate_reason: '网络故障，次日补录' });
    const now = buildStepCommand(s, 'coercion', values({ on: TODAY, backdate_reason: 'stale' }), TODAY);
    expect(now.on).toBeUndefined();
    expect(now.backdate_reason).toBeUndefined();
  });

  it('never asserts a fact the step does not allow', () => {
    const s = step({ code: 'review', evidence_facts: ['major_case'] });
    expect(buildStepCommand(s, 'penalty_general', values({ facts: ['major_case', 'fine_imposed'] }), TODAY).facts).toEqual(['major_case']);
    expect(buildStepCommand(s, 'penalty_general', values({ facts: ['fine_imposed'] }), TODAY).facts).toBeUndefined();
  });
});

describe('dates', () => {
  it('a date is backdated when it is before today', () => {
    expect(isBackdated('2026-12-06', TODAY)).toBe(true);
    expect(isBackdated(TODAY, TODAY)).toBe(false);
    expect(isBackdated('', TODAY)).toBe(false);
    expect(isBackdated('2026-12', TODAY)).toBe(false);
  });

  it('today is counted in Asia/Shanghai, as the server does', () => {
    expect(todayInChina(new Date('2026-12-06T21:30:00Z'))).toBe('2026-12-07');
    expect(todayInChina(new Date('2026-12-06T15:59:59Z'))).toBe('2026-12-06');
  });
});
