import type { ProxySettings } from './proxy.js';
import { DEFAULT_PROXY_SETTINGS } from './proxy.js';
import {
  DEFAULT_JOB_INACTIVITY_TIMEOUT,
  DEFAULT_MAXIMUM_DOWNLOAD_TIME,
  DEFAULT_MINIMUM_RETRY_DELAY,
  DEFAULT_NO_PROGRESS_TIMEOUT,
} from './job.js';

/** Days of the week as `Date.getDay()` numbers them: 0 is Sunday, 6 is Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * A scheduled speed limit: from `start` to `end` (local time, `HH:MM`, end exclusive) on the
 * given days, the global limit is `speedLimit` bytes per second (0 = none).
 *
 * A rule whose `end` is not after its `start` runs past midnight (22:00–06:00): the part after
 * midnight belongs to the day the rule started on. When several rules match, the first wins;
 * outside every rule the plain `speedLimit` setting applies.
 */
export interface SpeedRule {
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
  readonly speedLimit: number;
}

/**
 * Engine-wide settings, kept in the store.
 *
 * `maxConcurrentJobs` bounds background jobs running at once (FOREGROUND jobs are not
 * counted); `userAgent` is sent with every HTTP request. The transfer settings shape how one
 * file is fetched: up to `connectionsPerFile` ranged connections (a job's own
 * `TransferPolicy.connectionsPerFile` overrides it), never splitting a range below
 * `minSegmentSize` bytes; a connection that receives nothing for `segmentStallTimeout` seconds
 * gives its range back. `concurrentFilesPerJob` files of one job are fetched at once.
 * `speedLimit` (bytes per second, 0 = unlimited) is the user's global limit: every running
 * job shares it, FOREGROUND included (so `ferry transfer` keeps to it); `speedSchedule`
 * replaces it during its time windows. `backgroundSpeedLimit` is BITS' background limit, a
 * separate (usually lower) one that only non-FOREGROUND jobs share, by priority. The `default*`
 * settings are what CreateJob gives a new job (BITS' own defaults unless changed); each job
 * can still be changed with its setters.
 */
export interface EngineSettings {
  readonly maxConcurrentJobs: number;
  readonly userAgent: string;
  readonly connectionsPerFile: number;
  readonly minSegmentSize: number;
  readonly concurrentFilesPerJob: number;
  readonly segmentStallTimeout: number;
  /**
   * Seconds between datasyncs of a file being written (its end is always synced): what a
   * power loss may cost, since a crash of Ferry alone loses nothing that was written.
   */
  readonly syncInterval: number;
  readonly speedLimit: number;
  readonly speedSchedule: readonly SpeedRule[];
  /** Bytes per second shared by the background priorities (HIGH, NORMAL, LOW); 0 = none. */
  readonly backgroundSpeedLimit: number;
  /** Minimum retry delay of new jobs, in seconds (BITS: 600). */
  readonly defaultMinimumRetryDelay: number;
  /** No-progress timeout of new jobs, in seconds (BITS: 14 days). */
  readonly defaultNoProgressTimeout: number;
  /** Maximum download time of new jobs, in seconds; 0 = no limit (BITS: 90 days). */
  readonly defaultMaximumDownloadTime: number;
  /**
   * Seconds a job may go untouched (no method call, no progress) before it is cancelled;
   * 0 = never (BITS' JobInactivityTimeout: 90 days).
   */
  readonly jobInactivityTimeout: number;
  /** Proxy settings of new jobs (BITS: PRECONFIG). */
  readonly defaultProxy: ProxySettings;
  /**
   * A PEM file of CA certificates trusted beside the system's (an organisation's own CA, a
   * TLS-inspecting proxy's), '' for none. Like NODE_EXTRA_CA_CERTS, but it applies to the next
   * connection when changed, without a restart.
   */
  readonly extraCaCertificates: string;
}

/** Settings of a fresh data directory. */
export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  maxConcurrentJobs: 3,
  userAgent: 'Ferry/0.1',
  connectionsPerFile: 8,
  minSegmentSize: 1024 * 1024,
  concurrentFilesPerJob: 8,
  segmentStallTimeout: 10,
  syncInterval: 5,
  speedLimit: 0,
  speedSchedule: [],
  backgroundSpeedLimit: 0,
  defaultMinimumRetryDelay: DEFAULT_MINIMUM_RETRY_DELAY,
  defaultNoProgressTimeout: DEFAULT_NO_PROGRESS_TIMEOUT,
  defaultMaximumDownloadTime: DEFAULT_MAXIMUM_DOWNLOAD_TIME,
  jobInactivityTimeout: DEFAULT_JOB_INACTIVITY_TIMEOUT,
  defaultProxy: DEFAULT_PROXY_SETTINGS,
  extraCaCertificates: '',
};
