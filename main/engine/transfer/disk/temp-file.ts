import { open, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { localFileError } from '../map-error.js';

/**
 * A download's temporary file: the one place that creates it, sets its length and syncs it.
 *
 * Its length follows the record, never the other way round: truncated to the bytes the record
 * trusts before a resume, emptied for a restart (after the record says so), extended (sparse)
 * to a segmented file's size. Every failure is a LOCAL_FILE FerryError naming the path.
 */
export class TempFile {
  private constructor(
    readonly handle: FileHandle,
    readonly path: string,
    /** Its length when it was opened. */
    readonly initialSize: number,
  ) {}

  /** Opens it for positioned reads and writes, creating it when missing (bytes there stay). */
  static async open(path: string): Promise<TempFile> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r+').catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'ENOENT') return open(path, 'w+');
        throw error;
      });
    } catch (error) {
      throw localFileError(error, path);
    }
    try {
      const { size } = await fh.stat();
      return new TempFile(fh, path, size);
    } catch (error) {
      await fh.close().catch(() => undefined);
      throw localFileError(error, path);
    }
  }

  /** Cuts or extends it to `length` bytes (extending leaves a sparse hole). */
  async setLength(length: number): Promise<void> {
    try {
      await this.handle.truncate(length);
    } catch (error) {
      throw localFileError(error, this.path);
    }
  }

  /**
   * Bytes [position, position + length) as on disk now (the resume check compares them with
   * the server's); shorter when the file ends before.
   */
  async read(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    let filled = 0;
    try {
      while (filled < length) {
        const { bytesRead } = await this.handle.read(
          buffer,
          filled,
          length - filled,
          position + filled,
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
    } catch (error) {
      throw localFileError(error, this.path);
    }
    return buffer.subarray(0, filled);
  }

  /** Flushes its data to the disk (fdatasync). */
  async datasync(): Promise<void> {
    try {
      await this.handle.datasync();
    } catch (error) {
      throw localFileError(error, this.path);
    }
  }

  /** Closes it; never throws. */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/** Sets the temporary file at `path` to `length` bytes, creating it when missing. */
export async function setTempFileLength(path: string, length: number): Promise<void> {
  const file = await TempFile.open(path);
  try {
    if (file.initialSize !== length) await file.setLength(length);
  } finally {
    await file.close();
  }
}

/** Syncs a temporary file whose bytes are all written already (before TRANSFERRED). */
export async function syncTempFile(path: string): Promise<void> {
  const file = await TempFile.open(path);
  try {
    await file.datasync();
  } finally {
    await file.close();
  }
}

/** The temporary file's size, or undefined when there is none. */
export async function tempFileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw localFileError(error, path);
  }
}

/**
 * Removes a temporary file the record trusts no byte of, after a failed attempt: a job left in
 * ERROR or waiting to retry keeps no empty hidden file beside its destination (the next attempt
 * creates it again). Never throws: a file that cannot be removed only stays.
 */
export async function removeTempFile(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}
