import { z } from 'zod';
import { jobIdSchema } from './commands.js';
import { parseUserDigest } from './model/validation.js';
import type { ExpectedDigest } from './model/validation.js';

/**
 * The expected digest of a file as AddFile and the shells take it: `algorithm:hex`
 * (`sha256:9f86…`), parsed into an ExpectedDigest with a sentence for anything wrong.
 */
export const digestText = z
  .string()
  .max(200, 'is too long')
  .transform((text, ctx): ExpectedDigest => {
    const parsed = parseUserDigest(text);
    if (parsed.ok) return parsed.digest;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });

/** Input of IBackgroundCopyFile3::SetValidationState. */
export const setValidationStateInput = z.strictObject({
  jobId: jobIdSchema,
  fileIndex: z.number().int('must be an integer').nonnegative('must not be negative'),
  valid: z.boolean(),
});
