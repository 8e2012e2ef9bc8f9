import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IntegrationState, PairedExtension } from '../../../app/browser.js';
import { useClient } from '../../client/client-context.js';
import { usePairings } from './use-pairings.js';

/**
 * The settings' browser section: the paired extensions with a Revoke button each, and the
 * native host's registration with the browsers (what `ferry integrate` does).
 */
export function BrowserSettings() {
  const { t } = useTranslation();
  const { client } = useClient();
  const pairings = usePairings();
  const [integration, setIntegration] = useState<readonly IntegrationState[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    client.invoke('browser.integrationStatus', {}).then(setIntegration, () => undefined);
  }, [client]);

  const fail = (error: unknown): void => {
    setProblem(error instanceof Error ? error.message : String(error));
  };
  const revoke = (entry: PairedExtension): void => {
    client
      .invoke('browser.revoke', {
        extension: { browser: entry.browser, extensionId: entry.extensionId },
      })
      .catch(fail);
  };
  const integrate = (install: boolean): void => {
    setProblem(null);
    client.invoke('browser.integrate', { install }).then(setIntegration, fail);
  };
  const installed = integration?.filter((state) => state.installed) ?? [];

  return (
    <section className="browser-settings" aria-label={t('browser.settingsTitle')}>
      <h3>{t('browser.settingsTitle')}</h3>
      <p>
        {installed.length === 0
          ? t('browser.integrationNone')
          : t('browser.integrationFor', {
              browsers: installed.map((state) => t(`browser.names.${state.browser}`)).join(', '),
            })}
      </p>
      <div className="row">
        <button
          type="button"
          onClick={() => {
            integrate(true);
          }}
        >
          {t(installed.length === 0 ? 'browser.install' : 'browser.reinstall')}
        </button>
        {installed.length > 0 && (
          <button
            type="button"
            onClick={() => {
              integrate(false);
            }}
          >
            {t('browser.uninstall')}
          </button>
        )}
      </div>
      <h4>{t('browser.pairedTitle')}</h4>
      {pairings === null || pairings.paired.length === 0 ? (
        <p>{t('browser.noneAllowed')}</p>
      ) : (
        <ul className="paired-extensions">
          {pairings.paired.map((entry) => (
            <li key={`${entry.browser}:${entry.extensionId}`} data-extension-id={entry.extensionId}>
              <span>
                {entry.label} · {t(`browser.families.${entry.browser}`)} · {entry.extensionId}
              </span>
              <button
                type="button"
                onClick={() => {
                  revoke(entry);
                }}
              >
                {t('browser.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {problem !== null && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
