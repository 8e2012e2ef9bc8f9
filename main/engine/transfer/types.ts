import type { Dispatcher } from 'undici';
import type { Throttle } from './speed/bandwidth.js';
import type { ByteSpan } from './range-set.js';
import type { TransferAuth } from './auth/authenticator.js';
import type { ExpectedDigest } from '../../../app/model/validation.js';

/**
 * What identifies a remote file's content: compared on resume and after a link refresh.
 *
 * BITS checks size and timestamp; HTTP gives us the ETag and Last-Modified. For `file:` sources
 * `lastModified` holds the source's mtime (ISO) and `etag` is null.
 */
export interface RemoteValidator {
  readonly etag: string | null;
  readonly lastModified: string | null;
}

/** What the transfer tells the engine once a response (or source) has been accepted. */
export interface TransferStart {
  /** Offset the transfer writes from: the request's offset, or 0 after a restart. */
  readonly offset: number;
  /** Size of the remote file, or null when the server does not say. */
  readonly totalBytes: number | null;
  readonly validator: RemoteValidator;
  /** True when the recorded bytes are thrown away and the file starts again from zero. */
  readonly restarted: boolean;
  /** URL after redirects. */
  readonly finalUrl: string;
  /**
   * The Content-Disposition header of the response this start follows (null when it sent
   * none); absent when no response was read (a restart, a file already whole on disk, a
   * `file:` copy). A file whose name is the server's to give is named from it.
   */
  readonly contentDisposition?: string | null;
  /** The whole file's digest as the response announced it (Repr-Digest, Content-Digest). */
  readonly announcedDigest?: ExpectedDigest | null;
}

/**
 * Callbacks from a running transfer to the engine; all are synchronous.
 *
 * The order gives crash safety (data first, then the record): a shrinking record
 * (`onStart` with `restarted`) is reported before the file is truncated, a growing one
 * (`onCheckpoint`) only after the bytes are flushed to disk.
 */
export interface TransferCallbacks {
  onStart(start: TransferStart): void;
  /** Bytes of the file received so far (not yet durable): live progress only. */
  onProgress(bytesInFile: number): void;
  /**
   * Bytes [0, bytesOnDisk) are written to the temporary file (every write() returned) and may
   * be recorded; or, for a segmented file, exactly the `segments` ranges (adding up to
   * `bytesOnDisk`). Written bytes survive a crash of the process (the kernel keeps them), not
   * of the OS. `durable` when they were also datasynced first: they then survive a power loss.
   */
  onCheckpoint(
    bytesOnDisk: number,
    segments: readonly ByteSpan[] | undefined,
    durable: boolean,
  ): void;
  /**
   * Every byte has arrived and the final sync (then `onCheckpoint`) follows: the connection is
   * free. Lets the engine start the next file instead of holding its slot through the sync.
   */
  onReceived?(): void;
}

/** How often a running transfer records its progress, and how often it makes it durable. */
export interface CheckpointPolicy {
  /** Record written progress after this many new bytes… */
  readonly bytes: number;
  /** …or after this many milliseconds with new bytes, whichever comes first. */
  readonly intervalMs: number;
  /**
   * A checkpoint also datasyncs (beside the writes) when the last sync is this old; the final
   * checkpoint of a file always does. Long: the hot path must not wait for the disk.
   */
  readonly syncIntervalMs: number;
}

/**
 * One connection lent to a transfer: a keep-alive socket to one origin of its own (direct), or
 * the job's proxy agent. The borrower gives it back when done with it.
 */
export interface ConnectionLease {
  readonly dispatcher: Dispatcher;
  readonly viaProxy: boolean;
  /** The proxy the requests go through, when they do; its answers are told from the server's. */
  readonly proxy?: ProxyRoute;
  /**
   * Gives the connection back. `reusable` when its last response was read to the end: the
   * socket then waits, idle, for the next request to that origin. Otherwise it is destroyed
   * at once: an undici client whose response was cut re-queues the aborted request and opens
   * a new socket for nothing (nodejs/undici#5845), which destroying the client prevents.
   */
  release(reusable: boolean): void;
}

/** A proxy a connection goes through, as errors name it. */
export interface ProxyRoute {
  /** The proxy's address without its password, e.g. `http://user@proxy:3128`. */
  readonly display: string;
  /** Credentials were sent to it (Proxy-Authorization). */
  readonly credentials: boolean;
  /**
   * They were the job's PROXY Basic credentials (SetCredentials) for this user, not the
   * address's own `user:password@`: a 407 then says to correct them with SetCredentials.
   */
  readonly jobUser?: string;
  /** `forward`: absolute-form requests (http URLs); `tunnel`: CONNECT (https URLs). */
  readonly mode: 'forward' | 'tunnel';
}

/** Network limits of one transfer. */
export interface TransferLimits {
  readonly maxRedirects: number;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  /** No body bytes for this long is a timeout (a transient error). */
  readonly bodyIdleTimeoutMs: number;
}

/**
 * One file to fetch into its temporary file.
 *
 * The engine has already truncated `tempPath` to `offset` (the recorded bytes); the transfer
 * resumes from there when the validator and size still match, else restarts from zero.
 */
export interface FileTransferRequest {
  readonly remoteUrl: string;
  readonly tempPath: string;
  readonly offset: number;
  /** Recorded size of the remote file, null when unknown. */
  readonly totalBytes: number | null;
  /** Recorded validator of the bytes already on disk, null when none was recorded. */
  readonly validator: RemoteValidator | null;
  /** Extra request headers, one "Name: value" line each. */
  readonly headers: readonly string[];
  readonly userAgent: string;
  /**
   * A connection (direct or through a proxy) for a URL; asked again on every redirect and for
   * every connection of a segmented file. The transfer gives each one back.
   */
  readonly connectionFor: (url: URL) => ConnectionLease;
  readonly signal: AbortSignal;
  readonly checkpoint: CheckpointPolicy;
  readonly limits: TransferLimits;
  /**
   * Ranges of a segmented file already on disk (the record); when given, `offset` is ignored
   * and the temporary file keeps its size (it is sparse, holes between the ranges).
   */
  readonly segments?: readonly ByteSpan[] | null;
  /** Segmentation of http(s) files; without it a file is fetched over one connection. */
  readonly segmentation?: SegmentationOptions;
  /** Speed limit applied after every chunk received (job and background limits). */
  readonly throttle?: Throttle;
  /** The job's credentials, answering 401/407 challenges (none: a challenge is an error). */
  readonly auth?: TransferAuth;
  /** Sees the bytes of a file received in order, to hash them for its check before Complete. */
  readonly contentHash?: { update(offset: number, chunk: Uint8Array): void };
}

/** How a file may be split over several connections. */
export interface SegmentationOptions {
  /** Most connections for this file, read live (a change applies to the running transfer). */
  connections(): number;
  /** A range is never split into parts smaller than this (bytes). */
  readonly minSegmentSize: number;
  /** A connection that receives nothing for this long gives its range back (ms). */
  readonly stallTimeoutMs: number;
}

/** What a finished transfer reports. */
export interface FileTransferResult {
  readonly totalBytes: number;
  readonly validator: RemoteValidator;
  readonly finalUrl: string;
}
