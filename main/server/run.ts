import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FerryError, hasErrorCode } from '../../app/index.js';
import { createEngine, defaultDataDir } from '../engine/index.js';
import type { Engine } from '../engine/index.js';
import { createEngineHost } from '../host/index.js';
import { startNetworkProbe } from '../host/network-probe.js';
import type { EngineHost } from '../host/index.js';
import { readServerInfoSync } from './server-info.js';
import { startRpcServer } from './server.js';
import type { RpcServer } from './server.js';
import { maskedLogLine } from '../../app/secret-mask.js';

/** Options of `runServer` (`ferry serve`, also run by `npm run serve`). */
export interface RunServerOptions {
  /** Data directory (default: `defaultDataDir()`). */
  readonly dataDir?: string;
  /** TCP port; 0 picks a free one (default: the `rpcPort` app setting, 17489 out of the box). */
  readonly port?: number;
  /** Built renderer to serve (default `dist/renderer`); null serves none. */
  readonly staticDir?: string | null;
  /** The version `engine.info` reports (default: package.json's, read from the sources). */
  readonly version?: string;
  /** Loopback address to listen on (default 127.0.0.1). */
  readonly listenHost?: string;
  /** Where the one "serving at" line goes (default: stdout). */
  readonly print?: (line: string) => void;
  /** Where warnings go (default: stderr). */
  readonly onWarning?: (message: string, cause?: unknown) => void;
  /**
   * Shut down gracefully on SIGINT/SIGTERM and then exit the process (default true): 0 after a
   * clean shutdown, 1 if it failed. Embedders that manage the process themselves pass false.
   */
  readonly handleSignals?: boolean;
}

/** A server run by `runServer`. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /**
   * Stops accepting, closes clients (1001), closes the host and the engine (running jobs go
   * back to QUEUED, everything is persisted) and removes `server.json`. Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * Runs the headless server on a data directory: opens the engine (refusing, with the running
 * server's pid and address, when another engine holds the directory), starts the server,
 * and prints `Ferry is serving at <url with token>`.
 */
export async function runServer(options: RunServerOptions = {}): Promise<RunningServer> {
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const onWarning =
    options.onWarning ??
    ((message: string, cause?: unknown) => {
      // Secrets never reach a log: a URL's password or a header value is masked.
      console.warn(maskedLogLine(`ferry serve: ${message}`, cause));
    });

  const engine = openEngine(dataDir, onWarning);
  let host: EngineHost | null = null;
  let server: RpcServer | null = null;
  try {
    const version = options.version ?? packageVersion();
    host = createEngineHost({ engine, host: 'server', version, onWarning });
    const hosted = host;
    const serve = (port: number): Promise<RpcServer> =>
      startRpcServer({
        host: hosted,
        dataDir,
        port,
        ...(options.staticDir === undefined ? {} : { staticDir: options.staticDir }),
        ...(options.listenHost === undefined ? {} : { listenHost: options.listenHost }),
        onWarning,
      });
    server = await listenOnConfiguredPort(
      serve,
      options.port,
      engine.getAppSettings().rpcPort,
      onWarning,
    );
  } catch (error) {
    host?.close();
    await server?.close();
    await engine.close();
    throw error;
  }

  const running = server;
  const runningHost = host;
  // No OS network signal reaches a headless server: it looks for itself (network-probe.ts).
  const stopProbe = startNetworkProbe(engine, undefined, onWarning);
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        stopProbe();
        await running.close();
        runningHost.close();
      } finally {
        await engine.close();
      }
    })();
    return closing;
  };

  if (options.handleSignals ?? true) installSignalHandlers(close, onWarning);
  print(`Ferry is serving at ${running.url}`);
  return { url: running.url, port: running.port, dataDir, close };
}

/** Opens the engine; a lock held by another process names that server when it has one. */
function openEngine(
  dataDir: string,
  onWarning: (message: string, cause?: unknown) => void,
): Engine {
  try {
    return createEngine({ dataDir, onWarning });
  } catch (error) {
    if (!hasErrorCode(error, 'ENGINE_LOCKED')) throw error;
    const info = readServerInfoSync(dataDir);
    const message = error instanceof Error ? error.message : String(error);
    throw new FerryError(
      'ENGINE_LOCKED',
      'GENERAL_QUEUE_MANAGER',
      info === null || !message.includes(`pid ${info.pid}`)
        ? message
        : `${message}; it serves at ${info.url}`,
      { cause: error },
    );
  }
}

/**
 * SIGINT/SIGTERM: one graceful shutdown, then exit. A second signal while shutting down
 * exits at once with 1 (the store stays consistent: progress is only ever recorded after the
 * data is flushed).
 */
function installSignalHandlers(
  close: () => Promise<void>,
  onWarning: (message: string, cause?: unknown) => void,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      onWarning(`${signal} again: exiting without waiting for the shutdown`);
      process.exit(1);
    }
    stopping = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        onWarning('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** The package's version, reported by `engine.info`. */
function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const { version } = JSON.parse(text) as { version?: unknown };
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Serves on the explicit port, else on the `rpcPort` setting, else (when that one is taken) on
 * a free port.
 *
 * The setting is shared by every data directory, so a private instance (`--data-dir`) would
 * collide with the default one; without an explicit `--port` it takes a free port instead, and
 * `server.json` tells the CLI which.
 */
async function listenOnConfiguredPort(
  serve: (port: number) => Promise<RpcServer>,
  explicit: number | undefined,
  configured: number,
  onWarning: (message: string) => void,
): Promise<RpcServer> {
  if (explicit !== undefined) return serve(explicit);
  try {
    return await serve(configured);
  } catch (error) {
    if (!(error instanceof FerryError) || error.sysCode !== 'EADDRINUSE') throw error;
    onWarning(`port ${String(configured)} is in use; serving on a free port instead`);
    return serve(0);
  }
}
