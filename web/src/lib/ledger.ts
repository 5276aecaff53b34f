// Client-side verification of quanze's public log (全程留痕) — pure, no React,
// no network of its own: everything that is fetched comes in through a
// LedgerSource, so the same code runs in the browser, in Vitest and in Node.
//
// Formats (server: src/ledger/note.h, docs/ledger-format.md):
//   leaf hash        SHA-256(0x00 || entry)                      RFC 6962 / RFC 9162 §2.1.1
//   node hash        SHA-256(0x01 || left || right)
//   inclusion path   RFC 9162 §2.1.3.1 order (sibling of the leaf first), verified
//                    with the algorithm of §2.1.3.2
//   verifier key     <name>+<8 hex key id>+base64(0x01 || 32-byte Ed25519 public key)
//   key id           SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian
//   signed note      <text ending in LF> LF ("— " <name> " " base64(key id || sig) LF)+
//                    (C2SP signed-note; the text ends at the LAST empty line)
//   checkpoint body  <origin> LF <decimal size> LF <base64 root> LF [<extension> LF]*
//                    (C2SP tlog-checkpoint)
//   receipt          {"index": I, "leaf_hash": "<base64>"}
//
// SHA-256 and SHA-512 come from @noble/hashes rather than WebCrypto because
// crypto.subtle only exists in secure contexts: a town office that opens the
// portal over plain http on the LAN must still be able to verify.

import * as ed from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';

ed.hashes.sha512 = sha512;

export const HASH_SIZE = 32;
const ED25519_ALG = 0x01;
const EM_DASH_PREFIX = '\u2014 ';

// ---------------------------------------------------------------------------
// Errors

/** Stable reason codes; the UI turns them into sentences (i18n `ledger.err.*`). */
export type LedgerErrorCode =
  | 'receipt_empty'
  | 'receipt_json'
  | 'receipt_index'
  | 'receipt_leaf_hash'
  | 'key_format'
  | 'key_algorithm'
  | 'key_id_mismatch'
  | 'note_encoding'
  | 'note_format'
  | 'note_no_signature'
  | 'note_bad_signature'
  | 'checkpoint_format'
  | 'proof_format'
  | 'proof_mismatch';

export class LedgerFormatError extends Error {
  readonly code: LedgerErrorCode;
  constructor(code: LedgerErrorCode, message: string) {
    super(message);
    this.name = 'LedgerFormatError';
    this.code = code;
  }
}

function fail(code: LedgerErrorCode, message: string): never {
  throw new LedgerFormatError(code, message);
}

// ---------------------------------------------------------------------------
// Bytes, base64, hex

const textEncoder = new TextEncoder();

export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Hex (either case) to bytes; null if it is not an even run of hex digits. */
export function fromHex(s: string): Uint8Array | null {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX: Record<string, number> = Object.fromEntries([...B64].map((c, i) => [c, i]));

export function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    s += i + 1 < b.length ? B64[(n >> 6) & 63]! : '=';
    s += i + 2 < b.length ? B64[n & 63]! : '=';
  }
  return s;
}

/**
 * Strict standard base64 (RFC 4648 §4): padded, no whitespace, and canonical
 * (unused trailing bits are zero), so that one byte string has exactly one
 * text form. Returns null for anything else.
 */
export function fromBase64(s: string): Uint8Array | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const c = [0, 1, 2, 3].map((k) => (s[i + k] === '=' ? 0 : B64_INDEX[s[i + k]!]!));
    const n = (c[0]! << 18) | (c[1]! << 12) | (c[2]! << 6) | c[3]!;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return toBase64(out) === s ? out : null;
}

// ---------------------------------------------------------------------------
// RFC 6962 / RFC 9162 Merkle tree hashing

export function hashLeaf(entry: Uint8Array): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(0x00), entry));
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(0x01), left, right));
}

