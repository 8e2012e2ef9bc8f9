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
import { EXTENSION_BROWSERS, pairedExtensionSchema } from './browser.js';
import { appSettingsPatch } from './model/app-settings.js';
import { JOB_STATES } from './model/job-state.js';
import { STATE_CAUSES } from './state-log.js';
import { engineSettingsPatch, proxySettingsSchema } from './commands.js';

/**
 * What a client checks on receipt: the schema of each command's result and each event's
 * payload (app/ws-client.ts parses with these instead of trusting the host). Commands and
 * events missing here are passed on unchecked; every job, job list and job event is here.
 */

const count = z.number().int().nonnegative();
const revision = count;

/** What `browser.pairings` and the pairing commands report. */
const pairingsView = z.strictObject({
  pending: z.array(
    z.strictObject({
      browser: z.enum(EXTENSION_BROWSERS),
      extensionId: z.string(),
      label: z.string(),
      requestedAt: z.string(),
    }),
  ),
  paired: z.array(pairedExtensionSchema),
});

/**
 * Both halves of the settings, every field present and checked with the schema settings.set
 * uses for it (the engine stores nothing else).
 */
const settingsView = z.strictObject({
  // The stored default proxy is shown even if written before addresses were checked.
  engine: z.object({ ...engineSettingsPatch.shape, defaultProxy: proxySettingsSchema }).required(),
  app: z.object(appSettingsPatch.omit({ pairedExtensions: true }).shape).required(),
});

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
  'job.setCredentials': jobDetailsSchema,
  'job.removeCredentials': jobDetailsSchema,
  'job.setValidationState': jobDetailsSchema,
  'job.setReplyFileName': jobDetailsSchema,
  'job.getReplyData': z.strictObject({
    base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
    bytes: count,
  }),
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
  'settings.get': settingsView,
  'settings.set': settingsView,
  'job.setNotifyInterface': z.strictObject({
    jobId: jobIdValue,
    registered: z.boolean(),
    notifyFlags: count,
  }),
  'job.stateLog': z.array(
    z.strictObject({ time: z.number(), state: z.enum(JOB_STATES), cause: z.enum(STATE_CAUSES) }),
  ),
  'browser.pair': z.strictObject({ status: z.enum(['paired', 'pending', 'denied']) }),
  'browser.pairings': pairingsView,
  'browser.decide': pairingsView,
  'browser.revoke': pairingsView,
  'browser.openAdd': z.strictObject({ windows: count }),
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
  pairingsChanged: z.strictObject({ revision, pairings: pairingsView }),
  addRequested: z.strictObject({
    revision,
    urls: z.array(z.string()),
    referrer: z.string().nullable(),
    from: z.string(),
  }),
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
