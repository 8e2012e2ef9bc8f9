import { z } from 'zod';
import type {
  CancelOutput,
  CompleteOutput,
  JobDetails,
  JobsChangedPayload,
  JobsSnapshot,
  SettingsView,
} from './contract.js';
import type { FerryErrorShape } from './errors.js';
import { FERRY_ERROR_CODES } from './errors.js';
import { ERROR_CONTEXTS } from './model/error-context.js';
import type { JobId } from './model/ids.js';
import { isJobId } from './model/ids.js';
import type { JobErrorInfo, JobFileInfo, JobInfo } from './model/job.js';
import { JOB_STATES } from './model/job-state.js';
import { JOB_TYPES } from './model/job-type.js';
import { JOB_FLAVOURS } from './model/job-flavour.js';
import { JOB_PRIORITIES } from './model/priority.js';
import { PROXY_USAGES } from './model/proxy.js';
import { JOB_METHODS } from './transitions.js';
import { AUTH_SCHEMES, AUTH_TARGETS } from './model/credentials.js';
import { VALIDATION_OUTCOMES, expectedDigestSchema } from './model/validation.js';

/**
 * Runtime schemas of what comes back from the engine: jobs, their files and errors, snapshots
 * and the error shape. Strict, so that a value of the wrong shape (a corrupt store row, a
 * server of another version, a `ferry --json` output) is refused instead of trusted: no field
 * missing, none extra, states among the nine BITS names.
 *
 * Each schema `satisfies` the contract type it checks, so the two cannot drift apart silently.
 */

/** A job id as the engine reports it (a lower-case GUID), typed as the branded JobId. */
export const jobIdValue = z.custom<JobId>(
  (value) => typeof value === 'string' && isJobId(value),
  'must be a job id (a lower-case GUID)',
);

const count = z.number().int().nonnegative();

/**
 * A FerryError in its plain-data form, as results and `closing` frames carry it. Loose: a
 * field a later version adds to errors is kept, the known ones are checked.
 */
export const errorShapeSchema = z.looseObject({
  code: z.enum(FERRY_ERROR_CODES),
  context: z.enum(ERROR_CONTEXTS),
  message: z.string(),
  fileIndex: z.number().int().optional(),
  httpStatus: z.number().int().optional(),
  sysCode: z.string().optional(),
  method: z.enum(JOB_METHODS).optional(),
  state: z.enum(JOB_STATES).optional(),
  retryAfter: z.number().optional(),
}) satisfies z.ZodType<FerryErrorShape>;

/** IBackgroundCopyError of a job: also what the store keeps in a job's error log. */
export const jobErrorSchema = z.strictObject({
  context: z.enum(ERROR_CONTEXTS),
  code: z.string().regex(/^[A-Z][A-Z_]+$/),
  message: z.string().min(1),
  fileIndex: count.nullable(),
  httpStatus: z.number().int().nullable(),
  sysCode: z.string().nullable(),
  protocol: z.string().nullable(),
  time: z.number(),
}) satisfies z.ZodType<JobErrorInfo>;

/** One file of a job with its progress. */
export const jobFileSchema = z.strictObject({
  index: count,
  remoteName: z.string(),
  localName: z.string(),
  tempName: z.string(),
  progress: z.strictObject({
    bytesTotal: count.nullable(),
    bytesTransferred: count,
    transferred: z.boolean(),
    completed: z.boolean(),
  }),
  validation: z.strictObject({
    digest: expectedDigestSchema.nullable(),
    outcome: z.enum(VALIDATION_OUTCOMES),
    valid: z.boolean(),
    downloadedFromPeer: z.boolean(),
    checksumUrl: z.string().nullable(),
  }),
}) satisfies z.ZodType<JobFileInfo>;

/** A job's properties (JobInfo), without its files and error log. */
export const jobInfoSchema = z.strictObject({
  id: jobIdValue,
  type: z.enum(JOB_TYPES),
  flavour: z.enum(JOB_FLAVOURS),
  displayName: z.string(),
  description: z.string(),
  state: z.enum(JOB_STATES),
  priority: z.enum(JOB_PRIORITIES),
  owner: z.string(),
  progress: z.strictObject({
    bytesTotal: count.nullable(),
    bytesTransferred: count,
    filesTotal: count,
    filesTransferred: count,
  }),
  times: z.strictObject({
    creationTime: z.number(),
    modificationTime: z.number(),
    transferCompletionTime: z.number().nullable(),
    retryTime: z.number().nullable(),
  }),
  minimumRetryDelay: z.number().nonnegative(),
  noProgressTimeout: z.number().nonnegative(),
  maximumDownloadTime: z.number().nonnegative(),
  notifyFlags: count,
  notifyCmdLine: z.strictObject({ program: z.string(), args: z.array(z.string()) }).nullable(),
  proxy: z.strictObject({
    usage: z.enum(PROXY_USAGES),
    proxyList: z.array(z.string()),
    bypassList: z.array(z.string()),
  }),
  customHeaders: z.array(z.string()),
  transferPolicy: z.strictObject({
    connectionsPerFile: count.nullable(),
    speedLimit: count,
    completeWhenTransferred: z.boolean(),
    trustedCertificates: z.array(z.string()),
  }),
  errorCount: count,
  error: jobErrorSchema.nullable(),
  credentials: z.array(
    z.strictObject({
      target: z.enum(AUTH_TARGETS),
      scheme: z.enum(AUTH_SCHEMES),
      userName: z.string(),
    }),
  ),
  /** UPLOAD_REPLY jobs only. */
  reply: z
    .strictObject({
      fileName: z.string().nullable(),
      progress: z.strictObject({ bytesTotal: count.nullable(), bytesTransferred: count }),
      completed: z.boolean(),
    })
    .optional(),
}) satisfies z.ZodType<JobInfo>;

/** A job with its files and its error log (GetJob, EnumJobs). */
export const jobDetailsSchema = jobInfoSchema.extend({
  files: z.array(jobFileSchema),
  errors: z.array(jobErrorSchema),
}) satisfies z.ZodType<JobDetails>;

/** Result of Complete. */
export const completeOutputSchema = z.strictObject({
  job: jobDetailsSchema,
  partial: z.boolean(),
  unableToDeleteFiles: z.boolean(),
}) satisfies z.ZodType<CompleteOutput>;

/** Result of Cancel. */
export const cancelOutputSchema = z.strictObject({
  job: jobDetailsSchema,
  unableToDeleteFiles: z.boolean(),
}) satisfies z.ZodType<CancelOutput>;

/** Result of `jobs.snapshot`. */
export const jobsSnapshotSchema = z.strictObject({
  revision: count,
  jobs: z.array(jobDetailsSchema),
}) satisfies z.ZodType<JobsSnapshot>;

/** Payload of `jobsChanged`. */
export const jobsChangedSchema = z.strictObject({
  revision: count,
  changed: z.array(jobInfoSchema),
  added: z.array(jobDetailsSchema),
  removed: z.array(jobIdValue),
}) satisfies z.ZodType<JobsChangedPayload>;

/**
 * The two halves of `settings.get`, each a record of settings: their fields are checked on the
 * way in (settings.set) and when read from the store, so a client only checks the shape here.
 */
export const settingsViewSchema = z.strictObject({
  engine: z.record(z.string(), z.unknown()),
  app: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<{ [K in keyof SettingsView]: Record<string, unknown> }>;
