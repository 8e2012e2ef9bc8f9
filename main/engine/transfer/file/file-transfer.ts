import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CheckpointedWriter } from '../disk/checkpointed-writer.js';
import {
  invalidUrlError,
  sourceFileChangedError,
  sourceFileError,
  sourceNotAFileError,
} from '../map-error.js';
import type { SourceKind } from '../map-error.js';
import { validatorsConflict } from '../http/range.js';
import type {
  FileTransferRequest,
  FileTransferResult,
  RemoteValidator,
  TransferCallbacks,
} from '../types.js';

/** O_NONBLOCK where it exists (Windows has no named pipes in the file system to block on). */
const NON_BLOCKING = process.platform === 'win32' ? 0 : constants.O_NONBLOCK;

/** Bytes read from the source per read: large reads keep a local copy near disk speed. */
const READ_SIZE = 1024 * 1024;

/**
 * Copies one `file:` source into its temporary file, as BITS does for local and UNC paths.
 *
 * The source's validator is `{ etag: null, lastModified: <mtime ISO> }` and its size is the
 * total; a resume continues from `req.offset` only when both still match the record, else the
 * copy restarts from zero (`onStart` with `restarted: true` before the truncation). Callbacks,
 * checkpoints and abort behave exactly as for HTTP (the same CheckpointedWriter). A source that
 * shrinks or changes during the copy is FILE_SOURCE_CHANGED; one that is (or has become) a
 * folder, device, pipe or socket is FILE_SOURCE_NOT_A_FILE, final, naming the path.
 */
export async function transferFile(
  req: FileTransferRequest,
  cb: TransferCallbacks,
): Promise<FileTransferResult> {
  req.signal.throwIfAborted();
  const sourcePath = sourcePathOf(req.remoteUrl);
  let source: FileHandle;
  try {
    // Non-blocking: opening a named pipe for reading would otherwise wait for a writer forever
    // (a regular file reads the same either way); fstat then refuses anything but a file.
    source = await open(sourcePath, constants.O_RDONLY | NON_BLOCKING);
  } catch (error) {
    throw sourceFileError(error, sourcePath);
  }
  try {
    const before = await statSource(source, sourcePath);
    const writer = await CheckpointedWriter.open(req.tempPath, req.checkpoint, cb);
    try {
      if (writer.initialSize > req.offset) await writer.truncate(req.offset);
      const resume =
        req.offset > 0 &&
        writer.initialSize >= req.offset &&
        req.offset <= before.size &&
        (req.totalBytes ?? before.size) === before.size &&
        !validatorsConflict(req.validator, before.validator);
      const offset = resume ? req.offset : 0;
      cb.onStart({
        offset,
        totalBytes: before.size,
        validator: before.validator,
        restarted: req.offset > 0 && !resume,
        finalUrl: req.remoteUrl,
      });
      if (writer.position !== offset) await writer.truncate(offset);
      await copy(source, sourcePath, before.size, writer, req.signal);
      const after = await statSource(source, sourcePath);
      if (
        after.size !== before.size ||
        after.validator.lastModified !== before.validator.lastModified
      ) {
        throw sourceFileChangedError(sourcePath, 'changed');
      }
      return { totalBytes: before.size, validator: before.validator, finalUrl: req.remoteUrl };
    } catch (error) {
      if (req.signal.aborted) throw req.signal.reason;
      throw error;
    } finally {
      await writer.close();
    }
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** The local path of a `file:` URL; UNC hosts are accepted where the platform has them. */
function sourcePathOf(remoteUrl: string): string {
  try {
    return fileURLToPath(remoteUrl);
  } catch (error) {
    throw invalidUrlError(remoteUrl, error);
  }
}

interface SourceState {
  readonly size: number;
  readonly validator: RemoteValidator;
}

async function statSource(source: FileHandle, path: string): Promise<SourceState> {
  try {
    const stats = await source.stat();
    if (!stats.isFile()) throw sourceNotAFileError(path, kindOf(stats));
    return { size: stats.size, validator: { etag: null, lastModified: stats.mtime.toISOString() } };
  } catch (error) {
    throw sourceFileError(error, path);
  }
}

/** What a source that is not a regular file is, for its error message. */
function kindOf(stats: Stats): SourceKind {
  if (stats.isDirectory()) return 'folder';
  if (stats.isFIFO()) return 'pipe';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'special file';
}

/**
 * Copies [writer.position, size) of the source, then saves what was copied on every path.
 *
 * Each read gets a fresh buffer because the writer keeps chunks until it has written them.
 */
async function copy(
  source: FileHandle,
  sourcePath: string,
  size: number,
  writer: CheckpointedWriter,
  signal: AbortSignal,
): Promise<void> {
  try {
    while (writer.position < size) {
      signal.throwIfAborted();
      const want = Math.min(READ_SIZE, size - writer.position);
      const buffer = Buffer.allocUnsafe(want);
      let bytesRead: number;
      try {
        ({ bytesRead } = await source.read(buffer, 0, want, writer.position));
      } catch (error) {
        throw sourceFileError(error, sourcePath);
      }
      if (bytesRead === 0) {
        throw sourceFileChangedError(sourcePath, 'shrank');
      }
      const wait = writer.push(buffer.subarray(0, bytesRead));
      if (wait !== undefined) await wait;
    }
  } catch (error) {
    await writer.checkpoint(false).catch(() => undefined);
    throw error;
  }
  await writer.checkpoint();
}
