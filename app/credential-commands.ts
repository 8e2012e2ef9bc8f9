import { z } from 'zod';
import { jobIdSchema } from './commands.js';
import { hasHeaderControl } from './input-text.js';
import {
  AUTH_SCHEMES,
  AUTH_TARGETS,
  MAX_CREDENTIAL_LENGTH,
  UNSUPPORTED_AUTH_SCHEMES,
} from './model/credentials.js';
import type { AuthScheme } from './model/credentials.js';

/**
 * Schemas of SetCredentials and RemoveCredentials (IBackgroundCopyJob2).
 *
 * BITS' schemes are all accepted by name so that NTLM, Negotiate and Passport get a sentence
 * saying Ferry does not speak them, rather than "invalid enum value".
 */
const scheme = z
  .enum([...AUTH_SCHEMES, ...UNSUPPORTED_AUTH_SCHEMES])
  .transform((value, ctx): AuthScheme => {
    if (isAuthScheme(value)) return value;
    ctx.addIssue({
      code: 'custom',
      message: `${value} is not supported: Ferry answers BASIC and DIGEST challenges only`,
    });
    return z.NEVER;
  });

function isAuthScheme(value: string): value is AuthScheme {
  return (AUTH_SCHEMES as readonly string[]).includes(value);
}

/** Text that goes into an HTTP header (a user name, a password): no line breaks or controls. */
const headerSafe = (what: string) =>
  z
    .string()
    .max(MAX_CREDENTIAL_LENGTH, `is too long (at most ${MAX_CREDENTIAL_LENGTH} characters)`)
    .refine((value) => !hasHeaderControl(value), `must not contain control characters (${what})`);

/** Input of SetCredentials: one set per target and scheme, replacing any set before. */
export const setCredentialsInput = z
  .strictObject({
    jobId: jobIdSchema,
    target: z.enum(AUTH_TARGETS),
    scheme,
    userName: headerSafe('user name').min(1, 'must not be empty'),
    password: headerSafe('password'),
  })
  .superRefine((value, ctx) => {
    // RFC 7617: a Basic user-id cannot hold a colon, the server would split it there.
    if (value.scheme === 'BASIC' && value.userName.includes(':')) {
      ctx.addIssue({
        code: 'custom',
        path: ['userName'],
        message: "must not contain ':' with BASIC (RFC 7617)",
      });
    }
  });

/** Input of RemoveCredentials. */
export const removeCredentialsInput = z.strictObject({
  jobId: jobIdSchema,
  target: z.enum(AUTH_TARGETS),
  scheme,
});

/** A job's credentials as the store keeps them (sealed JSON), checked when read back. */
export const storedCredentialsSchema = z
  .array(
    z.strictObject({
      target: z.enum(AUTH_TARGETS),
      scheme: z.enum(AUTH_SCHEMES),
      userName: z.string(),
      password: z.string(),
    }),
  )
  .max(AUTH_TARGETS.length * AUTH_SCHEMES.length);
