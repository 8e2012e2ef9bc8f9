/** Types for scripts/check-boundaries.mjs, so TypeScript tests can import it. */

/** Folders whose source files are checked, relative to the root. */
export declare const CHECKED_DIRS: readonly string[];

/** One import or re-export found in a source file. */
export interface ImportRef {
  /** The module specifier, or null when an `import()` argument is not a string literal. */
  readonly specifier: string | null;
  /** 1-based line of the specifier. */
  readonly line: number;
  /** 'static' for import/export declarations, 'dynamic' for import() and require(). */
  readonly kind: 'static' | 'dynamic';
}

/** One import that crosses a forbidden boundary. */
export interface Violation {
  /** Path relative to the root, with forward slashes. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** The offending specifier (null for a non-literal one). */
  readonly specifier: string | null;
  /** What is wrong, naming the rule. */
  readonly message: string;
}

/** Blanks comments and literal contents, keeping length and newlines. */
export declare function maskSource(source: string): string;

/** Finds the module specifiers a source imports or re-exports, in line order. */
export declare function findImports(source: string): ImportRef[];

/** The violation message for one import from `file` (root-relative), or null when allowed. */
export declare function checkImport(file: string, specifier: string): string | null;

/** Checks every .ts/.tsx/.mts file under app/, main/ and renderer/ of `rootDir`. */
export declare function checkBoundaries(rootDir: string): {
  filesChecked: number;
  violations: Violation[];
};

/** Runs the check, prints the report and returns the exit code (0 clean, 1 violations). */
export declare function main(rootDir: string): number;
