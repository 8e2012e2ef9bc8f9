import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { PROXY_USAGES } from '../../../app/model/proxy.js';
import type { ProxySettings, ProxyUsage } from '../../../app/model/proxy.js';

/** The default proxy as the dialog edits it: the lists as text, one entry per line. */
export interface ProxyDraft {
  readonly usage: ProxyUsage;
  readonly proxyList: string;
  readonly bypassList: string;
}

/** The draft of stored proxy settings. */
export function draftOfProxy(proxy: ProxySettings): ProxyDraft {
  return {
    usage: proxy.usage,
    proxyList: proxy.proxyList.join('\n'),
    bypassList: proxy.bypassList.join('\n'),
  };
}

/** The settings a draft stands for; the lists only count with OVERRIDE (BITS keeps them empty). */
export function proxyOfDraft(draft: ProxyDraft): ProxySettings {
  const lines = (text: string) =>
    text
      .split(/[\r\n,]+/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
  const override = draft.usage === 'OVERRIDE';
  return {
    usage: draft.usage,
    proxyList: override ? lines(draft.proxyList) : [],
    bypassList: override ? lines(draft.bypassList) : [],
  };
}

/**
 * The default proxy of new downloads: the system's, none, or the proxies given here (with
 * hosts that bypass them). A user name and password go in the address, as curl takes them.
 */
export function ProxyEditor({
  draft,
  onChange,
}: {
  readonly draft: ProxyDraft;
  readonly onChange: (draft: ProxyDraft) => void;
}) {
  const { t } = useTranslation();
  const usageId = useId();
  const listId = useId();
  const bypassId = useId();
  return (
    <fieldset className="proxy-editor">
      <legend>{t('settings.network.proxy')}</legend>
      <div className="field">
        <label htmlFor={usageId}>{t('settings.network.usage')}</label>
        <select
          id={usageId}
          value={draft.usage}
          onChange={(e) => {
            onChange({
              ...draft,
              usage: PROXY_USAGES.find((u) => u === e.target.value) ?? 'PRECONFIG',
            });
          }}
        >
          {PROXY_USAGES.map((u) => (
            <option key={u} value={u}>
              {t(`proxyUsage.${u}`)}
            </option>
          ))}
        </select>
      </div>
      {draft.usage === 'OVERRIDE' && (
        <>
          <div className="field">
            <label htmlFor={listId}>{t('settings.network.proxyList')}</label>
            <textarea
              id={listId}
              rows={2}
              spellCheck={false}
              placeholder="http://proxy.example:3128"
              value={draft.proxyList}
              onChange={(e) => {
                onChange({ ...draft, proxyList: e.target.value });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={bypassId}>{t('settings.network.bypassList')}</label>
            <textarea
              id={bypassId}
              rows={2}
              spellCheck={false}
              placeholder="<local>"
              value={draft.bypassList}
              onChange={(e) => {
                onChange({ ...draft, bypassList: e.target.value });
              }}
            />
          </div>
        </>
      )}
      <p className="muted" data-help="proxy">
        {t('settings.network.proxyHelp')}
      </p>
    </fieldset>
  );
}
