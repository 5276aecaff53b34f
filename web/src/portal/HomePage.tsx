// 首页. Plain markup + CSS: this page is in the entry chunk.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { getHealth, type Health } from '../lib/endpoints';

const cards: { to: string; glyph: string; title: MessageKey; text: MessageKey }[] = [
  { to: '/catalogue', glyph: '目', title: 'home.card.catalogue', text: 'home.card.catalogueText' },
  { to: '/verify', glyph: '证', title: 'home.card.verify', text: 'home.card.verifyText' },
  { to: '/login', glyph: '办', title: 'home.card.console', text: 'home.card.consoleText' },
];

export function HomePage() {
  const { t, lang } = useI18n();
  const [health, setHealth] = useState<Health | null | 'error'>(null);

  useEffect(() => {
    const ac = new AbortController();
    getHealth(ac.signal).then(setHealth, (e: unknown) => {
      if (!ac.signal.aborted) {
        console.warn('healthz', e);
        setHealth('error');
      }
    });
    return () => ac.abort();
  }, []);

  const size = health && health !== 'error' ? health.ledger_size.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en') : '…';
  const version = health && health !== 'error' ? health.version : '…';

  return (
    <div className="qz-home">
      <section className="qz-hero">
        <h1 className="qz-hero-title">{t('home.heroTitle')}</h1>
        <p className="qz-hero-text">{t('home.heroText')}</p>
      </section>
      <div className="qz-home-cards">
        {cards.map((c) => (
          <Link to={c.to} className="qz-home-card" key={c.to} data-testid={`home-card-${c.to.slice(1)}`}>
            <span className="qz-home-card-glyph" aria-hidden="true">
              {c.glyph}
            </span>
            <span className="qz-home-card-title">{t(c.title)}</span>
            <span className="qz-home-card-text">{t(c.text)}</span>
          </Link>
        ))}
      </div>
      <section className="qz-home-stats" aria-label={t('home.stats')}>
        <h2>{t('home.stats')}</h2>
        {health === 'error' ? (
          <p className="qz-muted">{t('home.statsUnavailable')}</p>
        ) : (
          <dl>
            <div>
              <dt>{t('home.statsSize')}</dt>
              <dd data-testid="home-ledger-size">{size}</dd>
            </div>
            <div>
              <dt>{t('home.statsVersion')}</dt>
              <dd>{version}</dd>
            </div>
          </dl>
        )}
      </section>
    </div>
  );
}
