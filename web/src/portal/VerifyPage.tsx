// 存证核验: a citizen checks a receipt against the public log, in the browser.
// All verification logic is in lib/ledger.ts; this page collects the
// receipt, runs verifyReceipt against the server's public endpoints and
// explains every step.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Button, Input, Segmented } from 'antd';
import {
  CheckCircleFilled,
  CloseCircleFilled,
  LoadingOutlined,
  MinusCircleOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { useI18n, type TFunction } from '../i18n/I18nProvider';
import { zh, type MessageKey } from '../i18n/messages';
import { errorMessage } from '../lib/api';
import { httpLedgerSource } from '../lib/endpoints';
import {
  LedgerFormatError,
  parseReceiptFields,
  parseReceiptText,
  STEP_ORDER,
  toBase64,
  verifyReceipt,
  type LedgerSource,
  type Receipt,
  type StepId,
  type StepResult,
  type VerificationReport,
} from '../lib/ledger';

type Mode = 'fields' | 'json';


function isMessageKey(k: string): k is MessageKey {
  return k in zh;
}

function stepSentence(t: TFunction, step: StepResult): string {
  if (step.status === 'skipped') return t('step.skipped');
  const key = step.status === 'ok' ? `step.ok.${step.id}` : `ledger.err.${step.code ?? 'fetch_failed'}`;
  if (isMessageKey(key)) return t(key, step.params);
  return t('ledger.err.fetch_failed', { message: step.code ?? '' });
}

function StepIcon({ status }: { status: StepResult['status'] | 'running' }) {
  switch (status) {
    case 'ok':
      return <CheckCircleFilled className="qz-step-icon ok" aria-label="✓" />;
    case 'fail':
      return <CloseCircleFilled className="qz-step-icon fail" aria-label="✗" />;
    case 'running':
      return <LoadingOutlined className="qz-step-icon running" />;
    default:
      return <MinusCircleOutlined className="qz-step-icon skipped" aria-label="–" />;
  }
}

function Verdict({ report, t }: { report: VerificationReport; t: TFunction }) {
  const failedStep = report.steps.find((s) => s.status === 'fail');
  if (report.ok) {
    return (
      <Alert
        type="success"
        showIcon
        icon={<SafetyCertificateOutlined />}
        data-testid="verify-verdict"
        data-status="ok"
        message={<span className="qz-verdict-title">{t('verify.ok')}</span>}
        description={
          <>
            <div>
              {t('verify.okSub', {
                index: report.receipt?.index,
                size: report.checkpoint?.size,
                key: report.key ? `${report.key.name}+${report.key.keyIdHex}` : '',
              })}
            </div>
            <div className="qz-muted">
              {t('verify.keyFingerprint', { key: report.key ? `${report.key.name}+${report.key.keyIdHex}` : '' })}
            </div>
          </>
        }
      />
    );
  }
  const notYet = failedStep?.code === 'not_covered';
  return (
    <Alert
      type={notYet ? 'warning' : 'error'}
      showIcon
      data-testid="verify-verdict"
      data-status={notYet ? 'pending' : 'fail'}
      data-failed-step={failedStep?.id}
      message={<span className="qz-verdict-title">{notYet ? t('verify.notCovered') : t('verify.failed')}</span>}
      description={failedStep ? stepSentence(t, failedStep) : undefined}
    />
  );
}

export default function VerifyPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const [mode, setMode] = useState<Mode>('fields');
  const [indexText, setIndexText] = useState('');
  const [leafHashText, setLeafHashText] = useState('');
  const [jsonText, setJsonText] = useState('');
  const [trustedKey, setTrustedKey] = useState('');
  const [steps, setSteps] = useState<StepResult[]>([]);
  const [report, setReport] = useState<VerificationReport | null>(null);
  const [running, setRunning] = useState(false);
  const [runNonce, setRunNonce] = useState(0);
  const runId = useRef(0);
  const langRef = useRef(lang);
  langRef.current = lang;
  const trustedKeyRef = useRef(trustedKey);
  trustedKeyRef.current = trustedKey;

  const urlIndex = params.get('index');
  const urlLeafHash = params.get('leaf_hash');

  const run = useCallback(async (receipt: Receipt | (() => Receipt)) => {
    const id = ++runId.current;
    setRunning(true);
    setReport(null);
    setSteps([]);
    // Server errors become sentences in the UI language.
    const localize =
      <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
      async (...a: A) => {
        try {
          return await f(...a);
        } catch (e) {
          throw new Error(errorMessage(e, langRef.current));
        }
      };
    const source: LedgerSource = {
      fetchKey: localize(httpLedgerSource.fetchKey),
      fetchCheckpoint: localize(httpLedgerSource.fetchCheckpoint),
      fetchInclusionProof: localize(httpLedgerSource.fetchInclusionProof),
    };
    const r = await verifyReceipt(receipt, source, {
      trustedKey: trustedKeyRef.current,
      onStep: (s) => {
        if (runId.current === id) setSteps((prev) => [...prev, s]);
      },
    });
    if (runId.current !== id) return;
    setReport(r);
    setRunning(false);
  }, []);

  // The URL (?index=&leaf_hash=) is the source of truth for what is verified,
  // so a result can be bookmarked or shared as a link.
  useEffect(() => {
    if (urlIndex === null && urlLeafHash === null) return;
    setIndexText(urlIndex ?? '');
    setLeafHashText(urlLeafHash?.replace(/ /g, '+') ?? '');
    setMode('fields');
    void run(() => parseReceiptFields(urlIndex ?? '', urlLeafHash ?? ''));
  }, [urlIndex, urlLeafHash, runNonce, run]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    let receipt: Receipt;
    try {
      receipt = mode === 'json' ? parseReceiptText(jsonText) : parseReceiptFields(indexText, leafHashText);
    } catch (err) {
      if (err instanceof LedgerFormatError) {
        // Shown as the failed first step.
        void run(() => {
          throw err;
        });
        return;
      }
      throw err;
    }
    const index = String(receipt.index);
    const leafHash = toBase64(receipt.leafHash);
    if (urlIndex === index && urlLeafHash === leafHash) {
      setRunNonce((n) => n + 1);
    } else {
      setParams({ index, leaf_hash: leafHash }, { replace: true });
    }
  };

  const shown = new Map(steps.map((s) => [s.id, s]));
  const runningStep: StepId | undefined = running ? STEP_ORDER.find((id) => !shown.has(id)) : undefined;

  return (
    <div className="qz-verify">
      <h1 className="qz-page-title">{t('verify.title')}</h1>
      <p className="qz-verify-intro">{t('verify.intro')}</p>

      <form className="qz-panel qz-verify-form" onSubmit={onSubmit} noValidate>
        <Segmented<Mode>
          value={mode}
          onChange={setMode}
          options={[
            { value: 'fields', label: t('verify.mode.fields') },
            { value: 'json', label: t('verify.mode.json') },
          ]}
          data-testid="verify-mode"
        />
        {mode === 'fields' ? (
          <div className="qz-verify-row">
            <label className="qz-field qz-verify-index">
              <span className="qz-field-label">{t('verify.index')}</span>
              <Input
                value={indexText}
                onChange={(e) => setIndexText(e.target.value)}
                inputMode="numeric"
                autoComplete="off"
                placeholder="0"
                data-testid="verify-index"
              />
            </label>
            <label className="qz-field qz-verify-hash">
              <span className="qz-field-label">{t('verify.leafHash')}</span>
              <Input
                value={leafHashText}
                onChange={(e) => setLeafHashText(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                className="qz-mono"
                data-testid="verify-leaf-hash"
              />
              <span className="qz-field-hint">{t('verify.leafHashHint')}</span>
            </label>
          </div>
        ) : (
          <label className="qz-field">
            <span className="qz-field-label">{t('verify.json')}</span>
            <Input.TextArea
              value={jsonText}
              onChange={(e) => setJsonText(e.target.value)}
              rows={3}
              spellCheck={false}
              className="qz-mono"
              placeholder={t('verify.jsonPlaceholder')}
              data-testid="verify-json"
            />
          </label>
        )}
        <details className="qz-details">
          <summary>{t('verify.advanced')}</summary>
          <label className="qz-field">
            <span className="qz-field-label">{t('verify.trustedKey')}</span>
            <Input.TextArea
              value={trustedKey}
              onChange={(e) => setTrustedKey(e.target.value)}
              rows={2}
              spellCheck={false}
              className="qz-mono"
              data-testid="verify-trusted-key"
            />
            <span className="qz-field-hint">{t('verify.trustedKeyHint')}</span>
          </label>
        </details>
        <Button type="primary" htmlType="submit" loading={running} icon={<SafetyCertificateOutlined />} data-testid="verify-submit">
          {running ? t('verify.running') : t('verify.submit')}
        </Button>
      </form>

      {report && <Verdict report={report} t={t} />}

      {(steps.length > 0 || running) && (
        <div className="qz-panel qz-verify-steps">
          <ol className="qz-steps" data-testid="verify-steps">
            {STEP_ORDER.map((id) => {
              const s = shown.get(id);
              if (!s && id !== runningStep) return null;
              const status = s?.status ?? 'running';
              return (
                <li key={id} className={`qz-step ${status}`} data-testid={`verify-step-${id}`} data-status={status}>
                  <StepIcon status={status} />
                  <div className="qz-step-body">
                    <div className="qz-step-title">{t(`step.${id}` as MessageKey)}</div>
                    {s && <div className="qz-step-text">{stepSentence(t, s)}</div>}
                  </div>
                </li>
              );
            })}
          </ol>
        </div>
      )}

      {report?.checkpoint && (
        <details className="qz-panel qz-details qz-verify-details">
          <summary>{t('verify.details')}</summary>
          <dl className="qz-facts">
            {report.receipt && (
              <>
                <dt>{t('verify.receipt')}</dt>
                <dd>{JSON.stringify({ index: report.receipt.index, leaf_hash: toBase64(report.receipt.leafHash) })}</dd>
              </>
            )}
            {report.key && (
              <>
                <dt>{t('verify.trustedKey')}</dt>
                <dd>{report.key.text}</dd>
              </>
            )}
            <dt>{t('verify.origin')}</dt>
            <dd>{report.checkpoint.origin}</dd>
            <dt>{t('verify.size')}</dt>
            <dd>{report.checkpoint.size}</dd>
            <dt>{t('verify.checkpointRoot')}</dt>
            <dd>{toBase64(report.checkpoint.root)}</dd>
            {report.computedRoot && (
              <>
                <dt>{t('verify.computedRoot')}</dt>
                <dd>{toBase64(report.computedRoot)}</dd>
              </>
            )}
          </dl>
        </details>
      )}
    </div>
  );
}
