import { z } from 'zod';
import { jobIdSchema } from './commands.js';

/** Input of IBackgroundCopyFile3::SetValidationState. */
export const setValidationStateInput = z.strictObject({
  jobId: jobIdSchema,
  fileIndex: z.number().int('must be an integer').nonnegative('must not be negative'),
  valid: z.boolean(),
});
