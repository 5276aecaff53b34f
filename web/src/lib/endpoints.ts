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
  | 'auditor'
  | 'county_supervision'
  | 'county_legal';

export const ROLES: readonly Role[] = [
  'admin',
  'province_staffing',
  'county_staffing',
  'county_department',
  'town_leader',
  'town_officer',
  'auditor',
  'county_supervision',
  'county_legal',
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

// --- power catalogue: shared types -------------------------------------------

export type PowerKind =
  | 'licensing'
  | 'penalty'
  | 'coercion'
  | 'levy'
  | 'benefit'
  | 'inspection'
  | 'confirmation'
  | 'reward'
  | 'adjudication'
  | 'other';

export const POWER_KINDS: readonly PowerKind[] = [
  'licensing',
  'penalty',
  'coercion',
  'levy',
  'benefit',
  'inspection',
  'confirmation',
  'reward',
  'adjudication',
  'other',
];

export type LimitUnit = 'working' | 'calendar';
export interface TimeLimit {
  days: number;
  unit: LimitUnit;
}
export interface LegalBasis {
  law: string;
  article: string;
  clause: string;
}
export interface Fee {
  charged: boolean;
  amount_fen: number;
  basis: string;
}
export interface Material {
  name: string;
  source: string;
  copies: number;
  required: boolean;
}
export interface ResponsibilityItem {
  stage: string;
  content: string;
}
export interface DecisionDoc {
  issuer: string;
  number: string;
  title: string;
  date: string;
}
export type GrantMode = 'delegation' | 'entrustment';

/** A power of the master catalogue (docs/catalogue.md §1, §5). */
export interface Power {
  code: string;
  name: string;
  kind: PowerKind;
  kind_label?: string;
  parent_code: string | null;
  legal_basis: LegalBasis[];
  originating_department: string;
  statutory_limit: TimeLimit;
  promised_limit: TimeLimit;
  suspension_allowed: boolean;
  extension_allowed: boolean;
  max_extension_days: number;
  fee: Fee;
  materials: Material[];
  responsibility_items: ResponsibilityItem[];
  accountability_situations: string[];
  valid_from: string;
  valid_to: string | null;
  version: number;
  remarks: string;
  province_code?: string;
}

/** A row of GET /powers. */
export interface PowerRow {
  code: string;
  name: string;
  kind: PowerKind;
  kind_label?: string;
  department: string;
  parent_code: string | null;
  province_code: string;
  valid_from: string;
  valid_to: string | null;
  version: number;
}

/** A published catalogue item in full (§3): the power plus the grant. */
export interface CatalogueItem extends Power {
  grant_id: string;
  mode: GrantMode;
  exercising_body: string;
  decision_doc: DecisionDoc;
  grant_valid_from: string;
  grant_valid_to: string | null;
}

/** The summary form of an item in the public catalogue list. */
export interface CatalogueSummaryItem {
  code: string;
  name: string;
  kind: PowerKind;
  parent_code: string | null;
  department?: string;
  originating_department?: string;
  statutory_limit: TimeLimit;
  promised_limit: TimeLimit;
  has_fee?: boolean;
  fee?: Fee;
  mode: GrantMode;
  grant_id: string;
}

export type CountsByKind = Partial<Record<PowerKind, number>>;

export interface CatalogueVersionInfo {
  version: number;
  published_at: string;
  content_hash: string;
  item_count: number;
  counts_by_kind: CountsByKind;
  ledger_index: number;
}

export interface PublicCatalogue<I = CatalogueSummaryItem> {
  town_code: string;
  town_name: string;
  county_code: string;
  county_name: string;
  exercising_body: string;
  version: number;
  published_at: string;
  content_hash: string;
  ledger_index: number;
  item_count: number;
  counts_by_kind: CountsByKind;
  is_demo: boolean;
  view?: 'summary' | 'full';
  items: I[];
}

export interface PublicTown {
  code: string;
  name: string;
  county_code: string;
  county_name?: string;
  is_pilot?: boolean;
  version: number | null;
  published_at: string | null;
  item_count: number;
  counts_by_kind: CountsByKind;
  content_hash: string | null;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}
export interface CatalogueDiff {
  added: CatalogueItem[];
  removed: CatalogueItem[];
  changed: { code: string; name?: string; fields: FieldChange[] }[];
  summary: { added: number; removed: number; changed: number };
  from: CatalogueVersionInfo;
  to: CatalogueVersionInfo;
}

export interface VersionList {
  town_code?: string;
  town_name?: string;
  items: CatalogueVersionInfo[];
}

export interface Receipt {
  index: number;
  leaf_hash: string;
}

// --- public catalogue ---------------------------------------------------------

const townPath = (code: string) => `public/towns/${encodeURIComponent(code)}`;

export const listPublicTowns = (q: { cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
  api.get<Page<PublicTown>>('public/towns', { cursor: q.cursor, limit: q.limit }, signal);

// A catalogue request started by the route's loader, in parallel with the
// download of the page's chunk; the page takes it over when it mounts.
const primed = new Map<string, { at: number; promise: Promise<PublicCatalogue> }>();
const catalogueKey = (code: string, version?: number | null) => `${code}|${version ?? ''}`;

export function primePublicCatalogue(code: string, version?: number | null): void {
  const key = catalogueKey(code, version);
  if (primed.has(key)) return;
  const promise = api.get<PublicCatalogue>(`${townPath(code)}/catalogue`, { version: version ?? undefined });
  promise.catch(() => {}); // reported when the page takes it over
  primed.set(key, { at: Date.now(), promise });
}

export const getPublicCatalogue = (code: string, version?: number | null, signal?: AbortSignal) => {
  const key = catalogueKey(code, version);
  const p = primed.get(key);
  primed.delete(key);
  if (p && Date.now() - p.at < 10_000) return p.promise;
  return api.get<PublicCatalogue>(`${townPath(code)}/catalogue`, { version: version ?? undefined }, signal);
};

export const getPublicCatalogueFull = (code: string, version?: number | null, signal?: AbortSignal) =>
  api.get<PublicCatalogue<CatalogueItem>>(`${townPath(code)}/catalogue`, { version: version ?? undefined, view: 'full' }, signal);

/**
 * One item in full. Uses GET …/catalogue/items/{code}; a server that does not
 * have that route yet (or answers 404) is asked for the whole catalogue
 * (?view=full) and the item is picked from it.
 */
export async function getPublicItem(
  town: string,
  powerCode: string,
  version?: number | null,
  signal?: AbortSignal,
): Promise<CatalogueItem> {
  try {
    return await api.get<CatalogueItem>(
      `${townPath(town)}/catalogue/items/${encodeURIComponent(powerCode)}`,
      { version: version ?? undefined },
      signal,
    );
  } catch (e) {
    if (!(e instanceof Error && 'status' in e && (e as { status: number }).status === 404)) throw e;
    let full: PublicCatalogue<CatalogueItem>;
    try {
      full = await getPublicCatalogueFull(town, version, signal);
    } catch {
      throw e;
    }
    const item = full.items.find((i) => i.code === powerCode);
    if (!item) throw e;
    return { ...item, exercising_body: item.exercising_body ?? full.exercising_body };
  }
}

export const listPublicVersions = (code: string, signal?: AbortSignal) =>
  api.get<VersionList>(`${townPath(code)}/catalogue/versions`, undefined, signal);

export const getPublicDiff = (code: string, from: number, to: number, signal?: AbortSignal) =>
  api.get<CatalogueDiff>(`${townPath(code)}/catalogue/diff`, { from, to }, signal);

/** A download link for the published catalogue (CSV with BOM, or XLSX). */
export const publicCatalogueExportUrl = (code: string, format: 'csv' | 'xlsx' | 'json', version?: number | null) =>
  `/api/v1/${townPath(code)}/catalogue?${new URLSearchParams({
    ...(version ? { version: String(version) } : {}),
    format,
  }).toString()}`;

// --- staff: master catalogue ------------------------------------------------------

export interface PowerQuery {
  province?: string;
  q?: string;
  kind?: string;
  department?: string;
  cursor?: string | null;
  limit?: number;
}

export const listPowers = (q: PowerQuery, signal?: AbortSignal) =>
  api.get<Page<PowerRow>>('powers', { ...q }, signal);

export const getPower = (code: string, province?: string, signal?: AbortSignal) =>
  api.get<Power>(`powers/${encodeURIComponent(code)}`, { province }, signal);

export interface ImportResult {
  added: number;
  updated: number;
  unchanged: number;
  total: number;
  added_codes: string[];
  updated_codes: string[];
  receipt?: Receipt;
}

/** One row problem of a refused import (422 `errors[]`). */
export interface ImportRowError {
  row: number;
  column: string | null;
  column_letter?: string | null;
  reason_zh: string;
  reason_en: string;
}

export const importPowers = (file: Blob, contentType: 'text/csv' | 'application/json', province?: string) =>
  request<ImportResult>('powers/import', { method: 'POST', rawBody: file, contentType, query: { province } });

// --- staff: batches and grants ---------------------------------------------------

export interface Batch {
  id: number;
  name: string;
  province_code: string;
  start_date: string;
  end_date?: string;
  towns: { town_code: string; town_name: string; score?: number }[];
}

export type GrantState = 'proposed' | 'ready' | 'effective' | 'suspended' | 'revoked';
export const GRANT_STATES: readonly GrantState[] = ['proposed', 'ready', 'effective', 'suspended', 'revoked'];
export type GrantAction = 'mark_ready' | 'make_effective' | 'suspend' | 'resume' | 'revoke';
export type ReadinessKey = 'staff_trained' | 'system_access' | 'network_port' | 'guidance_contact';
export const READINESS_KEYS: readonly ReadinessKey[] = ['staff_trained', 'system_access', 'network_port', 'guidance_contact'];

export interface ReadinessItem {
  key: ReadinessKey;
  label?: string;
  done: boolean;
  note: string;
  done_at: string | null;
}

export interface Grant {
  id: number;
  power_code: string;
  power_name: string;
  kind: PowerKind;
  kind_label?: string;
  department: string;
  town_code: string;
  town_name?: string;
  county_code: string;
  province_code?: string;
  batch_id: number | null;
  mode: GrantMode;
  mode_label?: string;
  decision_doc: DecisionDoc;
  readiness: ReadinessItem[];
  open_items: ReadinessKey[];
  state: GrantState;
  state_label?: string;
  allowed_actions: GrantAction[];
  valid_from: string;
  valid_to: string | null;
  next_evaluation: string | null;
  state_reason: string;
  created_at?: string;
  updated_at?: string;
  transition?: { action: GrantAction; from: GrantState; to: GrantState; on_date: string };
  receipt?: Receipt;
}

export interface GrantQuery {
  town?: string;
  state?: string;
  kind?: string;
  batch?: string | number;
  cursor?: string | null;
  limit?: number;
}

export const listBatches = (signal?: AbortSignal) => api.get<{ items: Batch[] }>('batches', undefined, signal);
export const listGrants = (q: GrantQuery, signal?: AbortSignal) => api.get<Page<Grant>>('grants', { ...q }, signal);
export const getGrant = (id: number, signal?: AbortSignal) => api.get<Grant>(`grants/${id}`, undefined, signal);

export interface GrantProposal {
  town_code: string;
  power_code: string;
  batch_id?: number;
  mode?: GrantMode;
  valid_from?: string;
}
export const proposeGrant = (p: GrantProposal) => api.post<Grant>('grants', p);

export const updateReadiness = (
  id: number,
  items: { key: ReadinessKey; done?: boolean; note?: string; done_at?: string | null }[],
) => api.patch<Grant>(`grants/${id}/readiness`, { items });

export interface TransitionRequest {
  action: GrantAction;
  reason?: string;
  on_date?: string;
  decision_doc?: DecisionDoc;
}
export const transitionGrant = (id: number, body: TransitionRequest) => api.post<Grant>(`grants/${id}/transitions`, body);

export interface PublishResult extends CatalogueVersionInfo {
  receipt?: Receipt;
}
export const publishCatalogue = (town: string) =>
  api.post<PublishResult>(`towns/${encodeURIComponent(town)}/catalogue/publish`);
export const listTownVersions = (town: string, signal?: AbortSignal) =>
  api.get<VersionList>(`towns/${encodeURIComponent(town)}/catalogue/versions`, undefined, signal);

// --- staff: organisation and staffing ---------------------------------------------

export interface QuotaFigure {
  kind: string;
  kind_zh: string;
  approved: number;
  actual: number;
  baseline?: number;
}
export interface LeadershipPost {
  grade: string;
  grade_zh: string;
  approved: number;
  filled: number;
  holders?: string[];
}
export type AgencyKind = 'integrated' | 'public_institution' | 'dispatched' | 'zone_administration';
export const AGENCY_KINDS: readonly AgencyKind[] = ['integrated', 'public_institution', 'dispatched', 'zone_administration'];

export interface Agency {
  id: number;
  town_code: string;
  name: string;
  nameplates: string[];
  kind: AgencyKind;
  kind_zh: string;
  rank: string;
  rank_zh: string;
  functions: string;
  approving_authority: string;
  approval_doc: string;
  approving_level: string;
  parent_department: string;
  localised: boolean;
  town_assessment_weight: number;
  quotas: QuotaFigure[];
  headcount: { approved: number; actual: number };
  leadership_posts: LeadershipPost[];
}

export interface AgencyPerson {
  id: number;
  name: string;
  id_number_masked: string;
  post: string;
  title: string;
  grade: string;
  grade_zh: string;
  quota_kind: string;
  quota_kind_zh?: string;
  is_leader: boolean;
  grade_approval: string;
  approved_grade: string;
  certificate?: { number: string; valid_from: string; valid_to: string; valid_today: boolean } | null;
}

export interface Violation {
  rule: string;
  rule_zh: string;
  basis_zh: string;
  agency_id: number;
  agency_name?: string | null;
  person_id: number;
  person_name?: string | null;
  subject: string;
  excess: number;
  evidence_zh: string;
  evidence_en: string;
  town_code?: string;
  town_name?: string;
}

export interface AgencyDetail extends Agency {
  state: string;
  merged_into?: number | null;
  people: AgencyPerson[];
  violations: Violation[];
}

export interface AgencyList {
  town: { code: string; name: string };
  items: Agency[];
  totals: QuotaFigure[];
  integrated_agencies: { count: number; limit: number };
}

export interface ViolationScan {
  region: string | { code: string; name?: string };
  towns_scanned: number;
  agencies_scanned: number;
  persons_scanned: number;
  count: number;
  by_rule: Record<string, number>;
  items: Violation[];
  next_cursor: string | number | null;
}

export const listAgencies = (town: string, signal?: AbortSignal) => api.get<AgencyList>('agencies', { town }, signal);
export const getAgency = (id: number, signal?: AbortSignal) => api.get<AgencyDetail>(`agencies/${id}`, undefined, signal);
export const listViolations = (q: { region: string; cursor?: string | number | null; limit?: number }, signal?: AbortSignal) =>
  api.get<ViolationScan>('staffing/violations', { region: q.region, cursor: q.cursor ?? undefined, limit: q.limit }, signal);

export interface Approval {
  authority?: string;
  doc: string;
  level?: string;
}
/** A change request (docs/staffing.md §9); `type` plus the fields of that type. */
export type StaffingChange = { type: string; [field: string]: unknown };
export interface ChangeResult {
  change_id: number;
  type: string;
  town: string;
  state: string;
  agency_id?: number;
  person_id?: number;
  receipt?: Receipt;
}
export const submitStaffingChange = (change: StaffingChange) => api.post<ChangeResult>('staffing/changes', change);

export interface ConsultationRequest {
  agency: number;
  action: 'appoint' | 'remove';
  person?: number;
  candidate_name?: string;
  post: string;
  town_opinion: string;
  document: string;
  consulted_on: string;
}
export const recordConsultation = (c: ConsultationRequest) =>
  api.post<{ consultation_id: number; receipt?: Receipt }>('staffing/consultations', c);

// --- users (admins) ---------------------------------------------------------------

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  scope: string;
  disabled: boolean;
  created_at: string;
}
export const listUsers = (signal?: AbortSignal) => api.get<Page<UserRow>>('users', undefined, signal);
export const createUser = (u: { name: string; role: Role; scope: string; password: string }) =>
  api.post<{ id?: number; receipt?: Receipt }>('users', u);

// --- cases (docs/cases.md) ---------------------------------------------------------

export type ClockStatus = 'running' | 'yellow' | 'red' | 'suspended' | 'stopped_on_time' | 'stopped_late' | 'not_started';
export const CLOCK_STATUSES: readonly ClockStatus[] = ['running', 'yellow', 'red', 'suspended', 'stopped_on_time', 'stopped_late', 'not_started'];
export type ProcedureId = 'licensing' | 'penalty_general' | 'penalty_summary' | 'inspection' | 'coercion';
export const PROCEDURE_IDS: readonly ProcedureId[] = ['licensing', 'penalty_general', 'penalty_summary', 'inspection', 'coercion'];
export type CaseOrigin = 'window' | 'complaint' | 'inspection' | 'on_the_spot' | 'referral' | 'online';
export const CASE_ORIGINS: readonly CaseOrigin[] = ['window', 'complaint', 'inspection', 'on_the_spot', 'referral'];

export interface CaseClock {
  id: string;
  label_zh: string;
  label_en: string;
  deadline: string | null;
  limit_days: number;
  unit: LimitUnit;
  used_days: number;
  left_days: number;
  excluded_days: number;
  extension_days: number;
  extensions: number;
  status: ClockStatus;
  statutory: boolean;
  suspended: boolean;
  deadline_flag?: string;
  /** A minimum period (e.g. the hearing notice): never yellow or red. */
  waiting?: boolean;
  /** The party's own period (payment): late → surcharge, never accountability. */
  party_duty?: boolean;
  late_payment?: LatePayment;
  /** Set with status "year_not_loaded" when the deadline cannot be computed (the other numbers are then absent). */
  error?: string;
}

/** The party paid late (行政处罚法 第七十二条): 3 % of the fine a day, at most the fine. */
export interface LatePayment {
  days_late: number;
  surcharge_fen: number;
  basis: string;
}

/** When the violation was committed (or ended) and discovered (行政处罚法 第三十六条). */
export interface ViolationDates {
  committed_on: string;
  discovered_on: string;
  serious_harm?: boolean;
}

/** The penalty proposed in the notice (第四十四条); the decision may not be heavier. */
export interface ProposalInput {
  tier?: string;
  amount_fen?: number;
  base_fen?: number;
  confiscation_fen?: number;
  licence_revoked_or_closure?: boolean;
}

/** What a step records beside documents and facts (Decide checks it). */
export type StepRecords = 'violation' | 'proposal' | 'collection' | '';

/** A step receipt: the index always; the leaf hash when the server hands it out (POST answers). */
export interface StepReceipt {
  index: number;
  leaf_hash?: string;
}

export interface CaseStep {
  seq?: number;
  step: string;
  label_zh: string;
  label_en: string;
  on: string;
  performer_id?: number;
  officers?: number[];
  detail?: {
    documents?: string[];
    facts?: string[];
    reason?: string;
    backdated?: { reason: string; recorded_on: string };
    [k: string]: unknown;
  };
  receipt?: StepReceipt;
}

export interface NextStep {
  code: string;
  label_zh: string;
  label_en: string;
  min_officers: number;
  certificate: boolean;
  leader: boolean;
  legal_reviewer: boolean;
  enforcement: boolean;
  decision: boolean;
  reason: boolean;
  documents: string[];
  missing_documents: string[];
  facts: string[];
  missing_steps: string[];
  outcome: string;
  /** The only facts a command may assert at this step (any other is refused, guard "facts"). */
  evidence_facts?: string[];
  records?: StepRecords;
  serves_decision?: boolean;
  all_leaders?: boolean;
  separate_from?: string[];
  after_steps?: string[];
  basis?: string;
  to?: string;
}

export interface AppealRoute {
  basis: string;
  body: string;
  days?: number;
  months?: number;
  deadline: string | null;
  deadline_flag?: string;
}

export interface CaseDecision {
  content?: string;
  outcome: string;
  decided_on: string;
  effective_on?: string;
  amount_fen?: number;
  tier?: string;
  annulled_on?: string | null;
  responsible_id?: number;
  responsible_name?: string;
  responsible_post?: string;
  appeal?: DecisionAppeal;
  receipt?: StepReceipt;
}

/**
 * The appeal routes: `{pending: true, note_zh, note_en}` until the decision is
 * served, then the routes with their deadlines counted from `served_on`.
 */
export interface DecisionAppeal {
  pending?: boolean;
  note_zh?: string;
  note_en?: string;
  served_on?: string;
  reconsideration?: AppealRoute;
  litigation?: AppealRoute;
}

export interface CaseDisclosure {
  title: string;
  /** null when it cannot be computed; due_flag says why (a year whose holidays are not loaded). */
  due_on: string | null;
  due_flag?: string;
  late: boolean;
  published_on: string | null;
  withdrawn_on: string | null;
  withdraw_reason: string;
}

export interface CaseFile {
  id: number;
  kind: string;
  file_name: string;
  content_type: string;
  sha256: string;
  size: number;
  receipt?: StepReceipt;
}

export interface CaseRow {
  id: number;
  town_code: string;
  power_code: string;
  power_name: string;
  power_kind: PowerKind;
  procedure: ProcedureId;
  procedure_version: number;
  origin: CaseOrigin;
  party: string;
  party_kind: 'natural_person' | 'organisation';
  state: string;
  state_label: string;
  terminal: boolean;
  outcome: string;
  opened_on: string;
  closed_on: string | null;
  deadline: string | null;
  clock_status: ClockStatus;
  clocks: CaseClock[];
  handler_id: number | null;
  agency_id: number | null;
  receipt_code: string;
}

export interface CaseRating {
  id?: number;
  level: number;
  level_label?: string;
  scores?: Record<string, number>;
  comment?: string;
  rectification?: string;
  callback_due?: string | null;
  fix_due?: string | null;
}

export interface CaseDetail extends CaseRow {
  summary: string;
  documents: string[];
  facts: string[];
  files: CaseFile[];
  steps: CaseStep[];
  next_steps: NextStep[];
  decision: CaseDecision | null;
  disclosure: CaseDisclosure | null;
  rating?: CaseRating | null;
  receipt?: StepReceipt;
  /** e.g. "backdated" */
  flags?: string[];
  violation?: ViolationDates | null;
  proposal?: (ProposalInput & { amount_fen: number }) | null;
  fine_fen?: number;
  late_payment?: LatePayment | null;
}

export interface CaseQuery {
  town?: string;
  mine?: boolean;
  state?: 'open' | 'all';
  cursor?: string | null;
  limit?: number;
}

export const listCases = (q: CaseQuery, signal?: AbortSignal) =>
  api.get<Page<CaseRow>>('cases', { town: q.town, mine: q.mine ? 1 : undefined, state: q.state, cursor: q.cursor, limit: q.limit }, signal);
export const getCase = (id: number, signal?: AbortSignal) => api.get<CaseDetail>(`cases/${id}`, undefined, signal);

export interface Party {
  kind: 'natural_person' | 'organisation';
  name: string;
  id_number?: string;
  phone?: string;
}
export interface MaterialUpload {
  kind: string;
  file_name: string;
  content_type: string;
  data_base64: string;
}
export interface NewCase {
  town_code: string;
  power_code: string;
  procedure?: ProcedureId;
  origin: CaseOrigin;
  party: Party;
  opened_on?: string;
  summary?: string;
  materials?: MaterialUpload[];
}
export interface OpenedCase {
  case_id: number;
  receipt_code: string;
  state: string;
  state_label: string;
  deadline: string | null;
  clocks: CaseClock[];
  receipt?: Receipt;
}
export const openCase = (c: NewCase) => api.post<OpenedCase>('cases', c);

export interface CaseOfficer {
  id: number;
  name: string;
  post: string;
  agency_id: number;
  active: boolean;
  is_leader: boolean;
  legal_reviewer: boolean;
  certificate_valid: boolean;
  certificate_valid_to: string;
}
export const listCaseOfficers = (id: number, signal?: AbortSignal) =>
  api.get<{ case_id: number; items: CaseOfficer[] }>(`cases/${id}/officers`, undefined, signal);

export interface DecisionInput {
  content: string;
  tier?: string;
  amount_fen?: number;
  base_fen?: number;
  confiscation_fen?: number;
  written_reason?: string;
  licence_revoked_or_closure?: boolean;
}
export interface StepCommand {
  step: string;
  on?: string;
  officers?: number[];
  documents?: string[];
  facts?: string[];
  reason?: string;
  extension_days?: number;
  decision?: DecisionInput;
  /** Required at steps with records "violation". */
  violation?: ViolationDates;
  /** Required at steps with records "proposal" (the notice). */
  proposal?: ProposalInput;
  /** The official receipt's number, at steps with records "collection". */
  receipt_number?: string;
  /** Required when `on` is before today (at most max_backdate_days working days back). */
  backdate_reason?: string;
}
export interface StepResult {
  case_id: number;
  step: string;
  state: string;
  state_label: string;
  clock_status: ClockStatus;
  deadline: string | null;
  receipt?: Receipt;
}
export const performStep = (id: number, cmd: StepCommand) => api.post<StepResult>(`cases/${id}/steps`, cmd);

export const uploadCaseFile = (id: number, kind: string, file: Blob & { name?: string }, name: string) =>
  request<CaseFile & { receipt?: Receipt }>(`cases/${id}/files`, {
    method: 'POST',
    rawBody: file,
    contentType: file.type || 'application/octet-stream',
    query: { kind, name },
  });

export const publishDisclosure = (id: number) => api.post<{ receipt?: Receipt }>(`cases/${id}/disclosure`, { action: 'publish' });
export const annulDisclosure = (id: number, reason: string) =>
  api.post<{ receipt?: Receipt }>(`cases/${id}/disclosure`, { action: 'annul', reason });

export interface Me {
  user: User;
  person: (CaseOfficer & { certificate_valid_to: string }) | null;
}
export const getMe = (signal?: AbortSignal) => api.get<Me>('me', undefined, signal);

/** The authority check's facts (403 authority_denied). */
export interface AuthorityFinding {
  code: string;
  ok: boolean;
  message_zh: string;
  message_en: string;
}
/** A failing procedural guard (409 rule_violation). */
export interface GuardFailure {
  guard: string;
  item: string;
  message_zh: string;
  message_en: string;
  when?: string;
}

// --- procedures and discretion (public) ----------------------------------------------

export interface ProcedureStepDef {
  code: string;
  label_zh: string;
  label_en: string;
  from: string[];
  to: string;
  documents: string[];
  facts: string[];
  decision: boolean;
  enforcement: boolean;
  evidence_facts?: string[];
  records?: StepRecords;
  serves_decision?: boolean;
  all_leaders?: boolean;
  separate_from?: string[];
}
export interface ProcedureLimits {
  natural_person_fen?: number;
  organisation_fen?: number;
  collect_on_spot_fen?: number;
}
export interface ProcedureDef {
  id: ProcedureId;
  version: number;
  name_zh: string;
  name_en: string;
  states: { code: string; label_zh: string; label_en: string; terminal: boolean }[];
  steps: ProcedureStepDef[];
  clocks?: ProcedureClockDef[];
  limits?: ProcedureLimits | null;
}
export interface ProcedureClockDef {
  id: string;
  label_zh: string;
  label_en: string;
  limit_days: number;
  unit: LimitUnit;
  statutory: boolean;
  waiting?: boolean;
  party_duty?: boolean;
  basis?: string;
}
export interface Procedures {
  items: ProcedureDef[];
  /** How many working days back a step may be dated (with a backdate reason). */
  max_backdate_days?: number;
}
export const listProcedures = (signal?: AbortSignal) => api.get<Procedures>('procedures', undefined, signal);

export interface DiscretionTier {
  code: string;
  label_zh: string;
  circumstances: string;
  min_multiple?: number;
  max_multiple?: number;
  min_fen?: number;
  max_fen?: number;
  no_penalty: boolean;
}
export interface Discretion {
  power_code: string;
  scheme: string;
  basis: string;
  violation: string;
  tiers: DiscretionTier[];
  range?: { tier: string; min_fen: number; max_fen: number };
}
export const getDiscretion = (power: string, q: { tier?: string; base_fen?: number } = {}, signal?: AbortSignal) =>
  api.get<Discretion>(`public/discretion/${encodeURIComponent(power)}`, { tier: q.tier, base_fen: q.base_fen }, signal);

// --- public: applications, progress, ratings, disclosures -----------------------------

export interface Application {
  town_code: string;
  power_code: string;
  summary?: string;
  applicant: Party;
  materials: MaterialUpload[];
}
export interface ApplicationResult extends OpenedCase {
  power_name: string;
  opened_on: string;
  files?: CaseFile[];
}
export const submitApplication = (a: Application) => api.post<ApplicationResult>('public/applications', a);

export interface Progress {
  receipt_code: string;
  town_code: string;
  town_name?: string;
  power_code: string;
  power_name: string;
  procedure: ProcedureId;
  state: string;
  state_label: string;
  terminal: boolean;
  outcome: string;
  opened_on: string;
  closed_on: string | null;
  deadline: string | null;
  clocks: CaseClock[];
  steps: CaseStep[];
  decision: CaseDecision | null;
  can_rate: boolean;
  rated: boolean;
  receipt?: StepReceipt;
}
export const getProgress = (code: string, signal?: AbortSignal) =>
  api.get<Progress>(`public/applications/${encodeURIComponent(code)}`, undefined, signal);

export interface RatingInput {
  receipt_code: string;
  level: number;
  scores?: Record<string, number>;
  comment?: string;
}
export interface RatingResult {
  rating_id: number;
  level: number;
  level_label?: string;
  rectification: string;
  callback_due: string | null;
  fix_due: string | null;
  receipt?: Receipt;
}
export const submitRating = (r: RatingInput) => api.post<RatingResult>('public/ratings', r);

export interface Disclosure {
  case_id: number;
  kind: PowerKind;
  title: string;
  content: string;
  decided_on: string;
  due_on: string;
  published_on: string | null;
  late: boolean;
  withdrawn_on: string | null;
  withdraw_reason: string;
  party?: string;
  receipt?: StepReceipt;
}
export const listDisclosures = (town: string, q: { cursor?: string | number | null; limit?: number }, signal?: AbortSignal) =>
  api.get<{ items: Disclosure[]; next_cursor: string | number | null; town_code: string }>(
    `${townPath(town)}/disclosures`,
    { cursor: q.cursor ?? undefined, limit: q.limit },
    signal,
  );

/** The leaf hash the log holds at `index` (from an inclusion proof against the latest checkpoint). */
export async function logLeafHash(index: number): Promise<string> {
  const cp = await request<string>('ledger/checkpoint', { accept: 'text' });
  const size = Number(cp.split('\n')[1]);
  const proof = await api.get<{ leaf_hash: string }>('ledger/proof/inclusion', { index, size });
  return proof.leaf_hash;
}

// --- oversight: accountability, evaluation, outliers ------------------------------------

export type AccountabilityState = 'open' | 'under_review' | 'concluded';
export const ACCOUNTABILITY_STATES: readonly AccountabilityState[] = ['open', 'under_review', 'concluded'];
export const ACCOUNTABILITY_TRIGGERS = [
  'overdue',
  'late_disclosure',
  'unresolved_bad_rating',
  'denied_authority',
  'out_of_range_attempt',
  'missing_step',
] as const;
export type AccountabilityTrigger = (typeof ACCOUNTABILITY_TRIGGERS)[number];

export interface AccountabilityRecord {
  id: number;
  case_id: number | null;
  town_code: string;
  trigger: AccountabilityTrigger | string;
  evidence: number[];
  detail?: Record<string, unknown>;
  person_id: number | null;
  person_name: string | null;
  post: string;
  state: AccountabilityState;
  opened_on: string;
  conclusion: string;
  receipt?: StepReceipt;
}
export const listAccountability = (
  q: { region?: string; state?: string; trigger?: string; cursor?: string | null; limit?: number },
  signal?: AbortSignal,
) => api.get<Page<AccountabilityRecord>>('accountability', { ...q }, signal);
export const transitionAccountability = (id: number, to: AccountabilityState, conclusion: string) =>
  api.post<AccountabilityRecord>(`accountability/${id}`, { to, conclusion });

export interface EvaluationRow {
  key: string;
  label: string;
  cases: number;
  closed: number;
  on_time: number;
  on_time_rate: number;
  mean_days_used: number;
  mean_limit_days: number;
  ratings: number;
  mean_rating: number | null;
  satisfaction_rate: number | null;
}
export interface Evaluation {
  by: 'town' | 'agency' | 'officer';
  region: string;
  from: string;
  to: string;
  items: EvaluationRow[];
  discretion_distribution: Record<string, number>;
}
export const getEvaluation = (q: { region: string; by: string; from?: string; to?: string }, signal?: AbortSignal) =>
  api.get<Evaluation>('evaluation', { ...q }, signal);

export interface PenaltyOutlier {
  case_id: number;
  power_code: string;
  tier: string;
  amount_fen: number;
  median_fen: number;
  deviation: number;
}
export const listPenaltyOutliers = (region: string, signal?: AbortSignal) =>
  api.get<{ items: PenaltyOutlier[] }>('reports/penalty-outliers', { region }, signal);
