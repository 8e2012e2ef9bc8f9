// The contract's result schemas live in app/output-schemas.ts (strict: `ferry --json` output
// must be exactly the contract's shape); this file adds the stdout parsing the CLI tests share.
import type { z } from 'zod';

export {
  completeOutputSchema,
  jobDetailsSchema,
  jobErrorSchema,
  jobFileSchema,
  settingsViewSchema,
} from '../../app/output-schemas.js';

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
