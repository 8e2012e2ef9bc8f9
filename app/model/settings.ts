/**
 * Engine-wide settings, kept in the store.
 *
 * `maxConcurrentJobs` bounds background jobs running at once (FOREGROUND jobs are not
 * counted); `userAgent` is sent with every HTTP request.
 */
export interface EngineSettings {
  readonly maxConcurrentJobs: number;
  readonly userAgent: string;
}

/** Settings of a fresh data directory. */
export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  maxConcurrentJobs: 3,
  userAgent: 'Ferry/0.1',
};
