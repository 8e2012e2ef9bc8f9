import type { JobFlavour } from './model/job-flavour.js';
import type { JobState } from './model/job-state.js';
import type { JobType } from './model/job-type.js';

/**
 * The job methods whose effect depends on the job's state (and flavour).
 *
 * `setProperty` stands for every setter (display name, description, priority, no-progress
 * timeout, maximum download time, notify flags and command line, proxy, custom headers);
 * `setMinimumRetryDelay` has its own row because the DO flavour has no such property;
 * `addFile` also covers AddFileSet. Getters are allowed in every state and are not listed.
 */
export const JOB_METHODS = [
  'suspend',
  'resume',
  'complete',
  'cancel',
  'addFile',
  'setProperty',
  'setMinimumRetryDelay',
  'setRemoteName',
  'replaceRemotePrefix',
  'takeOwnership',
] as const;

/** A job method whose effect depends on state. */
export type JobMethod = (typeof JOB_METHODS)[number];

type Rule = Readonly<Partial<Record<JobState, JobState>>>;

/** Maps every non-final state to itself: the method is allowed and leaves the state alone. */
const SAME: Rule = {
  QUEUED: 'QUEUED',
  CONNECTING: 'CONNECTING',
  TRANSFERRING: 'TRANSFERRING',
  SUSPENDED: 'SUSPENDED',
  ERROR: 'ERROR',
  TRANSIENT_ERROR: 'TRANSIENT_ERROR',
  TRANSFERRED: 'TRANSFERRED',
};

/** Maps every non-final state to one target state. */
function allTo(target: JobState): Rule {
  return Object.fromEntries(Object.keys(SAME).map((s) => [s, target]));
}

/**
 * The BITS transition table: for each method, the states that allow it and the state that
 * follows.
 *
 * A state missing from a method's row forbids the method there (BG_E_INVALID_STATE). Every row
 * allows exactly the non-final states, as BITS documents (docs/job-model.md):
 * - Resume: SUSPENDED, ERROR and TRANSIENT_ERROR → QUEUED; QUEUED, CONNECTING and TRANSFERRING
 *   are left alone; a TRANSFERRED job has nothing left to fetch and stays TRANSFERRED.
 * - Complete → ACKNOWLEDGED (a failed rename leaves the job where it was, with an error).
 * - AddFile on a TRANSFERRED job makes it SUSPENDED: it has work again and waits for Resume.
 * - SetRemoteName and ReplaceRemotePrefix on a running job (CONNECTING, TRANSFERRING) stop its
 *   request and queue it again, so the next request goes to the new URL.
 */
export const TRANSITIONS: Readonly<Record<JobMethod, Rule>> = {
  suspend: allTo('SUSPENDED'),
  resume: {
    SUSPENDED: 'QUEUED',
    QUEUED: 'QUEUED',
    CONNECTING: 'CONNECTING',
    TRANSFERRING: 'TRANSFERRING',
    ERROR: 'QUEUED',
    TRANSIENT_ERROR: 'QUEUED',
    TRANSFERRED: 'TRANSFERRED',
  },
  complete: allTo('ACKNOWLEDGED'),
  cancel: allTo('CANCELLED'),
  addFile: { ...SAME, TRANSFERRED: 'SUSPENDED' },
  setProperty: SAME,
  setMinimumRetryDelay: SAME,
  setRemoteName: { ...SAME, CONNECTING: 'QUEUED', TRANSFERRING: 'QUEUED' },
  replaceRemotePrefix: { ...SAME, CONNECTING: 'QUEUED', TRANSFERRING: 'QUEUED' },
  takeOwnership: SAME,
};

/** The same rule without the CONNECTING column, which a DO job never reaches. */
function withoutConnecting(rule: Rule): Rule {
  return Object.fromEntries(Object.entries(rule).filter(([state]) => state !== 'CONNECTING'));
}

