import { describe, expect, it } from 'vitest';
import * as ed from '@noble/ed25519';
import {
  checkKeyId,
  computeKeyId,
  emptyTreeHash,
  fromBase64,
  fromHex,
  hashChildren,
  hashLeaf,
  LedgerFormatError,
  parseCheckpoint,
  parseInclusionProof,
  parseLeafHashInput,
  parseReceiptFields,
  parseReceiptText,
  parseSignedNote,
  parseVerifierKey,
  rootFromInclusionProof,
  toBase64,
  toHex,
  utf8,
  verifyInclusion,
  verifyNote,
  verifyReceipt,
  type LedgerSource,
  type VerificationReport,
} from './ledger';

// ---------------------------------------------------------------------------
// RFC 6962 test vectors, as in transparency-dev/merkle (testonly/constants.go
// and proof/verify_test.go), typed in from there.

const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => fromHex(h)!);

/** ROOTS[n] = root of the tree of the first n leaves. */
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** NODE_HASHES[level][i]: complete subtrees of the 8-leaf tree. */
const NODE_HASHES = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  [
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
];

/** Inclusion proofs (0-based index; the Go file numbers leaves from 1). */
const INCLUSION_PROOFS: { index: number; size: number; proof: string[] }[] = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const h = (hex: string) => fromHex(hex)!;
const SOME_HASH = h('abacaba000000000000000000000000000000000000000000060061e00123456');

