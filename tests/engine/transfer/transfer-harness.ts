import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { makeTempDir } from '../../support/engine-harness.js';
import type { TempDir } from '../../support/engine-harness.js';
import type {
  FileTransferRequest,
  TransferCallbacks,
  TransferStart,
} from '../../../main/engine/transfer/types.js';

/** One callback as the transfer made it, with the file's size on disk at that moment. */
export type TransferEvent =
  | { readonly kind: 'start'; readonly start: TransferStart; readonly sizeOnDisk: number }
  | { readonly kind: 'progress'; readonly bytes: number }
  | { readonly kind: 'checkpoint'; readonly bytes: number; readonly sizeOnDisk: number };

/** Callbacks that record every event and check the data-first rule as they happen. */
export interface Recorder {
  readonly callbacks: TransferCallbacks;
  readonly events: TransferEvent[];
  /** Every checkpoint that claimed more bytes than the file held when it was reported. */
  readonly violations: string[];
  starts(): TransferStart[];
  checkpoints(): number[];
  lastCheckpoint(): number | undefined;
}

/** A recorder for transfers into `tempPath`. */
export function record(tempPath: string): Recorder {
  const events: TransferEvent[] = [];
  const violations: string[] = [];
  const sizeNow = (): number => statSync(tempPath, { throwIfNoEntry: false })?.size ?? -1;
  return {
    events,
    violations,
    callbacks: {
      onStart(start) {
        events.push({ kind: 'start', start, sizeOnDisk: sizeNow() });
      },
      onProgress(bytes) {
        events.push({ kind: 'progress', bytes });
      },
      onCheckpoint(bytes) {
        const sizeOnDisk = sizeNow();
        if (sizeOnDisk < bytes) violations.push(`checkpoint ${bytes} > size on disk ${sizeOnDisk}`);
        events.push({ kind: 'checkpoint', bytes, sizeOnDisk });
      },
    },
    starts: () => events.flatMap((e) => (e.kind === 'start' ? [e.start] : [])),
    checkpoints: () => events.flatMap((e) => (e.kind === 'checkpoint' ? [e.bytes] : [])),
    lastCheckpoint() {
      const all = this.checkpoints();
      return all[all.length - 1];
    },
  };
}

/** A request with test-sized limits and checkpoints; `connectionFor` is required. */
export function makeRequest(
  fields: Pick<FileTransferRequest, 'remoteUrl' | 'tempPath'> & {
    connectionFor: FileTransferRequest['connectionFor'];
  } & Partial<FileTransferRequest>,
): FileTransferRequest {
  return {
    offset: 0,
    totalBytes: null,
    validator: null,
    headers: [],
    userAgent: 'Ferry-test/1.0',
    signal: new AbortController().signal,
    checkpoint: { bytes: 256 * 1024, intervalMs: 50, syncIntervalMs: 200 },
    limits: {
      maxRedirects: 5,
      connectTimeoutMs: 2000,
      headersTimeoutMs: 3000,
      bodyIdleTimeoutMs: 3000,
    },
    ...fields,
  };
}

/** A temporary folder under the OS temp dir, removed by `cleanup`. */
/** A scratch folder for one test file (the same helper the engine tests use). */
export type Scratch = TempDir;

/** Makes a scratch folder for one test file. */
export function makeScratch(prefix: string): Scratch {
  return makeTempDir(prefix);
}

/**
 * Hands out fresh temp paths, each with a recorder, and checks after every test that no
 * recorder saw a checkpoint ahead of the disk.
 */
export class Targets {
  private counter = 0;
  private recorders: Recorder[] = [];

  constructor(private readonly scratch: Scratch) {}

  /** A fresh temp path and a recorder for it. */
  next(): { tempPath: string; rec: Recorder } {
    this.counter++;
    const tempPath = this.scratch.file(`t-${this.counter}.tmp`);
    return { tempPath, rec: this.watch(record(tempPath)) };
  }

  /** Includes another recorder in the after-test check. */
  watch(rec: Recorder): Recorder {
    this.recorders.push(rec);
    return rec;
  }

  /** Fails when any recorder saw a checkpoint claim bytes the file did not hold; then resets. */
  assertNoViolations(): void {
    const recorders = this.recorders;
    this.recorders = [];
    for (const r of recorders) assert.deepEqual(r.violations, [], 'checkpoint ahead of the disk');
  }
}

export { sha256OfPath } from '../../support/test-file.js';

/** Awaits a promise expected to reject and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