/**
 * The DO transition table: the BITS one without CONNECTING ("Not supported" in
 * deliveryoptimization.h), and without SetMinimumRetryDelay, which the DO job interface does
 * not have (its retries follow "the internal retry configuration").
 */
const DO_TRANSITIONS: Readonly<Record<JobMethod, Rule>> = {
  ...(Object.fromEntries(
    Object.entries(TRANSITIONS).map(([method, rule]) => [method, withoutConnecting(rule)]),
  ) as Record<JobMethod, Rule>),
  setMinimumRetryDelay: {},
};

/**
 * What Ferry does where one flavour's page says something the other's does not, or says
 * nothing: shown in docs/job-model.md and by any UI that explains a state.
 */
export interface TransitionNote {
  /** The state (or method) the note is about. */
  readonly about: JobState | JobMethod | 'inactivity';
  readonly text: string;
}

/** Everything that differs between the flavours, as data read by the engine and the UIs. */
export interface FlavourRules {
  readonly flavour: JobFlavour;
  /** For each method, the states that allow it and the state that follows. */
  readonly methods: Readonly<Record<JobMethod, Rule>>;
  /** The state a QUEUED job enters when the scheduler starts its run. */
  readonly runState: JobState;
  /** States a job of this flavour never enters. */
  readonly unreachable: readonly JobState[];
  /**
   * Who sets the wait before a TRANSIENT_ERROR job is retried: the job's minimum retry delay
   * (`job`), or the engine's internal back-off (`engine`, see DO_RETRY_BACKOFF).
   */
  readonly retryDelay: 'job' | 'engine';
  /** States that count as active transfer time against the maximum download time. */
  readonly activeStates: readonly JobState[];
  /** Why each method the flavour lacks altogether is missing (the refusal's message). */
  readonly absent: Readonly<Partial<Record<JobMethod, string>>>;
  readonly notes: readonly TransitionNote[];
}

/** The rules of each flavour. */
export const FLAVOUR_RULES: Readonly<Record<JobFlavour, FlavourRules>> = {
  BITS: {
    flavour: 'BITS',
    methods: TRANSITIONS,
    runState: 'CONNECTING',
    unreachable: [],
    retryDelay: 'job',
    activeStates: ['CONNECTING', 'TRANSFERRING'],
    absent: {},
    notes: [
      {
        about: 'TRANSIENT_ERROR',
        text:
          'Retried after the job’s minimum retry delay (SetMinimumRetryDelay, 600 s by default), ' +
          'or later when the server’s Retry-After asks for more; ERROR once the job has made no ' +
          'progress for its no-progress timeout.',
      },
      {
        about: 'TRANSIENT_ERROR',
        text:
          'BITS does not retry after a network disconnect: when the system reports the network ' +
          'gone, a job failing with a network error waits in TRANSIENT_ERROR without spending ' +
          'retries or no-progress time, and is retried at once when the network returns.',
      },
    ],
  },
  DO: {
    flavour: 'DO',
    methods: DO_TRANSITIONS,
    runState: 'TRANSFERRING',
    unreachable: ['CONNECTING'],
    retryDelay: 'engine',
    activeStates: ['TRANSFERRING'],
    absent: {
      setMinimumRetryDelay:
        'a DO (Delivery Optimization) job retries on Ferry’s internal back-off, not on a delay ' +
        'of its own (GetMinimumRetryDelay reports the back-off’s current wait)',
    },
    notes: [
      {
        about: 'CONNECTING',
        text:
          'Not supported: a DO job goes from QUEUED straight to TRANSFERRING when its run ' +
          'starts, and is TRANSFERRING while it connects; a failed connection takes it from ' +
          'TRANSFERRING to TRANSIENT_ERROR (or ERROR), where BITS would leave CONNECTING.',
      },
      {
        about: 'setMinimumRetryDelay',
        text:
          'The DO job has no minimum retry delay: SetMinimumRetryDelay is refused ' +
          '(INPUT_UNSUPPORTED_FOR_FLAVOUR) and GetMinimumRetryDelay reports the internal ' +
          'back-off’s current step: the wait after its latest transient error, 60 s before any.',
      },
      {
        about: 'TRANSIENT_ERROR',
        text:
          'Retried on Ferry’s internal back-off ("the internal retry configuration"): 60 s ' +
          'after the first error, doubling for each further error without progress, at most ' +
          '600 s; progress starts it over. It still becomes ERROR when the job makes no ' +
          'progress for its no-progress timeout, as the DO page says.',
      },
      {
        about: 'TRANSIENT_ERROR',
        text:
          'The DO page leaves out BITS’ sentence that network disconnects are not retried. ' +
          'Ferry treats both flavours alike: with the network reported gone, a network failure ' +
          'waits without spending back-off steps or no-progress time and is retried when the ' +
          'network returns, since retrying without a network cannot succeed.',
      },
      {
        about: 'SUSPENDED',
        text:
          'The DO page leaves out "automatically suspends a job when it is created". A DO job ' +
          'is created SUSPENDED all the same: files are added first and Resume starts it, the ' +
          'one create/add/resume sequence of both flavours.',
      },
      {
        about: 'resume',
        text:
          'DO’s Resume page moves the job to TRANSFERRING. Ferry moves it to QUEUED and its run ' +
          'starts (→ TRANSFERRING) as soon as a slot is free, at once when one is: the limit ' +
          'on jobs running together applies to both flavours.',
      },
      {
        about: 'inactivity',
        text:
          'Delivery Optimization keeps jobs for 30 days and ignores the inactivity timeout; ' +
          'Ferry applies its one inactivity rule (90 days untouched → cancelled, a setting) to ' +
          'both flavours, so a user has a single retention rule to know.',
      },
    ],
  },
};