export function emptyTreeHash(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/**
 * RFC 9162 §2.1.3.2: the root that `proof` leads to from `leafHash` at
 * `index` in a tree of `size` leaves, or null if the proof cannot be a valid
 * inclusion path for that position (wrong length, index >= size, a hash that
 * is not 32 bytes). Arithmetic is done in BigInt so sizes beyond 2^32 work.
 */
export function rootFromInclusionProof(
  index: number | bigint,
  size: number | bigint,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  let fn = BigInt(index);
  let sn = BigInt(size);
  if (fn < 0n || sn <= 0n || fn >= sn) return null;
  if (leafHash.length !== HASH_SIZE) return null;
  sn -= 1n;
  let r = leafHash;
  for (const p of proof) {
    if (p.length !== HASH_SIZE) return null;
    if (sn === 0n) return null;
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : null;
}

export function verifyInclusion(
  index: number | bigint,
  size: number | bigint,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  return computed !== null && root.length === HASH_SIZE && bytesEqual(computed, root);
}

// ---------------------------------------------------------------------------
// C2SP signed notes and verifier keys

export interface VerifierKey {
  /** The key name, e.g. "quanze.demo/ledger". */
  name: string;
  /** Key id as written in the key (4 bytes, big-endian). */
  keyId: Uint8Array;
  keyIdHex: string;
  /** The 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** The key text as given, trimmed. */
  text: string;
}

function isValidKeyName(name: string): boolean {
  // Non-empty, no Unicode white space, no '+'.
  return name.length > 0 && !/[\s+]/u.test(name);
}

/** SHA-256(name || 0x0A || 0x01 || publicKey)[:4]. */
export function computeKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, ED25519_ALG), publicKey)).slice(0, 4);
}

/**
 * Parses `<name>+<8 hex>+<base64(0x01 || pubkey)>`. Throws LedgerFormatError
 * key_format / key_algorithm. Does NOT check the key id: see checkKeyId.
 */
export function parseVerifierKey(text: string): VerifierKey {
  const t = text.trim();
  const parts = t.split('+');
  // The base64 part may itself contain '+': name and id are the first two fields.
  if (parts.length < 3) fail('key_format', 'verifier key must be <name>+<key id>+<key>');
  const name = parts[0]!;
  const idHex = parts[1]!;
  const keyB64 = parts.slice(2).join('+');
  if (!isValidKeyName(name)) fail('key_format', 'invalid key name');
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) fail('key_format', 'key id must be 8 hex digits');
  const keyData = fromBase64(keyB64);
  if (keyData === null) fail('key_format', 'key is not valid base64');
  if (keyData.length === 0 || keyData[0] !== ED25519_ALG) {
    fail('key_algorithm', 'key is not an Ed25519 key (type byte 0x01)');
  }
  if (keyData.length !== 1 + 32) fail('key_format', 'Ed25519 key must be 32 bytes');
  const keyId = fromHex(idHex)!;
  return { name, keyId, keyIdHex: idHex.toLowerCase(), publicKey: keyData.slice(1), text: t };
}

/** True iff the key id written in the key is the one computed from name and key. */
export function checkKeyId(key: VerifierKey): boolean {
  return bytesEqual(computeKeyId(key.name, key.publicKey), key.keyId);
}

export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  /** The signature proper (without the 4-byte key id). */
  signature: Uint8Array;
}

export interface SignedNote {
  /** The note text, including its final newline: exactly what was signed. */
  text: string;
  textBytes: Uint8Array;
  signatures: NoteSignature[];
}

const MAX_SIGNATURES = 100;

/**
 * Parses a C2SP signed note from its bytes (preferred: no decoding ambiguity)
 * or from a string. Throws LedgerFormatError note_encoding / note_format.
 */
export function parseSignedNote(input: Uint8Array | string): SignedNote {
  let s: string;
  if (typeof input === 'string') {
    s = input;
  } else {
    try {
      s = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      fail('note_encoding', 'note is not valid UTF-8');
    }
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(s)) fail('note_encoding', 'note contains control characters');
  if (!s.endsWith('\n')) fail('note_format', 'note does not end in a newline');
  const sep = s.lastIndexOf('\n\n');
  if (sep < 0) fail('note_format', 'note has no blank line before its signatures');
  const text = s.slice(0, sep + 1);
  if (text.length === 0) fail('note_format', 'note text is empty');
  const sigLines = s.slice(sep + 2, -1).split('\n');
  if (sigLines.length > MAX_SIGNATURES) fail('note_format', 'too many signatures');
  const signatures: NoteSignature[] = [];
  for (const line of sigLines) {
    if (!line.startsWith(EM_DASH_PREFIX)) fail('note_format', 'malformed signature line');
    const rest = line.slice(EM_DASH_PREFIX.length);
    const sp = rest.indexOf(' ');
    if (sp < 0) fail('note_format', 'malformed signature line');
    const name = rest.slice(0, sp);
    const b = fromBase64(rest.slice(sp + 1));
    if (!isValidKeyName(name) || b === null || b.length < 5) {
      fail('note_format', 'malformed signature line');
    }
    signatures.push({ name, keyId: b.slice(0, 4), signature: b.slice(4) });
  }
  return { text, textBytes: utf8(text), signatures };
}

