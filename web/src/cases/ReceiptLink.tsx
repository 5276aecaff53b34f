// A link from a ledger receipt to the public /verify page. Receipts handed out
// by a POST carry the leaf hash; receipts listed later (steps, disclosures)
// carry only the index, so the leaf hash the log holds at that index is
// fetched on click (an inclusion proof against the latest checkpoint), and
// /verify then checks that entry against the signed checkpoint in the browser.
// Plain markup: used by portal pages too.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { logLeafHash, type StepReceipt } from '../lib/endpoints';

export const verifyHref = (index: number, leafHash: string) =>
  `/verify?${new URLSearchParams({ index: String(index), leaf_hash: leafHash }).toString()}`;

export function ReceiptLink({ receipt, label }: { receipt: StepReceipt | null | undefined; label?: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  if (!receipt || typeof receipt.index !== 'number') return null;
  const text = label ?? t('disc.receipt', { n: receipt.index });
  if (receipt.leaf_hash) {
    return (
      <Link to={verifyHref(receipt.index, receipt.leaf_hash)} className="qz-receipt-link" data-testid={`receipt-${receipt.index}`} data-index={receipt.index}>
        {text}
      </Link>
    );
  }
  return (
    <button
      type="button"
      className="qz-link-button qz-receipt-link"
      disabled={busy}
      data-testid={`receipt-${receipt.index}`}
      data-index={receipt.index}
      onClick={async () => {
        setBusy(true);
        try {
          navigate(verifyHref(receipt.index, await logLeafHash(receipt.index)));
        } catch {
          navigate(`/verify?index=${receipt.index}`);
        } finally {
          setBusy(false);
        }
      }}
    >
      {busy ? '…' : text}
    </button>
  );
}