/** What the table needs to know of a job beyond its state. */
export interface JobKind {
  /** BITS when left out. */
  readonly flavour?: JobFlavour | undefined;
  /** DOWNLOAD when left out. */
  readonly type?: JobType | undefined;
}

/**
 * Where an upload job (UPLOAD, UPLOAD_REPLY) differs from the table: Complete only from
 * TRANSFERRED (IBackgroundCopyJob::Complete: an upload job cannot keep "the files that did
 * transfer", since the server holds one file, whole or not at all).
 */
const UPLOAD_OVERRIDES: Readonly<Partial<Record<JobMethod, Rule>>> = {
  complete: { TRANSFERRED: 'ACKNOWLEDGED' },
};

/** A method's row for a job: its flavour's, with the upload overrides for upload jobs. */
function ruleFor(method: JobMethod, kind: JobKind | undefined): Rule {
  const upload = kind?.type !== undefined && kind.type !== 'DOWNLOAD';
  return (upload ? UPLOAD_OVERRIDES[method] : undefined) ?? rulesFor(kind).methods[method];
}

/** The rules of a job's flavour. */
export function rulesFor(kind: JobKind = {}): FlavourRules {
  return FLAVOUR_RULES[kind.flavour ?? 'BITS'];
}

/** Whether a method may be called on a job in this state. */
export function isAllowed(method: JobMethod, state: JobState, kind?: JobKind): boolean {
  return ruleFor(method, kind)[state] !== undefined;
}

/** The state a job moves to when the method succeeds, or null when the state forbids it. */
export function nextState(method: JobMethod, state: JobState, kind?: JobKind): JobState | null {
  return ruleFor(method, kind)[state] ?? null;
}

/** Whether the job's flavour has the method at all (in some state). */
export function hasMethod(method: JobMethod, kind?: JobKind): boolean {
  return Object.keys(rulesFor(kind).methods[method]).length > 0;
}

/** Why the job's flavour lacks a method, or null when it has it. */
export function absentReason(method: JobMethod, kind?: JobKind): string | null {
  if (hasMethod(method, kind)) return null;
  return rulesFor(kind).absent[method] ?? `${rulesFor(kind).flavour} jobs do not have it`;
}
