/** Types for scripts/start/open-browser.mjs, so TypeScript tests can import it. */

export declare function browserCommand(
  url: string,
  platform?: NodeJS.Platform,
  env?: NodeJS.ProcessEnv,
): { command: string; args: string[] } | { reason: string };
export declare function openBrowser(url: string): Promise<string | null>;
