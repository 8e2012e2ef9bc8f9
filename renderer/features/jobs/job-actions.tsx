import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FerryClient, JobBatchAction, JobsBatchOutput } from '../../../app/contract.js';
import type { JobId } from '../../../app/model/ids.js';
import type { JobInfo } from '../../../app/model/job.js';
import { useClient } from '../../client/client-context.js';
import { Modal } from '../../components/modal.js';
import { appliesTo } from '../../store/selectors.js';
import type { JobAction } from '../../store/selectors.js';
import type { FerryStore } from '../../store/index.js';
import { jobInGroup } from '../../store/state-groups.js';
import { useFerryStoreApi } from '../../store/use-ferry-store.js';

/** What each window action sends as `jobs.batch` (Retry is Resume of a failed download). */
const BATCH: Readonly<Record<JobAction, JobBatchAction>> = {
  resume: 'resume',
  suspend: 'suspend',
  retry: 'resume',
  complete: 'complete',
  cancel: 'cancel',
  remove: 'remove',
  moveUp: 'moveUp',
  moveDown: 'moveDown',
};

/** Actions on every download at once, from the toolbar. */
export type GlobalAction = 'pauseAll' | 'startAll' | 'clearFinished';

/** Asks for an action on jobs; confirms first where it destroys data. */
export type RequestAction = (action: JobAction, ids: readonly JobId[]) => void;

/** The action runner shared by the toolbar, the context menu and the keyboard. */
export interface JobActions {
  readonly request: RequestAction;
  readonly runGlobal: (action: GlobalAction) => void;
}

const ActionsContext = createContext<JobActions | null>(null);

function useActions(): JobActions {
  const actions = useContext(ActionsContext);
  if (actions === null) throw new Error('job actions used outside <JobActionsProvider>');
  return actions;
}

/** Runs an action on a selection (toolbar, menu, keys). */
export function useRequestAction(): RequestAction {
  return useActions().request;
}

/** Runs Pause all, Start all or Clear finished. */
export function useGlobalAction(): JobActions['runGlobal'] {
  return useActions().runGlobal;
}

interface Pending {
  readonly action: 'cancel' | 'remove';
  readonly jobs: readonly JobInfo[];
}

/** Tells the user how a batch went: "N of M done" with the reasons of the refusals. */
function report(store: FerryStore, action: JobAction, result: JobsBatchOutput): void {
  const state = store.getState();
  if (result.failed.length === 0) {
    if (result.done > 1) {
      state.pushNotice({
        key: `notices.batch.${action}`,
        params: { count: result.done },
        kind: 'info',
      });
    }
    return;
  }
  // Distinct reasons, most frequent first, so 2,000 identical refusals read as one.
  const reasons = new Map<string, number>();
  for (const f of result.failed)
    reasons.set(f.error.message, (reasons.get(f.error.message) ?? 0) + 1);
  const reason = [...reasons]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([message, n]) => (n > 1 ? `${message} (×${String(n)})` : message))
    .join('; ');
  state.pushNotice({
    key: 'notices.batchPartial',
    params: {
      action: `actions.${action}`,
      done: result.done,
      count: result.requested,
      reason,
    },
    kind: 'error',
    sticky: true,
  });
}

/** Sends one batched command and reports it; a refused command is reported too. */
async function runBatch(
  client: FerryClient,
  store: FerryStore,
  action: JobAction,
  jobIds: readonly JobId[],
  deleteFiles = false,
): Promise<void> {
  if (jobIds.length === 0) return;
  try {
    const result = await client.invoke('jobs.batch', {
      action: BATCH[action],
      jobIds: [...jobIds],
      deleteFiles,
    });
    report(store, action, result);
  } catch (error) {
    store.getState().pushNotice({
      key: 'notices.failed',
      params: {
        action: `actions.${action}`,
        message: error instanceof Error ? error.message : String(error),
      },
      kind: 'error',
      sticky: true,
    });
  }
}

/**
 * Runs the window's actions on downloads: each as one `jobs.batch` command for the selected
 * jobs it applies to (the others are skipped, not refused), so 2,000 rows resume in one click.
 *
 * Cancel always asks (it deletes partial files); Remove asks, and offers to delete the files.
 */
