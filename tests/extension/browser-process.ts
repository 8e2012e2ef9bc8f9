import { spawn } from 'node:child_process';

/** A browser started by a test, with the remote-control endpoint it printed. */
export interface BrowserProcess {
  readonly endpoint: string;
  /** SIGTERM (if still running), then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts a browser and waits for the line on its stderr announcing its remote-control
 * endpoint (`pattern`'s first group): Chromium's DevTools or Firefox's WebDriver BiDi.
 */
export async function startBrowserProcess(
  executable: string,
  args: readonly string[],
  pattern: RegExp,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BrowserProcess> {
  const child = spawn(executable, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => {
        reject(new Error(`${executable} printed no endpoint in time: ${stderr.slice(-2000)}`));
      }, 30_000);
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        const found = pattern.exec(stderr)?.[1];
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${executable} exited (${String(code)}): ${stderr.slice(-2000)}`));
      });
    });
    return { endpoint, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
