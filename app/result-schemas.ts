import { z } from 'zod';
import type { CommandName, CommandOutput, EventName, EventPayloads } from './contract.js';
import { NETWORK_VARIABLES } from './model/proxy.js';
import {
  cancelOutputSchema,
  completeOutputSchema,
  jobDetailsSchema,
  jobErrorSchema,
  jobFileSchema,
  jobIdValue,
  jobInfoSchema,
  jobsChangedSchema,
  jobsSnapshotSchema,
} from './output-schemas.js';

/**
 * What a client checks on receipt: the schema of each command's result and each event's
 * payload (app/ws-client.ts parses with these instead of trusting the host). Commands and
 * events missing here are passed on unchecked; every job, job list and job event is here.
 */

const count = z.number().int().nonnegative();
const revision = count;

/** The result schema of each command that has one. */
export const COMMAND_RESULTS: { readonly [C in CommandName]?: z.ZodType<CommandOutput<C>> } = {
  'engine.info': z.strictObject({
    version: z.string(),
    dataDir: z.string(),
    user: z.string(),
    pid: count,
    host: z.enum(['desktop', 'server']),
    defaultDownloadFolder: z.string(),
    network: z.array(
      z.strictObject({
        name: z.enum(NETWORK_VARIABLES),
        value: z.string().nullable(),
        digest: z.string().nullable(),
      }),
    ),
  }),
  'job.create': jobDetailsSchema,
  'job.get': jobDetailsSchema,
  'job.addFile': jobDetailsSchema,
  'job.addFileSet': jobDetailsSchema,
  'job.resume': jobDetailsSchema,
  'job.suspend': jobDetailsSchema,
  'job.complete': completeOutputSchema,
  'job.cancel': cancelOutputSchema,
  'job.takeOwnership': jobDetailsSchema,
  'job.setDisplayName': jobDetailsSchema,
  'job.setDescription': jobDetailsSchema,
  'job.setPriority': jobDetailsSchema,
  'job.setMinimumRetryDelay': jobDetailsSchema,
  'job.setNoProgressTimeout': jobDetailsSchema,
  'job.setNotifyFlags': jobDetailsSchema,
  'job.setNotifyCmdLine': jobDetailsSchema,
  'job.setProxySettings': jobDetailsSchema,
  'job.setCustomHeaders': jobDetailsSchema,
  'job.setTransferPolicy': jobDetailsSchema,
  'job.setRemoteName': jobDetailsSchema,
  'job.replaceRemotePrefix': z.strictObject({ job: jobDetailsSchema, replaced: count }),
  'jobs.setNotifyInterface': z.strictObject({ registered: z.boolean() }),
  'jobs.enum': z.array(jobDetailsSchema),
  'jobs.snapshot': jobsSnapshotSchema,
  'jobs.history': z.array(jobDetailsSchema),
  'jobs.removeFromHistory': z.strictObject({ removed: jobIdValue }),
  'jobs.clearHistory': z.strictObject({ removed: count }),
  'files.link': z.strictObject({ url: z.string(), path: z.string() }),
  'files.open': z.strictObject({ opened: z.boolean() }),
  'folders.pick': z.strictObject({ supported: z.boolean(), path: z.string().nullable() }),
  'folders.list': z.strictObject({
    path: z.string(),
    parent: z.string().nullable(),
    home: z.string(),
    separator: z.string(),
    folders: z.array(z.strictObject({ name: z.string(), path: z.string() })),
    truncated: z.boolean(),
  }),
};

/** The payload schema of each event that has one. */
export const EVENT_PAYLOADS: { readonly [E in EventName]?: z.ZodType<EventPayloads[E]> } = {
  jobAdded: z.strictObject({ revision, job: jobDetailsSchema }),
  jobRemoved: z.strictObject({ revision, jobId: jobIdValue }),
  jobModification: z.strictObject({ revision, job: jobInfoSchema }),
  jobTransferred: z.strictObject({ revision, job: jobInfoSchema }),
  jobError: z.strictObject({ revision, job: jobInfoSchema, error: jobErrorSchema }),
  fileTransferred: z.strictObject({ revision, job: jobInfoSchema, file: jobFileSchema }),
  jobsChanged: jobsChangedSchema,
};

/** Every problem of a failed parse, one "field message" each, for an error message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'value';
      return `${where} ${issue.message}`;
    })
    .join('; ');
}