export function JobActionsProvider({ children }: { readonly children: ReactNode }) {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const [pending, setPending] = useState<Pending | null>(null);
  const [deleteFiles, setDeleteFiles] = useState(false);

  const request = useCallback<RequestAction>(
    (action, ids) => {
      const { jobs } = store.getState();
      const targets = ids
        .map((id) => jobs.get(id))
        .filter((job): job is JobInfo => job !== undefined && appliesTo(action, job.state));
      if (targets.length === 0) return;
      if (action === 'cancel' || action === 'remove') {
        setDeleteFiles(false);
        setPending({ action, jobs: targets });
        return;
      }
      void runBatch(
        client,
        store,
        action,
        targets.map((j) => j.id),
      );
    },
    [client, store],
  );

  const runGlobal = useCallback(
    (action: GlobalAction) => {
      const state = store.getState();
      const all = [...state.jobs.values()];
      if (action === 'pauseAll') {
        void runBatch(
          client,
          store,
          'suspend',
          all.filter((j) => appliesTo('suspend', j.state)).map((j) => j.id),
        );
      } else if (action === 'startAll') {
        const ids = all
          .filter((j) => j.state === 'SUSPENDED' || j.state === 'ERROR')
          .map((j) => j.id);
        void runBatch(client, store, 'resume', ids);
      } else {
        const now = Date.now();
        const cleared = all.filter(
          (j) =>
            j.state === 'ACKNOWLEDGED' &&
            jobInGroup(j, 'finished', state.settings?.app.listClearedBefore ?? 0),
        ).length;
        client
          .invoke('settings.set', { app: { listClearedBefore: now } })
          .then((next) => {
            store.getState().settingsLoaded(next);
            store.getState().pushNotice({
              key: 'notices.cleared',
              params: { count: cleared },
              kind: 'info',
            });
          })
          .catch((error: unknown) => {
            store.getState().pushNotice({
              key: 'notices.failed',
              params: {
                action: 'toolbar.clearFinished',
                message: error instanceof Error ? error.message : String(error),
              },
              kind: 'error',
            });
          });
      }
    },
    [client, store],
  );

  const value = useMemo(() => ({ request, runGlobal }), [request, runGlobal]);
  const count = pending?.jobs.length ?? 0;
  const hasDone = pending?.jobs.some((j) => j.state === 'ACKNOWLEDGED') ?? false;
  const hasUnfinished =
    pending?.jobs.some((j) => j.state !== 'ACKNOWLEDGED' && j.state !== 'CANCELLED') ?? false;
  return (
    <ActionsContext value={value}>
      {children}
      {pending !== null && (
        <Modal
          title={t(pending.action === 'cancel' ? 'confirm.cancelTitle' : 'confirm.removeTitle', {
            count,
          })}
          onClose={() => {
            setPending(null);
          }}
          className="confirm"
        >
          {pending.action === 'cancel' ? (
            <p>{t('confirm.cancelBody', { count })}</p>
          ) : (
            <>
              {hasUnfinished && <p>{t('confirm.removeUnfinished')}</p>}
              {hasDone && (
                <label className="check">
                  <input
                    type="checkbox"
                    checked={deleteFiles}
                    onChange={(e) => {
                      setDeleteFiles(e.target.checked);
                    }}
                  />{' '}
                  {t('confirm.removeDeleteFiles', { count })}
                </label>
              )}
            </>
          )}
          <div className="dialog-buttons">
            <button
              type="button"
              autoFocus
              onClick={() => {
                setPending(null);
              }}
            >
              {t('confirm.back')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                void runBatch(
                  client,
                  store,
                  pending.action,
                  pending.jobs.map((j) => j.id),
                  pending.action === 'remove' && deleteFiles,
                );
                setPending(null);
              }}
            >
              {t(pending.action === 'cancel' ? 'confirm.cancelYes' : 'confirm.removeYes', {
                count,
              })}
            </button>
          </div>
        </Modal>
      )}
    </ActionsContext>
  );
}