export type NoteCheck =
  | { ok: true; signature: NoteSignature }
  | { ok: false; code: 'note_no_signature' | 'note_bad_signature' };

/**
 * C2SP rules: signatures of other keys (name or id differ) are ignored; every
 * signature by this key must verify; at least one must exist.
 */
export function verifyNote(note: SignedNote, key: VerifierKey): NoteCheck {
  const mine = note.signatures.filter(
    (s) => s.name === key.name && bytesEqual(s.keyId, key.keyId),
  );
  if (mine.length === 0) return { ok: false, code: 'note_no_signature' };
  for (const s of mine) {
    let good = false;
    if (s.signature.length === 64) {
      try {
        good = ed.verify(s.signature, note.textBytes, key.publicKey, { zip215: false });
      } catch {
        good = false;
      }
    }
    if (!good) return { ok: false, code: 'note_bad_signature' };
  }
  return { ok: true, signature: mine[0]! };
}

// ---------------------------------------------------------------------------
// C2SP tlog-checkpoint

export interface Checkpoint {
  origin: string;
  /** Tree size. A JS number: exact up to 2^53, far beyond any provincial log. */
  size: number;
  root: Uint8Array;
  extensions: string[];
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) fail('checkpoint_format', 'checkpoint does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) fail('checkpoint_format', 'checkpoint needs origin, size and root');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) fail('checkpoint_format', 'empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) fail('checkpoint_format', 'size is not a decimal number');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) fail('checkpoint_format', 'size too large');
  const root = fromBase64(rootText);
  if (root === null || root.length !== HASH_SIZE) fail('checkpoint_format', 'root is not 32 bytes of base64');
  if (extensions.some((e) => e.length === 0)) fail('checkpoint_format', 'empty extension line');
  return { origin, size, root, extensions };
}

// ---------------------------------------------------------------------------
// Inclusion proofs as served by GET /api/v1/ledger/proof/inclusion

export interface InclusionProof {
  index: number;
  size: number;
  leafHash: Uint8Array;
  hashes: Uint8Array[];
}

function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

export function parseInclusionProof(json: unknown): InclusionProof {
  if (typeof json !== 'object' || json === null) fail('proof_format', 'proof is not an object');
  const o = json as Record<string, unknown>;
  if (!isIndex(o.index) || !isIndex(o.size)) fail('proof_format', 'proof index/size missing');
  const leafHash = typeof o.leaf_hash === 'string' ? fromBase64(o.leaf_hash) : null;
  if (leafHash === null || leafHash.length !== HASH_SIZE) fail('proof_format', 'proof leaf_hash invalid');
  if (!Array.isArray(o.hashes)) fail('proof_format', 'proof hashes missing');
  const hashes = o.hashes.map((h) => {
    const b = typeof h === 'string' ? fromBase64(h) : null;
    if (b === null || b.length !== HASH_SIZE) fail('proof_format', 'proof hash invalid');
    return b;
  });
  return { index: o.index, size: o.size, leafHash, hashes };
}

// ---------------------------------------------------------------------------
// Receipts (存证回执)

export interface Receipt {
  index: number;
  leafHash: Uint8Array;
}

/** A leaf hash typed by a person: standard or URL-safe base64 (padding optional), or hex. */
export function parseLeafHashInput(raw: string): Uint8Array | null {
  // A '+' that went through a URL query unencoded arrives as a space.
  const s = raw.trim().replace(/ /g, '+');
  if (/^[0-9a-fA-F]{64}$/.test(s)) return fromHex(s);
  let b = s.replace(/-/g, '+').replace(/_/g, '/');
  if (b.length % 4 !== 0 && !b.includes('=')) b += '='.repeat(4 - (b.length % 4));
  const bytes = fromBase64(b);
  return bytes !== null && bytes.length === HASH_SIZE ? bytes : null;
}

