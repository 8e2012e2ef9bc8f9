import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MAX_DISPLAY_NAME_LENGTH, isFinalState } from '../../app/index.js';
import { responseFileName, uniquePath } from './file-naming.js';
import type { FileRecord, JobRecord } from './job-record.js';
import type { TransferStart } from './transfer/types.js';

/**
 * Names a file "as the server names it" from its first response, as curl -J, wget and aria2c
 * do from the GET itself rather than from an earlier HEAD (which a server may refuse, answer
 * differently, or never see through the job's proxy and headers).
 *
 * The file keeps its folder; the name is the response's Content-Disposition filename, else the
 * last segment of the URL after redirects, else of the URL asked for, sanitised, and made free
 * by the plan's rule (" (2)" before the extension) against files on disk and the final paths
 * of every live job's files. The temporary file was named from the first guess and keeps that
 * name (only the rename at Complete uses the new one), so nothing on disk moves. A job whose
 * display name was its file's name follows the new name.
 *
 * Returns whether the records changed (the caller saves and announces them); a file not
 * waiting for a name, or a start that followed no response, changes nothing.
 */
export function nameFromResponse(
  job: JobRecord,
  file: FileRecord,
  start: TransferStart,
  jobs: Iterable<JobRecord>,
): boolean {
  if (!file.nameFromServer || start.contentDisposition === undefined) return false;
  const name = responseFileName(start.contentDisposition, start.finalUrl, file.remoteName);
  const previous = file.localName;
  const folder = dirname(previous);
  // The first guess was made free when the file was added, and later files were checked
  // against it: when the server confirms it, only the disk can have changed since.
  const confirmed = join(folder, name) === previous && !existsSync(previous);
  if (!confirmed) file.localName = uniquePath(folder, name, liveFinalPaths(file, jobs));
  file.nameFromServer = false;
  if (file.localName !== previous && job.displayName === basename(previous)) {
    job.displayName = basename(file.localName).slice(0, MAX_DISPLAY_NAME_LENGTH);
  }
  return true;
}

/** The final paths of every live job's files but `file`, gathered only when a name is tried. */
function liveFinalPaths(
  file: FileRecord,
  jobs: Iterable<JobRecord>,
): { has(path: string): boolean } {
  let paths: Set<string> | undefined;
  return {
    has: (path) => {
      if (paths === undefined) {
        paths = new Set();
        for (const other of jobs) {
          if (isFinalState(other.state)) continue;
          for (const each of other.files) if (each !== file) paths.add(each.localName);
        }
      }
      return paths.has(path);
    },
  };
}
