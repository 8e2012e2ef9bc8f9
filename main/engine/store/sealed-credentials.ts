import { FerryError } from '../../../app/index.js';
import { storedCredentialsSchema } from '../../../app/credential-commands.js';
import type { JobCredential } from '../../../app/model/credentials.js';
import type { SecretBox } from './secret-box.js';

/**
 * A job's credentials in the store: one sealed value (AES-256-GCM under secret.key, as every
 * other secret of the store), so neither user names nor passwords are in ferry.db in clear.
 */
export function sealCredentials(secrets: SecretBox, credentials: readonly JobCredential[]): string {
  return secrets.seal(JSON.stringify(credentials));
}

/** The credentials a stored value holds; '' (a row from before credentials existed) is none. */
export function openCredentials(secrets: SecretBox, stored: string): JobCredential[] {
  if (stored === '') return [];
  const text = secrets.open(stored);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw formError('they are not JSON', cause);
  }
  const parsed = storedCredentialsSchema.safeParse(value);
  if (!parsed.success) throw formError(parsed.error.issues[0]?.message ?? 'invalid', undefined);
  return parsed.data;
}

function formError(why: string, cause: unknown): FerryError {
  return new FerryError(
    'STORE_FAILED',
    'GENERAL_QUEUE_MANAGER',
    `A job's stored credentials cannot be read (${why})`,
    { cause },
  );
}
