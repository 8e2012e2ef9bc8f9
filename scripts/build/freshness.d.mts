/** Types for scripts/build/freshness.mjs, so TypeScript tests can import it. */

/** A build target as freshness sees it: paths relative to the root. */
export interface FreshnessTarget {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export declare function newestMtime(root: string, paths: readonly string[]): number;
export declare function isFresh(root: string, target: FreshnessTarget): boolean;
export declare function writeStamp(root: string, target: FreshnessTarget, startedAt: number): void;
export declare function clearStamp(root: string, target: FreshnessTarget): void;
export declare function withBuildLock<T>(
  root: string,
  work: () => Promise<T>,
  options?: { timeoutMs?: number },
): Promise<T>;
