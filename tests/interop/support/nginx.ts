// nginx and python's http.server for the interoperability tests.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { daemonDir, findProgram, freePort, renderConfig, startDaemon, writeIn } from './daemons.js';

/** A running file server whose files live in `root`. */
export interface FileServer {
  readonly origin: string;
  url(path: string): string;
  /** Puts a file at `path` (below the server's root), creating its folders. */
  put(path: string, body: Buffer): void;
  /** Server's output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

function fileServer(
  root: string,
  port: number,
  daemon: { output(): string; stop(): Promise<void> },
): FileServer {
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    put(path, body) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeIn(dirname(full), full.slice(dirname(full).length + 1), body);
    },
    output: () => daemon.output(),
    stop: () => daemon.stop(),
  };
}

/** Starts nginx (conf/nginx.conf) in the foreground on a free port of 127.0.0.1. */
export async function startNginx(): Promise<FileServer> {
  const nginx = findProgram('nginx');
  if (nginx === null) throw new Error('nginx is not installed');
  const dir = daemonDir('nginx');
  const port = await freePort();
  const root = join(dir, 'www');
  mkdirSync(root);
  const conf = writeIn(
    dir,
    'nginx.conf',
    renderConfig('nginx.conf', { PORT: String(port), DIR: dir }),
  );
  // -e: the error log before the config is read (else nginx tries /var/log/nginx).
  const daemon = await startDaemon(
    nginx,
    ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')],
    port,
    dir,
  );
  return fileServer(root, port, daemon);
}

/** Starts `python3 -m http.server` (HTTP/1.0, no ranges) on a free port of 127.0.0.1. */
export async function startPythonHttpServer(): Promise<FileServer> {
  const python = findProgram('python3');
  if (python === null) throw new Error('python3 is not installed');
  const dir = daemonDir('python');
  const port = await freePort();
  const root = join(dir, 'www');
  mkdirSync(root);
  const daemon = await startDaemon(
    python,
    ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root],
    port,
    dir,
  );
  return fileServer(root, port, daemon);
}
