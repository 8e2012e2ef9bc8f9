/**
 * Job identifiers: a GUID in its canonical lower-case 8-4-4-4-12 form.
 *
 * Branded so that an arbitrary string cannot be passed where a checked id is expected.
 */
export type JobId = string & { readonly __brand: 'JobId' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a string is a well-formed job id. */
export function isJobId(value: string): value is JobId {
  return GUID.test(value);
}
