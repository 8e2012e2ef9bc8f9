import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobErrorInfo, JobFileInfo } from '../../../app/index.js';
import { NotifyFlag } from '../../../app/index.js';
import { NO_VALIDATION } from '../../../app/model/validation.js';
import { fileName, notificationFor } from '../../../main/electron/notification-text.js';
import { jobId, jobInfo } from './job-fixture.js';

const on = { notifications: true, language: 'en' } as const;

const error404: JobErrorInfo = {
  context: 'REMOTE_FILE',
  code: 'HTTP_NOT_FOUND',
  message: 'The server has no file at https://example.org/b (HTTP 404)',
  fileIndex: 1,
  httpStatus: 404,
  sysCode: null,
  protocol: 'https',
  time: 0,
};

/** Held in a variable, so it fits FileProgress with or without its newer fields. */
const doneProgress = { bytesTotal: 10, bytesTransferred: 10, transferred: true, completed: false };

function file(index: number, localName: string): JobFileInfo {
  return {
    index,
    remoteName: `https://example.org/${index}`,
    localName,
    tempName: `${localName}.ferry`,
    progress: doneProgress,
    validation: { ...NO_VALIDATION },
  };
}

const files = [file(0, '/home/u/Downloads/a.iso'), file(1, '/home/u/Downloads/b.iso')];

describe('notificationFor', () => {
  it('names the job and its file when a job has transferred', () => {
    const job = jobInfo(1, 'TRANSFERRED');
    assert.deepEqual(
      notificationFor(
        { event: 'jobTransferred', payload: { revision: 1, job } },
        [file(0, '/home/u/Downloads/a.iso')],
        on,
      ),
      { title: 'Download finished', body: 'job 1: a.iso', jobId: jobId(1), showError: false },
    );
  });

  it('names the first file and counts the others, with the size', () => {
    const job = jobInfo(1, 'TRANSFERRED', { bytesTransferred: 5 * 1024 * 1024 });
    const text = notificationFor(
      { event: 'jobTransferred', payload: { revision: 1, job } },
      files,
      on,
    );
    assert.equal(text?.body, 'job 1: a.iso and 1 more files (5.0 MB)');
  });

  it('names the failed file and the error, and opens the error when clicked', () => {
    const job = jobInfo(2, 'ERROR');
    assert.deepEqual(
      notificationFor(
        { event: 'jobError', payload: { revision: 1, job, error: error404 } },
        files,
        on,
      ),
      {
        title: 'Download failed',
        body: 'job 2: b.iso: The server has no file at https://example.org/b (HTTP 404)',
        jobId: jobId(2),
        showError: true,
      },
    );
  });

  it('speaks French when the settings say so', () => {
    const job = jobInfo(2, 'ERROR');
    const text = notificationFor(
      { event: 'jobError', payload: { revision: 1, job, error: { ...error404, fileIndex: null } } },
      files,
      { notifications: true, language: 'fr' },
    );
    assert.ok(text !== null);
    assert.equal(text.title, 'Échec du téléchargement');
    assert.equal(text.body, 'job 2 : The server has no file at https://example.org/b (HTTP 404)');
  });

  it('follows the job notify flags: DISABLE and a missing flag silence it', () => {
    const transferred = (flags: number) =>
      notificationFor(
        {
          event: 'jobTransferred',
          payload: { revision: 1, job: jobInfo(1, 'TRANSFERRED', {}, { notifyFlags: flags }) },
        },
        files,
        on,
      );
    const failed = (flags: number) =>
      notificationFor(
        {
          event: 'jobError',
          payload: {
            revision: 1,
            job: jobInfo(1, 'ERROR', {}, { notifyFlags: flags }),
            error: error404,
          },
        },
        files,
        on,
      );
    assert.equal(transferred(NotifyFlag.JOB_TRANSFERRED | NotifyFlag.DISABLE), null);
    assert.equal(transferred(NotifyFlag.JOB_ERROR), null);
    assert.notEqual(transferred(NotifyFlag.JOB_TRANSFERRED), null);
    assert.equal(failed(NotifyFlag.JOB_TRANSFERRED), null);
    assert.notEqual(failed(NotifyFlag.JOB_ERROR), null);
  });

  it('says nothing when notifications are off', () => {
    const job = jobInfo(1, 'TRANSFERRED');
    const off = { notifications: false, language: 'en' } as const;
    assert.equal(
      notificationFor({ event: 'jobTransferred', payload: { revision: 1, job } }, files, off),
      null,
    );
    assert.equal(
      notificationFor(
        { event: 'jobError', payload: { revision: 1, job, error: error404 } },
        files,
        off,
      ),
      null,
    );
  });
});

describe('fileName', () => {
  it('takes the last segment of POSIX and Windows paths', () => {
    assert.equal(fileName('/home/u/a.iso'), 'a.iso');
    assert.equal(fileName('C:\\Users\\u\\b.zip'), 'b.zip');
    assert.equal(fileName('plain'), 'plain');
  });
});
