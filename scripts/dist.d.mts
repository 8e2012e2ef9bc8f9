/** Types for scripts/dist.mjs, so TypeScript tests can import it. */

export declare function writeDebScripts(): void;
export declare function unfilledMetadata(pkg: Record<string, unknown>): string[];
export declare function pruneCliChunks(): void;