// A straightforward RFC 9162 §2.1.1 / §2.1.3.1 reference (MTH and PATH), used
// to check every (index, size) of the 8-leaf tree, not only the typed vectors.
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyTreeHash();
  if (leaves.length === 1) return hashLeaf(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m: number, leaves: Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

describe('RFC 6962 hashing', () => {
  it('hashes the test leaves to the level-0 node hashes', () => {
    LEAVES.forEach((leaf, i) => expect(toHex(hashLeaf(leaf))).toBe(NODE_HASHES[0]![i]));
  });

  it('hashes interior nodes to the known node hashes', () => {
    for (let level = 1; level < NODE_HASHES.length; level++) {
      NODE_HASHES[level]!.forEach((want, i) => {
        const got = hashChildren(h(NODE_HASHES[level - 1]![2 * i]!), h(NODE_HASHES[level - 1]![2 * i + 1]!));
        expect(toHex(got)).toBe(want);
      });
    }
  });

  it('gives the known root for every tree size 0..8', () => {
    for (let n = 0; n <= 8; n++) expect(toHex(mth(LEAVES.slice(0, n)))).toBe(ROOTS[n]);
    expect(toHex(emptyTreeHash())).toBe(ROOTS[0]);
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3.2)', () => {
  it.each(INCLUSION_PROOFS)('verifies the known proof for index $index in size $size', ({ index, size, proof }) => {
    const leaf = hashLeaf(LEAVES[index]!);
    const p = proof.map(h);
    expect(toHex(rootFromInclusionProof(index, size, leaf, p)!)).toBe(ROOTS[size]);
    expect(verifyInclusion(index, size, leaf, p, h(ROOTS[size]!))).toBe(true);
    // Our reference PATH agrees with the typed vector.
    expect(path(index, LEAVES.slice(0, size)).map(toHex)).toEqual(proof);
  });

  it('verifies every index of every tree size 1..8', () => {
    for (let size = 1; size <= 8; size++) {
      for (let index = 0; index < size; index++) {
        const p = path(index, LEAVES.slice(0, size));
        expect(verifyInclusion(index, size, hashLeaf(LEAVES[index]!), p, h(ROOTS[size]!))).toBe(true);
        // ...and with BigInt positions.
        expect(verifyInclusion(BigInt(index), BigInt(size), hashLeaf(LEAVES[index]!), p, h(ROOTS[size]!))).toBe(true);
      }
    }
  });

  it('a single-leaf tree has an empty proof and root = leaf hash', () => {
    const leaf = hashLeaf(utf8('data'));
    expect(verifyInclusion(0, 1, leaf, [], leaf)).toBe(true);
    expect(verifyInclusion(0, 1, leaf, [], new Uint8Array(0))).toBe(false);
    expect(verifyInclusion(0, 1, new Uint8Array(0), [], leaf)).toBe(false);
  });

  it('rejects impossible positions', () => {
    for (const [i, n] of [[0, 0], [1, 0], [2, 1], [1, 1], [-1, 4]] as const) {
      expect(verifyInclusion(i, n, SOME_HASH, [], emptyTreeHash())).toBe(false);
    }
  });

  // The corruptions of transparency-dev/merkle proof/verify_test.go.
  it.each(INCLUSION_PROOFS)('rejects every corruption of the proof for index $index in size $size', ({ index, size, proof }) => {
    const leaf = hashLeaf(LEAVES[index]!);
    const root = h(ROOTS[size]!);
    const p = proof.map(h);
    const bad: [string, number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
      ['index - 1', index - 1, size, leaf, p, root],
      ['index + 1', index + 1, size, leaf, p, root],
      ['index ^ 2', index ^ 2, size, leaf, p, root],
      ['size * 2', index, size * 2, leaf, p, root],
      ['size / 2', index, Math.floor(size / 2), leaf, p, root],
      ['wrong leaf', index, size, utf8('WrongLeaf'), p, root],
      ['empty root', index, size, leaf, p, emptyTreeHash()],
      ['random root', index, size, leaf, p, SOME_HASH],
      ['trailing garbage', index, size, leaf, [...p, new Uint8Array(0)], root],
      ['trailing root', index, size, leaf, [...p, root], root],
      ['preceding garbage', index, size, leaf, [new Uint8Array(0), ...p], root],
      ['preceding root', index, size, leaf, [root, ...p], root],
    ];
    p.forEach((_, k) => {
      const q = p.map((x) => x.slice());
      q[k]![0]! ^= 8;
      bad.push([`modified proof[${k}] bit 3`, index, size, leaf, q, root]);
    });
    if (p.length > 0) bad.push(['removed component', index, size, leaf, p.slice(0, -1), root]);
    if (p.length > 1) bad.push(['inserted component', index, size, leaf, [p[0]!, SOME_HASH, ...p.slice(1)], root]);
    for (const [desc, i, n, l, q, r] of bad) {
      expect(verifyInclusion(i, n, l, q, r), desc).toBe(false);
    }
  });
});

describe('base64', () => {
  it('round-trips and is strict', () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(fromBase64(toBase64(b))).toEqual(b);
    }
    expect(fromBase64('AAE=')).toEqual(Uint8Array.of(0, 1));
    expect(fromBase64('AAE')).toBeNull(); // unpadded
    expect(fromBase64('AA E=')).toBeNull(); // white space
    expect(fromBase64('AAF=')).toBeNull(); // non-canonical trailing bits
    expect(fromBase64('AA-_')).toBeNull(); // URL alphabet
  });

  it('accepts a person-typed leaf hash in base64, base64url or hex', () => {
    const b = hashLeaf(utf8('x'));
    const std = toBase64(b);
    expect(parseLeafHashInput(std)).toEqual(b);
    expect(parseLeafHashInput(` ${std}\n`)).toEqual(b);
    expect(parseLeafHashInput(std.replace(/\+/g, ' '))).toEqual(b); // '+' lost in a URL
    expect(parseLeafHashInput(std.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))).toEqual(b);
    expect(parseLeafHashInput(toHex(b).toUpperCase())).toEqual(b);
    expect(parseLeafHashInput(toBase64(b.slice(0, 31)))).toBeNull();
    expect(parseLeafHashInput('not a hash')).toBeNull();
  });
});

describe('receipts', () => {
  const leaf = hashLeaf(utf8('entry'));
  const b64 = toBase64(leaf);

  it('parses the JSON receipt', () => {
    expect(parseReceiptText(JSON.stringify({ index: 7, leaf_hash: b64 }))).toEqual({ index: 7, leafHash: leaf });
    expect(parseReceiptText(JSON.stringify({ receipt: { index: 0, leaf_hash: b64 } }))).toEqual({ index: 0, leafHash: leaf });
  });

  it('parses "index hash" text', () => {
    expect(parseReceiptText(`12 ${b64}`)).toEqual({ index: 12, leafHash: leaf });
    expect(parseReceiptText(`12,${b64}`)).toEqual({ index: 12, leafHash: leaf });
  });

  it('says what is wrong with a bad receipt', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as LedgerFormatError).code;
      }
      return 'no error';
    };
    expect(code(() => parseReceiptText('  '))).toBe('receipt_empty');
    expect(code(() => parseReceiptText('{"index": 1,'))).toBe('receipt_json');
    expect(code(() => parseReceiptText(JSON.stringify({ index: -1, leaf_hash: b64 })))).toBe('receipt_index');
    expect(code(() => parseReceiptText(JSON.stringify({ index: 1.5, leaf_hash: b64 })))).toBe('receipt_index');
    expect(code(() => parseReceiptText(JSON.stringify({ index: 1, leaf_hash: 'AAAA' })))).toBe('receipt_leaf_hash');
    expect(code(() => parseReceiptFields('', ''))).toBe('receipt_empty');
    expect(code(() => parseReceiptFields('01', b64))).toBe('receipt_index');
  });
});

