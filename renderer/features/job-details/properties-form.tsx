import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FerryClient } from '../../../app/contract.js';
import type { JobInfo } from '../../../app/model/job.js';
import { NotifyFlag } from '../../../app/model/notify-flags.js';
import type { NotifyFlagName } from '../../../app/model/notify-flags.js';
import { JOB_PRIORITIES } from '../../../app/model/priority.js';
import type { JobPriority } from '../../../app/model/priority.js';
import { PROXY_USAGES } from '../../../app/model/proxy.js';
import type { ProxyUsage } from '../../../app/model/proxy.js';
import { MAX_CONNECTIONS_PER_FILE } from '../../../app/model/transfer-policy.js';
import { isAllowed } from '../../../app/transitions.js';
import { useClient } from '../../client/client-context.js';
import { useFerryStoreApi } from '../../store/use-ferry-store.js';
import { UnitInput } from '../../components/unit-input.js';
import { DURATION_UNITS, SPEED_UNITS } from '../../i18n/units.js';
import { formatDuration } from '../../i18n/format.js';

/** The editable properties, as the form holds them. */
interface Draft {
  displayName: string;
  description: string;
  priority: JobPriority;
  retryDelay: string;
  noProgressTimeout: string;
  maxDownloadTime: string;
  connections: string;
  trustedCerts: string;
  speedLimit: string;
  proxyUsage: ProxyUsage;
  proxyList: string;
  bypassList: string;
  notifyFlags: number;
  program: string;
  args: string;
}

function draftOf(job: JobInfo): Draft {
  return {
    displayName: job.displayName,
    description: job.description,
    priority: job.priority,
    retryDelay: String(job.minimumRetryDelay),
    noProgressTimeout: String(job.noProgressTimeout),
    maxDownloadTime: String(job.maximumDownloadTime),
    connections:
      job.transferPolicy.connectionsPerFile === null
        ? ''
        : String(job.transferPolicy.connectionsPerFile),
    speedLimit: String(job.transferPolicy.speedLimit),
    trustedCerts: job.transferPolicy.trustedCertificates.join('\n'),
    proxyUsage: job.proxy.usage,
    proxyList: job.proxy.proxyList.join('\n'),
    bypassList: job.proxy.bypassList.join('\n'),
    notifyFlags: job.notifyFlags,
    program: job.notifyCmdLine?.program ?? '',
    args: job.notifyCmdLine?.args.join('\n') ?? '',
  };
}

const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** Sends one setter per changed property, in a fixed order; the first failure stops it. */
async function saveDraft(
  client: FerryClient,
  job: JobInfo,
  before: Draft,
  d: Draft,
): Promise<void> {
  const jobId = job.id;
  if (d.displayName !== before.displayName)
    await client.invoke('job.setDisplayName', { jobId, displayName: d.displayName });
  if (d.description !== before.description)
    await client.invoke('job.setDescription', { jobId, description: d.description });
  if (d.priority !== before.priority)
    await client.invoke('job.setPriority', { jobId, priority: d.priority });
  // A DO job has no retry delay of its own (Ferry's back-off times its retries).
  if (d.retryDelay !== before.retryDelay && isAllowed('setMinimumRetryDelay', job.state, job))
    await client.invoke('job.setMinimumRetryDelay', { jobId, seconds: Number(d.retryDelay) });
  if (d.noProgressTimeout !== before.noProgressTimeout)
    await client.invoke('job.setNoProgressTimeout', {
      jobId,
      seconds: Number(d.noProgressTimeout),
    });
  if (d.maxDownloadTime !== before.maxDownloadTime)
    await client.invoke('job.setMaximumDownloadTime', {
      jobId,
      seconds: Number(d.maxDownloadTime),
    });
  if (
    d.connections !== before.connections ||
    d.speedLimit !== before.speedLimit ||
    d.trustedCerts !== before.trustedCerts
  ) {
    await client.invoke('job.setTransferPolicy', {
      jobId,
      connectionsPerFile: d.connections === '' ? null : Number(d.connections),
      speedLimit: Number(d.speedLimit),
      // The host normalises pasted forms (colons, upper case) and names a bad one.
      trustedCertificates: lines(d.trustedCerts),
    });
  }
  if (
    d.proxyUsage !== before.proxyUsage ||
    d.proxyList !== before.proxyList ||
    d.bypassList !== before.bypassList
  ) {
    const override = d.proxyUsage === 'OVERRIDE';
    await client.invoke('job.setProxySettings', {
      jobId,
      proxy: {
        usage: d.proxyUsage,
        proxyList: override ? lines(d.proxyList) : [],
        bypassList: override ? lines(d.bypassList) : [],
      },
    });
  }
  if (d.notifyFlags !== before.notifyFlags)
    await client.invoke('job.setNotifyFlags', { jobId, flags: d.notifyFlags });
  if (d.program !== before.program || d.args !== before.args) {
    await client.invoke('job.setNotifyCmdLine', {
      jobId,
      cmdLine: d.program.trim() === '' ? null : { program: d.program.trim(), args: lines(d.args) },
    });
  }
}

