import { z } from 'zod';
import { FerryError } from './errors.js';
import { JOB_PRIORITIES } from './model/priority.js';
import { JOB_TYPES } from './model/job-type.js';
import { JOB_FLAVOURS } from './model/job-flavour.js';
import { PROXY_USAGES } from './model/proxy.js';
import { ALL_NOTIFY_FLAGS } from './model/notify-flags.js';
import { isJobId } from './model/ids.js';
import { hasHeaderControl, hasNul, localNameProblem } from './input-text.js';
import { proxyEntryProblem } from './proxy-address.js';
import { MAX_DESCRIPTION_LENGTH, MAX_DISPLAY_NAME_LENGTH } from './model/job.js';
import {
  MAX_CONNECTIONS_PER_FILE,
  MAX_TRUSTED_CERTIFICATES,
  parseCertFingerprint,
} from './model/transfer-policy.js';
import { checksumUrlText, digestText } from './model/validation.js';
import type { Weekday } from './model/settings.js';

/**
 * Runtime schemas for every job command's input.
 *
 * Each input is validated once, where it enters: a host parses every command with its schema
 * from the contract's table (main/host/command-table.ts), and the engine's `Engine` and `Job`
 * methods parse their arguments with them for in-process callers; what is parsed is never
 * parsed again. Names follow the BITS methods.
 */

/** A job id: a GUID string. */
export const jobIdSchema = z
  .string()
  .refine(isJobId, { message: 'must be a job id (a lower-case GUID)' });

/** Text without NUL: C APIs, exec and HTTP all cut or refuse it, so it is refused here. */
const text = () => z.string().refine((value) => !hasNul(value), 'must not contain a NUL byte');

const urlString = text().min(1, 'must not be empty').max(8192, 'is too long');
const localName = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'is too long')
  .superRefine((value, ctx) => {
    const problem = localNameProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
/** Seconds, possibly fractional: the engine's in-process API (tests, embedders) only. */
const preciseSeconds = z
  .number()
  .nonnegative('must not be negative')
  .max(4_294_967_295, 'is too large (at most 2^32-1 seconds)');
/** Whole seconds, as BITS' DWORD durations: what clients send (the CLI never sends a fraction). */
const seconds = preciseSeconds.int('must be a whole number of seconds');

/**
 * A header line "Name: value", with a token name and a value of visible characters, spaces
 * and tabs (RFC 9110 5.5): no line breaks, NUL or other control characters.
 */
const headerLine = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\r\n]*$/, 'must be one "Name: value" line')
  .refine((value) => !hasHeaderControl(value), 'must not contain control characters');

/** Input of CreateJob. */
export const createJobInput = z.strictObject({
  displayName: text().min(1, 'must not be empty').max(MAX_DISPLAY_NAME_LENGTH, 'is too long'),
  type: z.enum(JOB_TYPES).default('DOWNLOAD'),
  description: text().max(MAX_DESCRIPTION_LENGTH, 'is too long').optional(),
  priority: z.enum(JOB_PRIORITIES).optional(),
  /** BITS (default) or DO: which documented job model the job follows (job-flavour.ts). */
  flavour: z.enum(JOB_FLAVOURS).optional(),
});

/**
 * One file to add: a remote URL and the absolute local path it is saved to, and optionally the
 * digest its content must have (`sha256:hex`, checked before Complete: docs/validation.md).
 */
export const fileSpec = z.strictObject({
  remoteUrl: urlString,
  localName,
  digest: digestText.optional(),
  /** A checksum file (`f.iso.sha256`, SHA256SUMS) the digest is read from; `digest` wins. */
  checksumUrl: checksumUrlText.optional(),
});

/** Input of AddFile. */
export const addFileInput = z.strictObject({ jobId: jobIdSchema, ...fileSpec.shape });

/**
 * One file of AddFileSet. `nameFromServer`: the local name is only a guess (what
 * downloads.plan proposes), and the file's first response names it for good, in the same
 * folder (its Content-Disposition, else the URL after redirects; made free as the plan does).
 */
export const fileSetEntry = fileSpec.extend({ nameFromServer: z.boolean().optional() });

/** Input of AddFileSet: all files are added, or none. */
export const addFileSetInput = z.strictObject({
  jobId: jobIdSchema,
  files: z.array(fileSetEntry).min(1, 'must hold at least one file').max(100_000, 'too many files'),
});

/** Input of every command that names only a job. */
export const jobRefInput = z.strictObject({ jobId: jobIdSchema });

/** Input of SetDisplayName. */
export const setDisplayNameInput = z.strictObject({
  jobId: jobIdSchema,
  displayName: createJobInput.shape.displayName,
});

/** Input of SetDescription. */
export const setDescriptionInput = z.strictObject({
  jobId: jobIdSchema,
  description: text().max(MAX_DESCRIPTION_LENGTH, 'is too long'),
});

/** Input of SetPriority. */
export const setPriorityInput = z.strictObject({
  jobId: jobIdSchema,
  priority: z.enum(JOB_PRIORITIES),
});