// ---------------------------------------------------------------------------
// Signed notes with a key generated in the test.

function makeSigner(name: string, seed?: Uint8Array) {
  const secretKey = seed ?? ed.utils.randomSecretKey();
  const publicKey = ed.getPublicKey(secretKey);
  const keyId = computeKeyId(name, publicKey);
  const vkey = `${name}+${toHex(keyId)}+${toBase64(Uint8Array.of(1, ...publicKey))}`;
  const signLine = (body: string, signerName = name, id = keyId) =>
    `\u2014 ${signerName} ${toBase64(Uint8Array.of(...id, ...ed.sign(utf8(body), secretKey)))}\n`;
  const sign = (body: string) => `${body}\n${signLine(body)}`;
  return { name, secretKey, publicKey, keyId, vkey, sign, signLine };
}

describe('verifier keys and signed notes', () => {
  const signer = makeSigner('quanze.demo/ledger');
  const body = `quanze.demo/ledger\n8\n${toBase64(h(ROOTS[8]!))}\n`;

  it('parses a verifier key and checks its key id', () => {
    const k = parseVerifierKey(signer.vkey + '\n');
    expect(k.name).toBe('quanze.demo/ledger');
    expect(k.keyIdHex).toBe(toHex(signer.keyId));
    expect(k.publicKey).toEqual(signer.publicKey);
    expect(checkKeyId(k)).toBe(true);
  });

  it('detects a key id that does not match', () => {
    const k = parseVerifierKey(signer.vkey);
    const wrongId = toHex(Uint8Array.from(k.keyId, (b, i) => (i === 3 ? b ^ 1 : b)));
    expect(checkKeyId(parseVerifierKey(signer.vkey.replace(`+${k.keyIdHex}+`, `+${wrongId}+`)))).toBe(false);
    // Upper-case hex is the same id.
    expect(checkKeyId(parseVerifierKey(signer.vkey.replace(`+${k.keyIdHex}+`, `+${k.keyIdHex.toUpperCase()}+`)))).toBe(true);
    // Another name with the same public key has another id.
    expect(checkKeyId({ ...k, name: 'other.example/log' })).toBe(false);
  });

  it('rejects malformed keys', () => {
    const pub = toBase64(Uint8Array.of(1, ...signer.publicKey));
    expect(() => parseVerifierKey('nokey')).toThrow(LedgerFormatError);
    expect(() => parseVerifierKey(`a b+00000000+${pub}`)).toThrow(/key name/);
    expect(() => parseVerifierKey(`n+0000000+${pub}`)).toThrow(/8 hex/);
    expect(() => parseVerifierKey(`n+00000000+${toBase64(Uint8Array.of(2, ...signer.publicKey))}`)).toThrow(/Ed25519/);
    expect(() => parseVerifierKey(`n+00000000+${toBase64(Uint8Array.of(1, 2, 3))}`)).toThrow(/32 bytes/);
  });

  it('verifies the signature of a signed checkpoint', () => {
    const note = parseSignedNote(utf8(signer.sign(body)));
    expect(note.text).toBe(body);
    expect(note.signatures).toHaveLength(1);
    expect(verifyNote(note, parseVerifierKey(signer.vkey))).toMatchObject({ ok: true });
    const cp = parseCheckpoint(note.text);
    expect(cp).toEqual({ origin: 'quanze.demo/ledger', size: 8, root: h(ROOTS[8]!), extensions: [] });
  });

  it('ignores signatures of other keys but needs one of ours', () => {
    const other = makeSigner('witness.example/w1');
    const both = `${body}\n${other.signLine(body)}${signer.signLine(body)}`;
    expect(verifyNote(parseSignedNote(both), parseVerifierKey(signer.vkey))).toMatchObject({ ok: true });
    const onlyOther = other.sign(body);
    expect(verifyNote(parseSignedNote(onlyOther), parseVerifierKey(signer.vkey))).toEqual({
      ok: false,
      code: 'note_no_signature',
    });
    // Same name, other key id: ignored, so still no signature of ours.
    const sameName = `${body}\n${signer.signLine(body, signer.name, Uint8Array.of(1, 2, 3, 4))}`;
    expect(verifyNote(parseSignedNote(sameName), parseVerifierKey(signer.vkey))).toMatchObject({
      code: 'note_no_signature',
    });
  });

  it('rejects tampered notes', () => {
    const key = parseVerifierKey(signer.vkey);
    const good = signer.sign(body);
    const tampered: [string, string][] = [
      ['size changed', good.replace('\n8\n', '\n9\n')],
      ['origin changed', good.replace('quanze.demo/ledger\n8', 'quanze.demo/ledgeR\n8')],
      ['root changed', good.replace(toBase64(h(ROOTS[8]!)), toBase64(h(ROOTS[7]!)))],
      ['extension added', good.replace(`${toBase64(h(ROOTS[8]!))}\n`, `${toBase64(h(ROOTS[8]!))}\nextra\n`)],
      ['signature flipped', flipSignatureBit(good)],
      ['signature of another body', `${body}\n${signer.signLine(body.replace('8', '7'))}`],
    ];
    for (const [desc, text] of tampered) {
      const r = verifyNote(parseSignedNote(text), key);
      expect(r.ok, desc).toBe(false);
      if (!r.ok) expect(r.code, desc).toBe('note_bad_signature');
    }
    // Signed by an impostor key that claims our name and key id.
    const impostor = makeSigner(signer.name);
    const forged = `${body}\n${impostor.signLine(body, signer.name, signer.keyId)}`;
    expect(verifyNote(parseSignedNote(forged), key)).toEqual({ ok: false, code: 'note_bad_signature' });
  });

  it('rejects malformed notes', () => {
    const good = signer.sign(body);
    expect(() => parseSignedNote(good.slice(0, -1))).toThrow(/newline/);
    expect(() => parseSignedNote(good.replace('\n\n', '\n'))).toThrow(/blank line/);
    expect(() => parseSignedNote(good.replace('\u2014', '-'))).toThrow(/signature line/);
    expect(() => parseSignedNote(good.replace('\n8\n', '\n8\r\n'))).toThrow(/control/);
    expect(() => parseSignedNote(Uint8Array.of(0xff, 0x0a, 0x0a))).toThrow(/UTF-8/);
  });

  it('rejects malformed checkpoints', () => {
    const root = toBase64(h(ROOTS[8]!));
    expect(() => parseCheckpoint(`o\n8\n${root}`)).toThrow(LedgerFormatError);
    expect(() => parseCheckpoint(`o\n08\n${root}\n`)).toThrow(/decimal/);
    expect(() => parseCheckpoint(`o\n-8\n${root}\n`)).toThrow(/decimal/);
    expect(() => parseCheckpoint(`\n8\n${root}\n`)).toThrow(/origin/);
    expect(() => parseCheckpoint(`o\n8\nAAAA\n`)).toThrow(/root/);
    expect(() => parseCheckpoint(`o\n8\n${root}\n\n`)).toThrow(/extension/);
    expect(parseCheckpoint(`o\n8\n${root}\next one\n`).extensions).toEqual(['ext one']);
  });
});

