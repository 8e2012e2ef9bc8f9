// Ferry's BITS upload server (main/server/upload) as tests run it: on 127.0.0.1, storing into a
// test folder, with the faults the tests need (a connection cut mid-fragment, a restart that
// loses every session, a status refusing Create-Session) and a count of the fragment bytes
// that came over the network.
import { startUploadServer } from '../../main/server/upload/upload-server.js';
import type { UploadServer } from '../../main/server/upload/upload-server.js';

/** Faults and options of one test's server. */
export interface UploadServerFaults {
  /** Answer Create-Session with this status (e.g. 403) instead of a session. */
  refuseCreateSession?: number;
  /**
   * Cut the connection once this many bytes of the upload (counted from the fragment's start
   * offset in the file) have been read: the offset in the file where the cut falls. Once.
   */
  cutAtOffset?: number;
  /** Each finished upload gets a reply (upload-reply jobs). */
  replies?: boolean;
  /** Answer the next reply request with 404 (the reply lost), once. */
  loseReplyOnce?: boolean;
  /** Every request must carry these Basic credentials (read at start, as `replies`). */
  basicAuth?: { user: string; password: string };
}

/** A running test server. */
export interface TestUploadServer {
  /** The URL an upload to `path` (e.g. 'a/b.bin') uses. */
  url(path: string): string;
  readonly dir: string;
  /** Fragment body bytes read so far, new or not. */
  bytesReceived(): number;
  /** Fragment packets whose body began to arrive. */
  fragments(): number;
  /** Replaces the faults; a cut is made once per setting. */
  setFaults(faults: UploadServerFaults): void;
  /** Stops and starts again on the same port: every session is lost, as in a real restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts an upload server storing into `dir`. */
export async function startTestUploadServer(
  dir: string,
  initial: UploadServerFaults = {},
): Promise<TestUploadServer> {
  let faults = initial;
  let received = 0;
  let fragments = 0;
  let cutDone = false;
  let replyLost = false;
  const start = (port: number): Promise<UploadServer> =>
    startUploadServer({
      dir,
      port,
      replies: faults.replies ?? false,
      ...(faults.basicAuth === undefined ? {} : { basicAuth: faults.basicAuth }),
      hooks: {
        refuseCreateSession: () => faults.refuseCreateSession,
        cutFragmentAfter: (range) => {
          fragments += 1;
          const at = faults.cutAtOffset;
          if (at === undefined || cutDone || at < range.start || at >= range.end) return undefined;
          cutDone = true;
          return at - range.start;
        },
        onFragmentBytes: (bytes) => {
          received += bytes;
        },
        serveReply: () => {
          if (faults.loseReplyOnce !== true || replyLost) return true;
          replyLost = true;
          return false;
        },
      },
    });
  let server = await start(0);
  const port = server.port;
  return {
    dir,
    url: (path) => `${server.url}${path}`,
    bytesReceived: () => received,
    fragments: () => fragments,
    setFaults: (next) => {
      faults = next;
      cutDone = false;
      replyLost = false;
    },
    restart: async () => {
      await server.close();
      server = await start(port);
    },
    close: () => server.close(),
  };
}
