import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { FerryError } from '../../app/index.js';
import { errorText, firstCode } from './error-chain.js';
import type { FileRecord } from './job-record.js';

/**
 * Moves every transferred, not yet completed file from its temporary name to its final name.
 *
 * Each rename is atomic (same folder); once they are done, each folder involved is flushed
 * once, and only then does `onRenamed` get the renamed files to record (in one write), so a
 * final name only ever holds a whole file and a record never claims a rename a power cut could
 * undo. A crash between the renames and the record is recognised on the next Complete (the
 * temporary file is gone, a whole file stands at the final name). Stops at the first failure
 * with FILE_RENAME_FAILED naming the file; files renamed before it stay renamed and recorded.
 * One flush per folder rather than per file: a job of thousands of files paid thousands of
 * folder fsyncs (and as many commits) in Complete.
 */
export function renameTransferredFiles(
  files: readonly FileRecord[],
  onRenamed: (renamed: readonly FileRecord[]) => void,
): void {
  const renamed: FileRecord[] = [];
  let failure: FerryError | undefined;
  for (const file of files) {
    if (!file.transferred || file.completed) continue;
    try {
      if (!alreadyRenamed(file)) renameSync(file.tempName, file.localName);
    } catch (cause) {
      failure = new FerryError(
        'FILE_RENAME_FAILED',
        'LOCAL_FILE',
        `Cannot rename '${file.tempName}' to '${file.localName}': ${errorText(cause)}`,
        { fileIndex: file.index, sysCode: firstCode(cause), cause },
      );
      break;
    }
    renamed.push(file);
  }
  for (const folder of new Set(renamed.map((file) => dirname(file.localName)))) {
    syncFolder(folder);
  }
  for (const file of renamed) file.completed = true;
  if (renamed.length > 0) onRenamed(renamed);
  if (failure !== undefined) throw failure;
}

/**
 * Whether a crash came between this file's rename and its record: the temporary file is gone
 * and a whole file of the recorded size stands at the final name.
 */
function alreadyRenamed(file: FileRecord): boolean {
  if (existsSync(file.tempName)) return false;
  const final = statSync(file.localName, { throwIfNoEntry: false });
  return final?.isFile() === true && final.size === file.bytesTotal;
}

/**
 * Deletes the temporary files of the files `which` selects.
 *
 * Returns false when one could not be deleted (BITS' BG_S_UNABLE_TO_DELETE_FILES), which is
 * reported but does not fail the method.
 */
export function deleteTemporaryFiles(
  files: readonly FileRecord[],
  which: (file: FileRecord) => boolean,
): boolean {
  let allDeleted = true;
  for (const file of files) {
    if (which(file)) allDeleted = removeFile(file.tempName) && allDeleted;
  }
  return allDeleted;
}

function removeFile(path: string): boolean {
  try {
    rmSync(path, { force: true });
    return true;
  } catch {
    return false;
  }
}

/** Flushes a folder's entries so a rename survives a power cut. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open or fsync a folder; the rename itself stands.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