function flipSignatureBit(note: string): string {
  const lines = note.split('\n');
  const i = lines.findIndex((l) => l.startsWith('\u2014 '));
  const parts = lines[i]!.split(' ');
  const sig = fromBase64(parts[2]!)!;
  sig[10]! ^= 1;
  parts[2] = toBase64(sig);
  lines[i] = parts.join(' ');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// The whole verification against a fake log of the 8 test leaves.

function fakeLog(opts: { size?: number; origin?: string } = {}) {
  const signer = makeSigner('quanze.demo/ledger');
  const size = opts.size ?? 8;
  const leaves = LEAVES.slice(0, size);
  const body = `${opts.origin ?? 'quanze.demo/ledger'}\n${size}\n${toBase64(mth(leaves))}\n`;
  const state = {
    key: signer.vkey,
    checkpoint: signer.sign(body) as string | Uint8Array,
    proof: (index: number, n: number): unknown => ({
      index,
      size: n,
      leaf_hash: toBase64(hashLeaf(leaves[index]!)),
      hashes: path(index, leaves.slice(0, n)).map(toBase64),
    }),
  };
  const source: LedgerSource = {
    fetchKey: async () => state.key,
    fetchCheckpoint: async () => state.checkpoint,
    fetchInclusionProof: async (i, n) => state.proof(i, n),
  };
  return { signer, state, source, body };
}

const statusOf = (r: VerificationReport) => Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
const failed = (r: VerificationReport) => r.steps.find((s) => s.status === 'fail');

describe('verifyReceipt', () => {
  it('verifies every entry of the fake log', async () => {
    const { source } = fakeLog();
    for (let i = 0; i < 8; i++) {
      const seen: string[] = [];
      const r = await verifyReceipt({ index: i, leafHash: hashLeaf(LEAVES[i]!) }, source, {
        onStep: (s) => seen.push(`${s.id}:${s.status}`),
      });
      expect(r.ok, `index ${i}`).toBe(true);
      expect(r.steps.every((s) => s.status === 'ok')).toBe(true);
      expect(seen).toEqual(['receipt', 'key', 'key_id', 'checkpoint', 'signature', 'covered', 'proof', 'leaf', 'root'].map((s) => `${s}:ok`));
      expect(toHex(r.computedRoot!)).toBe(ROOTS[8]);
    }
  });

  it('accepts the checkpoint as a string too', async () => {
    const { source, state } = fakeLog({ size: 5 });
    state.checkpoint = new TextDecoder().decode(utf8(state.checkpoint as string));
    const r = await verifyReceipt({ index: 4, leafHash: hashLeaf(LEAVES[4]!) }, source);
    expect(r.ok).toBe(true);
  });

  it('fails at "leaf" for a tampered leaf hash, and skips the rest', async () => {
    const { source } = fakeLog();
    const leafHash = hashLeaf(LEAVES[3]!);
    leafHash[0]! ^= 1;
    const r = await verifyReceipt({ index: 3, leafHash }, source);
    expect(r.ok).toBe(false);
    expect(failed(r)).toMatchObject({ id: 'leaf', code: 'leaf_mismatch' });
    expect(statusOf(r).root).toBe('skipped');
  });

  it('fails at "root" when the server lies about the leaf hash', async () => {
    const { source, state } = fakeLog();
    const leafHash = hashLeaf(utf8('never logged'));
    const honest = state.proof;
    state.proof = (i, n) => ({ ...(honest(i, n) as object), leaf_hash: toBase64(leafHash) });
    const r = await verifyReceipt({ index: 2, leafHash }, source);
    expect(failed(r)).toMatchObject({ id: 'root', code: 'root_mismatch' });
  });

  it('fails at "root" for a tampered path', async () => {
    const { source, state } = fakeLog();
    const honest = state.proof;
    state.proof = (i, n) => {
      const p = honest(i, n) as { hashes: string[] };
      const b = fromBase64(p.hashes[1]!)!;
      b[5]! ^= 0x40;
      p.hashes[1] = toBase64(b);
      return p;
    };
    const r = await verifyReceipt({ index: 6, leafHash: hashLeaf(LEAVES[6]!) }, source);
    expect(failed(r)).toMatchObject({ id: 'root', code: 'root_mismatch' });
  });

  it('fails at "signature" for a tampered checkpoint', async () => {
    const { source, state } = fakeLog();
    state.checkpoint = (state.checkpoint as string).replace('\n8\n', '\n7\n');
    const r = await verifyReceipt({ index: 0, leafHash: hashLeaf(LEAVES[0]!) }, source);
    expect(failed(r)).toMatchObject({ id: 'signature', code: 'note_bad_signature' });
    expect(statusOf(r)).toMatchObject({ key: 'ok', key_id: 'ok', checkpoint: 'ok', proof: 'skipped' });
  });

  it('fails at "signature" for a checkpoint signed by another key', async () => {
    const { source, state, body } = fakeLog();
    state.checkpoint = makeSigner('quanze.demo/ledger').sign(body);
    const r = await verifyReceipt({ index: 0, leafHash: hashLeaf(LEAVES[0]!) }, source);
    expect(failed(r)).toMatchObject({ id: 'signature', code: 'note_no_signature' });
  });

  it('fails at "key_id" when the key id does not match the key', async () => {
    const { source, state, signer } = fakeLog();
    state.key = signer.vkey.replace(`+${toHex(signer.keyId)}+`, '+00000000+');
    const r = await verifyReceipt({ index: 0, leafHash: hashLeaf(LEAVES[0]!) }, source);
    expect(failed(r)).toMatchObject({ id: 'key_id', code: 'key_id_mismatch' });
  });

  it('fails at "key" when the served key differs from the trusted one', async () => {
    const { source } = fakeLog();
    const r = await verifyReceipt({ index: 0, leafHash: hashLeaf(LEAVES[0]!) }, source, {
      trustedKey: makeSigner('quanze.demo/ledger').vkey,
    });
    expect(failed(r)).toMatchObject({ id: 'key', code: 'trusted_key_mismatch' });
  });

  it('passes with a matching trusted key', async () => {
    const { source, signer } = fakeLog();
    const r = await verifyReceipt({ index: 1, leafHash: hashLeaf(LEAVES[1]!) }, source, { trustedKey: ` ${signer.vkey}\n` });
    expect(r.ok).toBe(true);
  });

  it('fails at "covered" for an index beyond the checkpoint', async () => {
    const { source } = fakeLog({ size: 4 });
    const r = await verifyReceipt({ index: 4, leafHash: hashLeaf(LEAVES[4]!) }, source);
    expect(failed(r)).toMatchObject({ id: 'covered', code: 'not_covered', params: { index: 4, size: 4 } });
  });

  it('fails at "proof" for a proof of another position', async () => {
    const { source, state } = fakeLog();
    const honest = state.proof;
    state.proof = (i, n) => honest(i + 1, n);
    const r = await verifyReceipt({ index: 0, leafHash: hashLeaf(LEAVES[0]!) }, source);
    expect(failed(r)).toMatchObject({ id: 'proof', code: 'proof_mismatch' });
  });

  it('fails at "proof" for a malformed proof', async () => {
    const { source, state } = fakeLog();
    state.proof = () => ({ index: 0, size: 8, leaf_hash: 'zz', hashes: [] });
    const r = await verifyReceipt({ index: 0, leafHash: hashLeaf(LEAVES[0]!) }, source);
    expect(failed(r)).toMatchObject({ id: 'proof', code: 'proof_format' });
  });

  it('reports a network failure at the step that fetched', async () => {
    const { source } = fakeLog();
    source.fetchCheckpoint = async () => {
      throw new Error('HTTP 503');
    };
    const r = await verifyReceipt({ index: 0, leafHash: hashLeaf(LEAVES[0]!) }, source);
    expect(failed(r)).toMatchObject({ id: 'checkpoint', code: 'fetch_failed', params: { message: 'HTTP 503' } });
  });

  it('reports a bad receipt at the first step', async () => {
    const { source } = fakeLog();
    const r = await verifyReceipt(() => parseReceiptText('{"index":"x"}'), source);
    expect(failed(r)).toMatchObject({ id: 'receipt', code: 'receipt_index' });
    expect(r.steps.filter((s) => s.status === 'skipped')).toHaveLength(8);
  });

  it('parses the proof JSON strictly', () => {
    const leaf = toBase64(hashLeaf(LEAVES[0]!));
    expect(parseInclusionProof({ index: 0, size: 1, leaf_hash: leaf, hashes: [] }).hashes).toEqual([]);
    expect(() => parseInclusionProof({ index: '0', size: 1, leaf_hash: leaf, hashes: [] })).toThrow(LedgerFormatError);
    expect(() => parseInclusionProof({ index: 0, size: 1, leaf_hash: leaf, hashes: ['AAAA'] })).toThrow(LedgerFormatError);
    expect(() => parseInclusionProof(null)).toThrow(LedgerFormatError);
  });
});
