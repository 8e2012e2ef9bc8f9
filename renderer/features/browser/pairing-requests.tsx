import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PairingRequest } from '../../../app/browser.js';
import { useClient } from '../../client/client-context.js';
import { useFerryStoreApi } from '../../store/use-ferry-store.js';
import { usePairings } from './use-pairings.js';

/**
 * Asks the user, once per extension, whether a browser extension may hand downloads to
 * Ferry: a banner per waiting request with Allow and Deny. Nothing from that extension
 * reaches the engine before Allow; Deny holds until Ferry restarts.
 */
export function PairingRequests() {
  const pairings = usePairings();
  if (pairings === null || pairings.pending.length === 0) return null;
  return (
    <>
      {pairings.pending.map((request) => (
        <PairingBanner key={`${request.browser}:${request.extensionId}`} request={request} />
      ))}
    </>
  );
}

function PairingBanner({ request }: { readonly request: PairingRequest }) {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const [busy, setBusy] = useState(false);
  const answer = (allow: boolean): void => {
    setBusy(true);
    client
      .invoke('browser.decide', {
        extension: { browser: request.browser, extensionId: request.extensionId },
        allow,
      })
      .catch((error: unknown) => {
        setBusy(false);
        store.getState().pushNotice({
          key: 'browser.answerFailed',
          params: { message: error instanceof Error ? error.message : String(error) },
          kind: 'error',
        });
      });
  };
  return (
    <div
      className="banner pairing-request"
      role="alertdialog"
      aria-label={t('browser.requestTitle')}
      data-extension-id={request.extensionId}
    >
      <span>
        {t('browser.request', {
          label: request.label,
          browser: t(`browser.families.${request.browser}`),
          id: request.extensionId,
        })}
      </span>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          answer(true);
        }}
      >
        {t('browser.allow')}
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          answer(false);
        }}
      >
        {t('browser.deny')}
      </button>
    </div>
  );
}
