// Zod schemas of the contract's result types (app/contract.ts, app/model/job.ts), strict so
// that `ferry --json` output must be exactly the contract's shape: no field missing, none
// extra, states among the nine BITS names.
import { z } from 'zod';
import type {
  CompleteOutput,
  JobDetails,
  JobErrorInfo,
  JobFileInfo,
  JobId,
  SettingsView,
} from '../../app/index.js';
import {
  ERROR_CONTEXTS,
  JOB_PRIORITIES,
  JOB_STATES,
  JOB_TYPES,
  PROXY_USAGES,
  isJobId,
} from '../../app/index.js';

const jobId = z.custom<JobId>((value) => typeof value === 'string' && isJobId(value));
const count = z.number().int().nonnegative();

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
}) satisfies z.ZodType<JobFileInfo>;

export const jobDetailsSchema = z.strictObject({
  id: jobId,
  type: z.enum(JOB_TYPES),
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
  }),
  errorCount: count,
  error: jobErrorSchema.nullable(),
  files: z.array(jobFileSchema),
  errors: z.array(jobErrorSchema),
}) satisfies z.ZodType<JobDetails>;

export const completeOutputSchema = z.strictObject({
  job: jobDetailsSchema,
  partial: z.boolean(),
  unableToDeleteFiles: z.boolean(),
}) satisfies z.ZodType<CompleteOutput>;

export const settingsViewSchema = z.strictObject({
  engine: z.record(z.string(), z.unknown()),
  app: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<{ [K in keyof SettingsView]: Record<string, unknown> }>;

/** Parses stdout as JSON and checks it against `schema`, with the output in the failure. */
export function parseJson<S extends z.ZodType>(schema: S, stdout: string): z.output<S> {
  const result = schema.safeParse(JSON.parse(stdout));
  if (!result.success) {
    throw new Error(
      `--json output does not match the contract: ${result.error.message}\n${stdout}`,
    );
  }
  return result.data;
}