function parseIndexInput(x: unknown): number | null {
  if (typeof x === 'number') return isIndex(x) ? x : null;
  if (typeof x === 'string' && /^\s*(0|[1-9][0-9]*)\s*$/.test(x)) {
    const n = Number(x.trim());
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

/** A receipt from separate fields (form inputs or ?index=&leaf_hash=). */
export function parseReceiptFields(index: unknown, leafHash: unknown): Receipt {
  if ((index === undefined || index === null || index === '') && (leafHash === undefined || leafHash === null || leafHash === '')) {
    fail('receipt_empty', 'no receipt given');
  }
  const i = parseIndexInput(index);
  if (i === null) fail('receipt_index', 'index must be a non-negative integer');
  const h = typeof leafHash === 'string' ? parseLeafHashInput(leafHash) : null;
  if (h === null) fail('receipt_leaf_hash', 'leaf hash must be 32 bytes in base64 or hex');
  return { index: i, leafHash: h };
}

/**
 * A receipt pasted as text: the JSON {"index": I, "leaf_hash": "..."} (also
 * when wrapped as {"receipt": {...}}), or "I <leaf hash>" separated by white
 * space, a comma or a colon.
 */
export function parseReceiptText(text: string): Receipt {
  const t = text.trim();
  if (t.length === 0) fail('receipt_empty', 'no receipt given');
  if (t.startsWith('{')) {
    let j: unknown;
    try {
      j = JSON.parse(t);
    } catch {
      fail('receipt_json', 'receipt is not valid JSON');
    }
    let o = j as Record<string, unknown>;
    if (o && typeof o.receipt === 'object' && o.receipt !== null) o = o.receipt as Record<string, unknown>;
    return parseReceiptFields(o?.index, o?.leaf_hash);
  }
  const m = /^(\S+?)\s*[\s,:]\s*(\S+)$/.exec(t);
  if (!m) fail('receipt_json', 'receipt must be JSON or "<index> <leaf hash>"');
  return parseReceiptFields(m[1], m[2]);
}

// ---------------------------------------------------------------------------
// The whole verification, step by step

export interface LedgerSource {
  /** GET /api/v1/ledger/key (text/plain). */
  fetchKey(): Promise<string>;
  /** GET /api/v1/ledger/checkpoint (text/plain signed note), ideally as bytes. */
  fetchCheckpoint(): Promise<Uint8Array | string>;
  /** GET /api/v1/ledger/proof/inclusion?index=&size= (JSON). */
  fetchInclusionProof(index: number, size: number): Promise<unknown>;
}

export type StepId =
  | 'receipt' // the receipt is well formed
  | 'key' // the verifier key was fetched and parsed
  | 'key_id' // its key id matches its name and public key
  | 'checkpoint' // the checkpoint was fetched and parsed
  | 'signature' // the checkpoint is signed by the key
  | 'covered' // the receipt's index is inside the checkpoint's tree
  | 'proof' // the inclusion proof was fetched and is for this index and size
  | 'leaf' // the log's leaf hash at this index equals the receipt's
  | 'root'; // the path from the receipt's leaf leads to the signed root

export const STEP_ORDER: readonly StepId[] = [
  'receipt',
  'key',
  'key_id',
  'checkpoint',
  'signature',
  'covered',
  'proof',
  'leaf',
  'root',
];

export type StepStatus = 'ok' | 'fail' | 'skipped';

export interface StepResult {
  id: StepId;
  status: StepStatus;
  /** On failure: a LedgerErrorCode, or 'fetch_failed', 'not_covered', 'leaf_mismatch', 'root_mismatch', 'trusted_key_mismatch'. */
  code?: string;
  /** Facts for the sentence (hex/base64 values, numbers, the fetch error). */
  params?: Record<string, string | number>;
}

export interface VerificationReport {
  ok: boolean;
  steps: StepResult[];
  receipt?: Receipt;
  key?: VerifierKey;
  checkpoint?: Checkpoint;
  proof?: InclusionProof;
  computedRoot?: Uint8Array;
}

export interface VerifyOptions {
  /**
   * A verifier key the citizen obtained elsewhere (e.g. the provincial
   * gazette). When given, the served key must be identical to it.
   */
  trustedKey?: string;
  /** Called after every step, for progressive display. */
  onStep?: (step: StepResult) => void;
}

class StepFailure extends Error {
  constructor(
    readonly code: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(code);
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Verifies a receipt against the log: key → key id → signed checkpoint →
 * inclusion proof → leaf hash → root. Never throws; the first failing step
 * ends the run and the remaining steps are reported as skipped.
 */
export async function verifyReceipt(
  receiptInput: Receipt | (() => Receipt),
  source: LedgerSource,
  options: VerifyOptions = {},
): Promise<VerificationReport> {
  const report: VerificationReport = { ok: false, steps: [] };
  const record = (step: StepResult) => {
    report.steps.push(step);
    options.onStep?.(step);
  };

  const run = async <T>(id: StepId, body: () => T | Promise<T>): Promise<T> => {
    try {
      const value = await body();
      return value;
    } catch (e) {
      if (e instanceof StepFailure) {
        record({ id, status: 'fail', code: e.code, params: e.params });
      } else if (e instanceof LedgerFormatError) {
        record({ id, status: 'fail', code: e.code, params: { message: e.message } });
      } else {
        record({ id, status: 'fail', code: 'fetch_failed', params: { message: errorText(e) } });
      }
      throw e;
    }
  };
  const ok = (id: StepId, params?: Record<string, string | number>) => record({ id, status: 'ok', params });

  try {
    const receipt = await run('receipt', () =>
      typeof receiptInput === 'function' ? receiptInput() : receiptInput,
    );
    report.receipt = receipt;
    ok('receipt', { index: receipt.index, leaf_hash: toBase64(receipt.leafHash) });

    const key = await run('key', async () => parseVerifierKey(await source.fetchKey()));
    report.key = key;
    if (options.trustedKey !== undefined && options.trustedKey.trim() !== '') {
      const trusted = await run('key', () => parseVerifierKey(options.trustedKey!));
      if (trusted.text !== key.text) {
        await run('key', () => {
          throw new StepFailure('trusted_key_mismatch', { served: key.text, trusted: trusted.text });
        });
      }
    }
    ok('key', { name: key.name, key_id: key.keyIdHex });

    await run('key_id', () => {
      if (!checkKeyId(key)) {
        throw new StepFailure('key_id_mismatch', {
          declared: key.keyIdHex,
          computed: toHex(computeKeyId(key.name, key.publicKey)),
        });
      }
    });
    ok('key_id', { key_id: key.keyIdHex });

    const note = await run('checkpoint', async () => parseSignedNote(await source.fetchCheckpoint()));
    const checkpoint = await run('checkpoint', () => parseCheckpoint(note.text));
    report.checkpoint = checkpoint;
    ok('checkpoint', { origin: checkpoint.origin, size: checkpoint.size, root: toBase64(checkpoint.root) });

    await run('signature', () => {
      const r = verifyNote(note, key);
      if (!r.ok) throw new StepFailure(r.code, { name: key.name, key_id: key.keyIdHex });
    });
    ok('signature', { name: key.name, key_id: key.keyIdHex });

    await run('covered', () => {
      if (receipt.index >= checkpoint.size) {
        throw new StepFailure('not_covered', { index: receipt.index, size: checkpoint.size });
      }
    });
    ok('covered', { index: receipt.index, size: checkpoint.size });

    const proof = await run('proof', async () =>
      parseInclusionProof(await source.fetchInclusionProof(receipt.index, checkpoint.size)),
    );
    report.proof = proof;
    await run('proof', () => {
      if (proof.index !== receipt.index || proof.size !== checkpoint.size) {
        throw new StepFailure('proof_mismatch', {
          index: proof.index,
          size: proof.size,
          want_index: receipt.index,
          want_size: checkpoint.size,
        });
      }
    });
    ok('proof', { hashes: proof.hashes.length });

    await run('leaf', () => {
      if (!bytesEqual(proof.leafHash, receipt.leafHash)) {
        throw new StepFailure('leaf_mismatch', {
          index: receipt.index,
          log: toBase64(proof.leafHash),
          receipt: toBase64(receipt.leafHash),
        });
      }
    });
    ok('leaf', { leaf_hash: toBase64(receipt.leafHash) });

    // The root is computed from the RECEIPT's leaf hash, never the server's.
    const computed = rootFromInclusionProof(receipt.index, checkpoint.size, receipt.leafHash, proof.hashes);
    report.computedRoot = computed ?? undefined;
    await run('root', () => {
      if (computed === null) throw new StepFailure('root_mismatch', { computed: '', root: toBase64(checkpoint.root) });
      if (!bytesEqual(computed, checkpoint.root)) {
        throw new StepFailure('root_mismatch', { computed: toBase64(computed), root: toBase64(checkpoint.root) });
      }
    });
    ok('root', { root: toBase64(checkpoint.root) });

    report.ok = true;
  } catch {
    // The failing step is recorded; mark the rest as skipped.
  }
  const seen = new Set(report.steps.map((s) => s.id));
  for (const id of STEP_ORDER) {
    if (!seen.has(id)) record({ id, status: 'skipped' });
  }
  report.ok = report.ok && report.steps.every((s) => s.status === 'ok');
  return report;
}