/** Input of SetMinimumRetryDelay (seconds). */
export const setMinimumRetryDelayInput = z.strictObject({ jobId: jobIdSchema, seconds });

/** Input of SetNoProgressTimeout (seconds; 0 makes every error final). */
export const setNoProgressTimeoutInput = z.strictObject({ jobId: jobIdSchema, seconds });

/** Input of SetMaximumDownloadTime (seconds of connecting and transferring; 0 = no limit). */
export const setMaximumDownloadTimeInput = z.strictObject({ jobId: jobIdSchema, seconds });

/**
 * A job duration as the engine's own methods take it (SetMinimumRetryDelay,
 * SetNoProgressTimeout): fractions of a second allowed, so in-process callers (tests) can use
 * short delays; clients go through the contract's whole seconds first.
 */
export const engineDurationInput = z.strictObject({
  jobId: jobIdSchema,
  seconds: preciseSeconds,
});

/** Input of SetNotifyFlags: a combination of the BG_NOTIFY_* bits. */
export const setNotifyFlagsInput = z.strictObject({
  jobId: jobIdSchema,
  flags: z
    .number()
    .int('must be an integer')
    .nonnegative('must not be negative')
    .refine((f) => (f & ~ALL_NOTIFY_FLAGS) === 0, {
      message: `has bits outside the defined BG_NOTIFY_* flags (0x${ALL_NOTIFY_FLAGS.toString(16)})`,
    }),
});

/** Input of SetNotifyCmdLine; null clears it. */
export const setNotifyCmdLineInput = z.strictObject({
  jobId: jobIdSchema,
  cmdLine: z
    .strictObject({
      program: text()
        .min(1, 'must name a program')
        .max(4096, 'is too long')
        .refine(isAbsoluteProgramPath, { message: 'must be an absolute path to a program' }),
      args: z.array(text().max(32_768, 'is too long')).max(256, 'too many arguments').default([]),
    })
    .nullable(),
});

/**
 * Whether a notify program is named by an absolute path (POSIX `/…`, Windows `C:\…` or
 * `\\server\…`): a bare name would be looked up in whatever PATH the engine runs with.
 */
export function isAbsoluteProgramPath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** Proxy settings as SetProxySettings takes them. */
export const proxySettingsSchema = z
  .strictObject({
    usage: z.enum(PROXY_USAGES),
    proxyList: z
      .array(text().min(1, 'must not be empty').max(2048, 'is too long'))
      .max(64)
      .default([]),
    bypassList: z
      .array(text().min(1, 'must not be empty').max(2048, 'is too long'))
      .max(1024)
      .default([]),
  })
  .superRefine((value, ctx) => {
    if (value.usage === 'OVERRIDE' && value.proxyList.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['proxyList'],
        message: 'must name at least one proxy when usage is OVERRIDE',
      });
    }
    if (value.usage !== 'OVERRIDE' && (value.proxyList.length > 0 || value.bypassList.length > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['usage'],
        message: 'proxy and bypass lists are only allowed with usage OVERRIDE',
      });
    }
  });

/**
 * Proxy settings as a command takes them: every OVERRIDE proxy must be an address Ferry can
 * connect through (refused here, not when the job runs). Stored settings are read with
 * proxySettingsSchema alone, so a store written before this check still opens.
 */
export const proxySettingsInput = proxySettingsSchema.superRefine((value, ctx) => {
  value.proxyList.forEach((entry, index) => {
    const problem = proxyEntryProblem(entry);
    if (problem !== null)
      ctx.addIssue({ code: 'custom', path: ['proxyList', index], message: problem });
  });
});

/** Input of SetProxySettings. */
export const setProxySettingsInput = z.strictObject({
  jobId: jobIdSchema,
  proxy: proxySettingsInput,
});

/** Input of SetCustomHeaders: header lines; an empty list clears them. */
export const setCustomHeadersInput = z.strictObject({
  jobId: jobIdSchema,
  headers: z.array(headerLine).max(64, 'too many headers'),
});

/** Input of SetTransferPolicy: connections per file (null = engine setting) and speed limit. */
export const setTransferPolicyInput = z.strictObject({
  jobId: jobIdSchema,
  connectionsPerFile: z
    .number()
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_CONNECTIONS_PER_FILE, `must be at most ${MAX_CONNECTIONS_PER_FILE}`)
    .nullable()
    .optional(),
  speedLimit: z
    .number()
    .int('must be a whole number of bytes per second')
    .nonnegative('must not be negative (0 is unlimited)')
    .optional(),
  completeWhenTransferred: z.boolean().optional(),
  /** SHA-256 fingerprints of certificates this job trusts whatever their issuer (pinned). */
  trustedCertificates: z
    .array(
      z.string().transform((text, ctx) => {
        const fingerprint = parseCertFingerprint(text);
        if (fingerprint === null) {
          ctx.addIssue({
            code: 'custom',
            message: `'${text.slice(0, 80)}' is not a SHA-256 certificate fingerprint (sha256: and 64 hex digits, colons allowed)`,
          });
          return z.NEVER;
        }
        return fingerprint;
      }),
    )
    .max(MAX_TRUSTED_CERTIFICATES, `at most ${MAX_TRUSTED_CERTIFICATES} certificates`)
    .optional(),
});

