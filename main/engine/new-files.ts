import { resolve } from 'node:path';
import type { JobId } from '../../app/index.js';
import { FerryError, isFinalState } from '../../app/index.js';
import type { ExpectedDigest } from '../../app/model/validation.js';
import { UNCHECKED } from './job-record.js';
import type { FileRecord, JobRecord } from './job-record.js';
import { checkLocalName, checkRemoteName, tempNameFor } from './local-path.js';

/** A file as AddFile / AddFileSet gives it, its URL already without user:password@. */
export interface NewFileSpec {
  readonly remoteUrl: string;
  readonly localName: string;
  readonly nameFromServer?: boolean | undefined;
  readonly digest?: ExpectedDigest | undefined;
  readonly checksumUrl?: string | undefined;
}

/**
 * The records of a download job's new files, every name checked first: all of them, or an
 * error (INPUT_*) and none. A local name is refused when the job already has it or another
 * live job will save a file there (both would rename onto one path at Complete, and the later
 * one would silently win).
 */
export function newDownloadFiles(
  job: JobRecord,
  specs: readonly NewFileSpec[],
  dataDir: string,
  jobs: () => Iterable<JobRecord>,
): FileRecord[] {
  const taken = new Set(job.files.map((f) => f.localName));
  return specs.map((spec, i) => {
    checkRemoteName(spec.remoteUrl);
    const localName = checkLocalName(spec.localName, dataDir);
    if (taken.has(localName)) {
      throw new FerryError(
        'INPUT_LOCAL_NAME_DUPLICATE',
        'LOCAL_FILE',
        `localName '${localName}' is already used by another file of job '${job.displayName}'`,
      );
    }
    const other = liveJobSaving(jobs, localName, job.id);
    if (other !== undefined) {
      throw new FerryError(
        'INPUT_LOCAL_NAME_DUPLICATE',
        'LOCAL_FILE',
        `localName '${localName}' is already where job '${other.displayName}' (${other.id}) will save a file`,
      );
    }
    taken.add(localName);
    const index = job.files.length + i;
    return {
      ...emptyFile(index, spec.remoteUrl, localName, job.id),
      nameFromServer: spec.nameFromServer ?? false,
      validation: {
        ...UNCHECKED,
        digest: spec.digest ?? null,
        checksumUrl: spec.checksumUrl ?? null,
      },
    };
  });
}

/**
 * The record of an upload job's one file: the remote name is the upload URL, the local name
 * the file to send, which stays where it is (its temporary name is never created).
 */
export function newUploadFile(
  remoteUrl: string,
  localName: string,
  jobId: JobId,
  size: number,
): FileRecord {
  return { ...emptyFile(0, remoteUrl, resolve(localName), jobId), bytesTotal: size };
}

/** A file nothing has been fetched for yet. */
function emptyFile(index: number, remoteName: string, localName: string, jobId: JobId): FileRecord {
  return {
    index,
    remoteName,
    localName,
    nameFromServer: false,
    tempName: tempNameFor(localName, jobId, index),
    bytesTotal: null,
    bytesOnDisk: 0,
    bytesLive: 0,
    segments: null,
    bytesDurable: 0,
    segmentsDurable: null,
    bootId: null,
    validator: null,
    transferred: false,
    completed: false,
    validation: UNCHECKED,
  };
}

/** Another live (not final) job with a file not yet completed to be saved at `localName`. */
function liveJobSaving(
  jobs: () => Iterable<JobRecord>,
  localName: string,
  except: JobId,
): JobRecord | undefined {
  for (const other of jobs()) {
    if (other.id === except || isFinalState(other.state)) continue;
    if (other.files.some((file) => file.localName === localName && !file.completed)) return other;
  }
  return undefined;
}
