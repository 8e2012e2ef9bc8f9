import { z } from 'zod';
import {
  FerryError,
  appSettingsPatch,
  engineSettingsPatch,
  proxySettingsSchema,
} from '../../../app/index.js';

/**
 * Reading back what the store holds: a row or a setting is checked against a schema instead of
 * trusted, so a row edited by hand, written by a newer version or damaged on disk is a clear
 * STORE_FAILED naming what is wrong with it, never a crash later or a value of the wrong type.
 */

/** A TEXT column holding JSON, checked against `schema` once parsed. */
export function jsonText<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/**
 * `value` parsed with `schema`, or STORE_FAILED saying which stored thing (`what`, e.g.
 * "job 1b4e…") in which database is corrupt, and every bad field.
 */
export function parseStored<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  path: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'value';
      return `${where} ${issue.message}`;
    })
    .join('; ');
  throw new FerryError(
    'STORE_FAILED',
    'GENERAL_QUEUE_MANAGER',
    `The store ${path} holds a corrupt ${what}: ${problems}`,
    { cause: result.error },
  );
}

/** How a row names itself in an error: "job <id>" when its id column reads as text. */
export function rowName(kind: string, row: unknown, key = 'id'): string {
  const id: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, key) : undefined;
  return typeof id === 'string' || typeof id === 'number' ? `${kind} ${String(id)}` : kind;
}

/**
 * Stored engine settings: the fields settings.set accepts, each checked again on the way back
 * in. A key no longer known (a setting a later version dropped) is left out, not refused.
 */
export const storedEngineSettings = z.object({
  ...engineSettingsPatch.shape,
  // A default proxy stored before addresses were checked still opens (it fails when used).
  defaultProxy: proxySettingsSchema.optional(),
});

/** Stored app settings, as storedEngineSettings. */
export const storedAppSettings = z.object(appSettingsPatch.shape);