function Field({
  label,
  children,
}: {
  readonly label: string;
  readonly children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

/**
 * The job's BITS properties, editable while the state allows setters (every non-final
 * state); a final job shows them read-only. Remounted per job (keyed by id) by its parent.
 */
export function PropertiesForm({ job }: { readonly job: JobInfo }) {
  const { t, i18n } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const [before, setBefore] = useState(() => draftOf(job));
  const [draft, setDraft] = useState(before);
  const [busy, setBusy] = useState(false);
  const editable = isAllowed('setProperty', job.state, job);
  const ownRetryDelay = isAllowed('setMinimumRetryDelay', job.state, job) || !editable;
  const dirty = JSON.stringify(draft) !== JSON.stringify(before);
  const put = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
  };

  const save = async () => {
    setBusy(true);
    try {
      await saveDraft(client, job, before, draft);
      setBefore(draft);
      store.getState().pushNotice({ key: 'details.saved', kind: 'info' });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      store.getState().pushNotice({
        key: 'notices.failed',
        params: { action: 'details.save', message },
        kind: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="properties"
      aria-label={t('details.properties')}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {!editable && <p className="muted">{t('details.readOnly')}</p>}
      <fieldset disabled={!editable || busy}>
        <Field label={t('details.displayName')}>
          {(id) => (
            <input
              id={id}
              value={draft.displayName}
              maxLength={256}
              required
              onChange={(e) => {
                put('displayName', e.target.value);
              }}
            />
          )}
        </Field>
        <Field label={t('details.description')}>
          {(id) => (
            <textarea
              id={id}
              rows={2}
              maxLength={1024}
              value={draft.description}
              onChange={(e) => {
                put('description', e.target.value);
              }}
            />
          )}
        </Field>
        <Field label={t('details.priority')}>
          {(id) => (
            <select
              id={id}
              value={draft.priority}
              onChange={(e) => {
                put('priority', JOB_PRIORITIES.find((p) => p === e.target.value) ?? 'NORMAL');
              }}
            >
              {JOB_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priorities.${p}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {ownRetryDelay ? (
          <Field label={t('details.retryDelay')}>
            {(id) => (
              <UnitInput
                id={id}
                label={t('details.retryDelay')}
                value={Number(draft.retryDelay)}
                units={DURATION_UNITS}
                onChange={(v) => {
                  put('retryDelay', v === null ? '' : String(v));
                }}
              />
            )}
          </Field>
        ) : (
          <p className="muted" data-field="retry-delay-do">
            {t('details.retryDelayDo', {
              time: formatDuration(job.minimumRetryDelay, i18n.language),
            })}
          </p>
        )}
        <Field label={t('details.noProgressTimeout')}>
          {(id) => (
            <UnitInput
              id={id}
              label={t('details.noProgressTimeout')}
              value={Number(draft.noProgressTimeout)}
              units={DURATION_UNITS}
              onChange={(v) => {
                put('noProgressTimeout', v === null ? '' : String(v));
              }}
            />
          )}
        </Field>
        <Field label={t('details.maxDownloadTime')}>
          {(id) => (
            <UnitInput
              id={id}
              label={t('details.maxDownloadTime')}
              value={Number(draft.maxDownloadTime)}
              units={DURATION_UNITS}
              onChange={(v) => {
                put('maxDownloadTime', v === null ? '' : String(v));
              }}
            />
          )}
        </Field>
        <Field label={t('details.connections')}>
          {(id) => (
            <select
              id={id}
              value={draft.connections}
              onChange={(e) => {
                put('connections', e.target.value);
              }}
            >
              <option value="">{t('details.connectionsDefault')}</option>
              {Array.from({ length: MAX_CONNECTIONS_PER_FILE }, (_, i) => (
                <option key={i} value={String(i + 1)}>
                  {i + 1}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('details.speedLimit')}>
          {(id) => (
            <UnitInput
              id={id}
              label={t('details.speedLimit')}
              value={Number(draft.speedLimit)}
              units={SPEED_UNITS}
              onChange={(v) => {
                put('speedLimit', v === null ? '' : String(v));
              }}
            />
          )}
        </Field>
        <Field label={t('details.proxy')}>
          {(id) => (
            <select
              id={id}
              value={draft.proxyUsage}
              onChange={(e) => {
                put('proxyUsage', PROXY_USAGES.find((u) => u === e.target.value) ?? 'PRECONFIG');
              }}
            >
              {PROXY_USAGES.map((u) => (
                <option key={u} value={u}>
                  {t(`proxyUsage.${u}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.proxyUsage === 'OVERRIDE' && (
          <>
            <Field label={t('details.proxyList')}>
              {(id) => (
                <textarea
                  id={id}
                  rows={2}
                  value={draft.proxyList}
                  onChange={(e) => {
                    put('proxyList', e.target.value);
                  }}
                />
              )}
            </Field>
            <Field label={t('details.bypassList')}>
              {(id) => (
                <textarea
                  id={id}
                  rows={2}
                  value={draft.bypassList}
                  onChange={(e) => {
                    put('bypassList', e.target.value);
                  }}
                />
              )}
            </Field>
          </>
        )}
        <Field label={t('details.trustedCerts')}>
          {(id) => (
            <textarea
              id={id}
              rows={2}
              spellCheck={false}
              placeholder="sha256:…"
              value={draft.trustedCerts}
              onChange={(e) => {
                put('trustedCerts', e.target.value);
              }}
            />
          )}
        </Field>
        <p className="muted" data-help="trusted-certs">
          {t('details.trustedCertsHelp')}
        </p>
        <fieldset className="flags">
          <legend>{t('details.notify')}</legend>
          {(Object.keys(NotifyFlag) as NotifyFlagName[]).map((name) => (
            <label key={name}>
              <input
                type="checkbox"
                checked={(draft.notifyFlags & NotifyFlag[name]) !== 0}
                onChange={(e) => {
                  put(
                    'notifyFlags',
                    e.target.checked
                      ? draft.notifyFlags | NotifyFlag[name]
                      : draft.notifyFlags & ~NotifyFlag[name],
                  );
                }}
              />{' '}
              {t(`notifyFlags.${name}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('details.notifyCmd')}</legend>
          <Field label={t('details.notifyProgram')}>
            {(id) => (
              <input
                id={id}
                value={draft.program}
                spellCheck={false}
                onChange={(e) => {
                  put('program', e.target.value);
                }}
              />
            )}
          </Field>
          <Field label={t('details.notifyArgs')}>
            {(id) => (
              <textarea
                id={id}
                rows={2}
                value={draft.args}
                spellCheck={false}
                onChange={(e) => {
                  put('args', e.target.value);
                }}
              />
            )}
          </Field>
        </fieldset>
        <button type="submit" className="primary" disabled={!dirty}>
          {t('details.save')}
        </button>
      </fieldset>
    </form>
  );
}
