// Small plain-markup building blocks for the public portal's pages, which stay
// free of antd to keep a citizen's first download small.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/api';

export function ErrorBox({ error, onRetry, testId }: { error: unknown; onRetry?: () => void; testId?: string }) {
  const { t, lang } = useI18n();
  if (error === null || error === undefined) return null;
  return (
    <div className="qz-alert error" role="alert" data-testid={testId}>
      <span>{errorMessage(error, lang)}</span>
      {onRetry ? (
        <button type="button" className="qz-btn small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Notice({ kind, children }: { kind: 'info' | 'warning'; children: ReactNode }) {
  return <div className={`qz-alert ${kind}`}>{children}</div>;
}

/** Page numbers 1…count with "previous"/"next"; shows at most 7 numbers. */
export function Pager({
  page,
  count,
  onChange,
  testId,
}: {
  page: number;
  count: number;
  onChange: (p: number) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  if (count <= 1) return null;
  const nums = new Set<number>([1, count, page - 1, page, page + 1, page - 2, page + 2].filter((n) => n >= 1 && n <= count));
  const list = [...nums].sort((a, b) => a - b);
  const out: ReactNode[] = [];
  list.forEach((n, i) => {
    if (i > 0 && n - (list[i - 1] ?? n) > 1) out.push(<span key={`gap${n}`} className="qz-pager-gap">…</span>);
    out.push(
      <button
        key={n}
        type="button"
        className={n === page ? 'qz-btn small current' : 'qz-btn small'}
        aria-current={n === page ? 'page' : undefined}
        onClick={() => onChange(n)}
      >
        {n}
      </button>,
    );
  });
  return (
    <nav className="qz-plain-pager" aria-label="pagination" data-testid={testId}>
      <button type="button" className="qz-btn small" disabled={page <= 1} onClick={() => onChange(page - 1)}>
        ‹ {t('regions.prev')}
      </button>
      {out}
      <button type="button" className="qz-btn small" disabled={page >= count} onClick={() => onChange(page + 1)}>
        {t('regions.next')} ›
      </button>
    </nav>
  );
}