/** Input of SetReplyFileName (UPLOAD_REPLY jobs): where Complete puts the reply. */
export const setReplyFileNameInput = z.strictObject({
  jobId: jobIdSchema,
  replyFileName: localName,
});

/** Input of IBackgroundCopyFile2::SetRemoteName. */
export const setRemoteNameInput = z.strictObject({
  jobId: jobIdSchema,
  fileIndex: z.number().int('must be an integer').nonnegative('must not be negative'),
  remoteUrl: urlString,
});

/** Input of ReplaceRemotePrefix. */
export const replaceRemotePrefixInput = z.strictObject({
  jobId: jobIdSchema,
  oldPrefix: text().min(1, 'must not be empty').max(8192, 'is too long'),
  newPrefix: text().min(1, 'must not be empty').max(8192, 'is too long'),
});

/** Input of EnumJobs. */
export const enumJobsInput = z.strictObject({ allUsers: z.boolean().default(false) }).default({
  allUsers: false,
});

/**
 * Parses a command's input, or throws INPUT_INVALID naming the command and every bad field.
 *
 * Nothing is changed when this throws, so a rejected command leaves every job as it was.
 */
export function parseInput<S extends z.ZodType>(
  command: string,
  schema: S,
  input: unknown,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
      return `${where} ${issue.message}`;
    })
    .join('; ');
  throw new FerryError(
    'INPUT_INVALID',
    'GENERAL_QUEUE_MANAGER',
    `Invalid input for ${command}: ${problems}`,
  );
}

/** A local time of day, `HH:MM` on a 24-hour clock (00:00–23:59, or 24:00 for midnight). */
const timeOfDay = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time HH:MM (00:00 to 24:00)');

const bytesPerSecond = z
  .number()
  .int('must be a whole number of bytes per second')
  .nonnegative('must not be negative (0 is unlimited)');

/** One scheduled speed limit (see SpeedRule). */
export const speedRuleSchema = z
  .strictObject({
    days: z
      .array(
        z
          .number()
          .int('must be a weekday number')
          .min(0, 'must be a weekday 0 (Sunday) to 6 (Saturday)')
          .max(6, 'must be a weekday 0 (Sunday) to 6 (Saturday)'),
      )
      .min(1, 'must name at least one day')
      .max(7, 'has more than seven days'),
    start: timeOfDay,
    end: timeOfDay,
    speedLimit: bytesPerSecond,
  })
  .refine((rule) => rule.start !== rule.end, {
    message: 'start and end must differ',
    path: ['end'],
  })
  .transform((rule) => ({
    ...rule,
    days: [...new Set(rule.days)].sort((a, b) => a - b) as Weekday[],
  }));

/** Input of settings.set: some or all of the engine settings. */
export const engineSettingsPatch = z.strictObject({
  maxConcurrentJobs: z
    .number()
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(64, 'must be at most 64')
    .optional(),
  userAgent: z
    .string()
    .min(1, 'must not be empty')
    .max(512, 'is too long')
    .regex(/^[^\r\n]*$/, 'must be one line')
    .refine((value) => !hasHeaderControl(value), 'must not contain control characters')
    .optional(),
  connectionsPerFile: z
    .number()
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_CONNECTIONS_PER_FILE, `must be at most ${MAX_CONNECTIONS_PER_FILE}`)
    .optional(),
  minSegmentSize: z
    .number()
    .int('must be a whole number of bytes')
    .min(64 * 1024, 'must be at least 65536 bytes (64 KiB)')
    .max(1024 * 1024 * 1024, 'must be at most 1 GiB')
    .optional(),
  concurrentFilesPerJob: z
    .number()
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(64, 'must be at most 64')
    .optional(),
  segmentStallTimeout: z
    .number()
    .min(1, 'must be at least 1 second')
    .max(3600, 'must be at most 3600 seconds')
    .optional(),
  syncInterval: z
    .number()
    .min(1, 'must be at least 1 second')
    .max(600, 'must be at most 600 seconds')
    .optional(),
  speedLimit: bytesPerSecond.optional(),
  speedSchedule: z.array(speedRuleSchema).max(64, 'has too many rules (at most 64)').optional(),
  backgroundSpeedLimit: bytesPerSecond.optional(),
  defaultMinimumRetryDelay: seconds.optional(),
  defaultNoProgressTimeout: seconds.optional(),
  defaultMaximumDownloadTime: seconds.optional(),
  jobInactivityTimeout: seconds.optional(),
  defaultProxy: proxySettingsInput.optional(),
  /** A PEM file of extra CA certificates trusted by every job; '' for none. */
  extraCaCertificates: z
    .string()
    .max(4096, 'is too long')
    .refine(
      (value) => value === '' || /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value),
      'must be the absolute path of a PEM file, or empty for none',
    )
    .optional(),
});
