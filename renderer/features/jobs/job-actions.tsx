import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobId } from '../../../app/model/ids.js';
import type { JobInfo } from '../../../app/model/job.js';
import { isAllowed } from '../../../app/transitions.js';
import { useClient } from '../../client/client-context.js';
import { Modal } from '../../components/modal.js';
import { completeLosesFiles } from '../../store/selectors.js';
import type { JobAction } from '../../store/selectors.js';
import { useFerryStoreApi } from '../../store/use-ferry-store.js';

const COMMAND = {
  suspend: 'job.suspend',
  resume: 'job.resume',
  complete: 'job.complete',
  cancel: 'job.cancel',
} as const;

/** Asks for an action on jobs; confirms first where it destroys data. */
export type RequestAction = (action: JobAction, ids: readonly JobId[]) => void;

const ActionsContext = createContext<RequestAction | null>(null);

/** The action runner shared by the toolbar, the context menu and the keyboard. */
export function useRequestAction(): RequestAction {
  const request = useContext(ActionsContext);
  if (request === null) throw new Error('useRequestAction outside <JobActionsProvider>');
  return request;
}

interface Pending {
  readonly action: 'cancel' | 'complete';
  readonly jobs: readonly JobInfo[];
}

/**
 * Runs Suspend / Resume / Complete / Cancel on the jobs whose state allows it.
 *
 * Cancel always asks (it deletes partial files); Complete asks when some job has not
 * transferred everything (BITS keeps only the finished files). Failures become notices.
 */
export function JobActionsProvider({ children }: { readonly children: ReactNode }) {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const [pending, setPending] = useState<Pending | null>(null);

  const perform = useCallback(
    (action: JobAction, jobs: readonly JobInfo[]) => {
      for (const job of jobs) {
        client.invoke(COMMAND[action], { jobId: job.id }).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          store
            .getState()
            .pushNotice(t('notices.failed', { action: t(`toolbar.${action}`), message }), 'error');
        });
      }
    },
    [client, store, t],
  );

  const request = useCallback<RequestAction>(
    (action, ids) => {
      const { jobs } = store.getState();
      const targets = ids
        .map((id) => jobs.get(id))
        .filter((job): job is JobInfo => job !== undefined && isAllowed(action, job.state));
      if (targets.length === 0) return;
      if (action === 'cancel' || (action === 'complete' && completeLosesFiles(targets))) {
        setPending({ action, jobs: targets });
        return;
      }
      perform(action, targets);
    },
    [perform, store],
  );

  const value = useMemo(() => request, [request]);
  return (
    <ActionsContext value={value}>
      {children}
      {pending !== null && (
        <Modal
          title={t(pending.action === 'cancel' ? 'confirm.cancelTitle' : 'confirm.completeTitle')}
          onClose={() => {
            setPending(null);
          }}
          className="confirm"
        >
          <p>
            {pending.action === 'cancel'
              ? t('confirm.cancelBody', { count: pending.jobs.length })
              : t('confirm.completeBody')}
          </p>
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
                perform(pending.action, pending.jobs);
                setPending(null);
              }}
            >
              {t(pending.action === 'cancel' ? 'confirm.cancelYes' : 'confirm.completeYes')}
            </button>
          </div>
        </Modal>
      )}
    </ActionsContext>
  );
}
