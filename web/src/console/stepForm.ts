// The step form's logic, kept pure so it can be tested without a browser:
// which fields a step needs (from the server's next_steps entry, never from a
// list kept here), and the command sent for the values entered (yuan → fen,
// the typed records, backdating). docs/procedures.md describes the fields.
import { yuanToFen } from '../cases/labels';
import type { NextStep, ProcedureId, StepCommand } from '../lib/endpoints';

/** The form's values. Amounts are in yuan as typed; the command carries fen. */
export interface StepValues {
  officers: number[];
  documents: string[];
  facts: string[];
  reason?: string;
  extension_days?: number | null;
  /** YYYY-MM-DD; defaults to today (Asia/Shanghai). */
  on?: string;
  backdate_reason?: string;
  // decision
  content?: string;
  written_reason?: string;
  // penalty: the decision's, or the notice's proposal (never both at one step)
  tier?: string;
  base_yuan?: number | null;
  amount_yuan?: number | null;
  confiscation_yuan?: number | null;
  licence_revoked_or_closure?: boolean;
  // records "violation"
  committed_on?: string;
  discovered_on?: string;
  serious_harm?: boolean;
  // records "collection"
  receipt_number?: string;
}

export const PENALTY_PROCEDURES: readonly string[] = ['penalty_general', 'penalty_summary'];

/** Which parts of the form a step shows. */
export interface StepFields {
  /** Facts the officer may assert here (the step's evidence_facts not yet held). */
  facts: string[];
  violation: boolean;
  proposal: boolean;
  collection: boolean;
  decision: boolean;
  /** Tier, base, amount, confiscation, licence revoked: a penalty decision or a notice's proposal. */
  penalty: boolean;
  /** Written reason for leaving the benchmark's range (decisions only). */
  writtenReason: boolean;
  reason: boolean;
  reasonRequired: boolean;
  extension: boolean;
}

export function stepFields(step: NextStep, procedure: ProcedureId | string, caseFacts: readonly string[], values: Partial<StepValues> = {}): StepFields {
  const records = step.records ?? '';
  const violation = records === 'violation';
  const proposal = records === 'proposal';
  const collection = records === 'collection';
  const isPenalty = PENALTY_PROCEDURES.includes(procedure);
  const extension = step.code.includes('extend');
  // Serious harm (the five-year period) needs a written reason (第三十六条).
  const reasonRequired = step.reason || (violation && !!values.serious_harm);
  return {
    facts: (step.evidence_facts ?? []).filter((f) => !caseFacts.includes(f)),
    violation,
    proposal,
    collection,
    decision: step.decision,
    penalty: isPenalty && (proposal || step.decision),
    writtenReason: isPenalty && step.decision,
    reason: reasonRequired || extension || step.code === 'request_correction' || violation || collection,
    reasonRequired,
    extension,
  };
}

/** A date before today: the step is recorded afterwards and needs a backdate reason. */
export const isBackdated = (on: string | undefined, today: string): boolean => !!on && /^\d{4}-\d{2}-\d{2}$/.test(on) && on < today;

const trimmed = (s: string | undefined) => s?.trim() || undefined;

/**
 * The command for the values entered. `on` is left out when it is today (the
 * server's default), so a page left open does not backdate by accident.
 */
export function buildStepCommand(step: NextStep, procedure: ProcedureId | string, v: StepValues, today: string): StepCommand {
  const f = stepFields(step, procedure, [], v);
  const on = trimmed(v.on);
  const cmd: StepCommand = {
    step: step.code,
    officers: v.officers?.length ? v.officers : undefined,
    documents: v.documents?.length ? v.documents : undefined,
    // Only what this step may assert; anything else would be refused (guard "facts").
    facts: v.facts?.filter((x) => (step.evidence_facts ?? []).includes(x)).length ? v.facts.filter((x) => (step.evidence_facts ?? []).includes(x)) : undefined,
    reason: f.reason ? trimmed(v.reason) : undefined,
    on: on && on !== today ? on : undefined,
    extension_days: f.extension && typeof v.extension_days === 'number' ? v.extension_days : undefined,
  };
  if (isBackdated(on, today)) cmd.backdate_reason = trimmed(v.backdate_reason);
  const penalty = {
    tier: v.tier || undefined,
    amount_fen: yuanToFen(v.amount_yuan ?? undefined),
    base_fen: yuanToFen(v.base_yuan ?? undefined),
    confiscation_fen: yuanToFen(v.confiscation_yuan ?? undefined),
    licence_revoked_or_closure: v.licence_revoked_or_closure || undefined,
  };
  if (f.violation) {
    cmd.violation = { committed_on: v.committed_on ?? '', discovered_on: v.discovered_on ?? '', serious_harm: !!v.serious_harm };
  }
  if (f.proposal) cmd.proposal = f.penalty ? penalty : {};
  if (f.collection) cmd.receipt_number = trimmed(v.receipt_number);
  if (step.decision) {
    cmd.decision = { content: v.content?.trim() ?? '' };
    if (f.penalty) Object.assign(cmd.decision, penalty, { written_reason: trimmed(v.written_reason) });
  }
  return cmd;
}
