import type { JobFlavour, JobPriority, ProxyUsage } from '../../app/index.js';
import {
  FerryError,
  JOB_FLAVOURS,
  JOB_PRIORITIES,
  NotifyFlag,
  PROXY_USAGES,
} from '../../app/index.js';
import type { NotifyFlagName } from '../../app/index.js';

/**
 * Parsers for command-line values, each throwing INPUT_INVALID that names the argument and
 * what it accepts, before anything is sent to the server.
 */

function invalid(message: string): FerryError {
  return new FerryError('INPUT_INVALID', 'GENERAL_QUEUE_MANAGER', message);
}

/** A BITS priority, in any case: FOREGROUND, HIGH, NORMAL or LOW. */
export function parsePriority(text: string): JobPriority {
  const upper = text.toUpperCase();
  const found = JOB_PRIORITIES.find((p) => p === upper);
  if (found === undefined) {
    throw invalid(`Invalid priority '${text}': use one of ${JOB_PRIORITIES.join(', ')}`);
  }
  return found;
}

/** A job flavour, in any case: BITS or DO (Delivery Optimization). */
export function parseFlavour(text: string): JobFlavour {
  const upper = text.toUpperCase();
  const found = JOB_FLAVOURS.find((f) => f === upper);
  if (found === undefined) {
    throw invalid(`Invalid flavour '${text}': use one of ${JOB_FLAVOURS.join(', ')}`);
  }
  return found;
}

/** A BITS proxy usage, in any case: PRECONFIG, NO_PROXY, OVERRIDE or AUTODETECT. */
export function parseProxyUsage(text: string): ProxyUsage {
  const upper = text.toUpperCase();
  const found = PROXY_USAGES.find((u) => u === upper);
  if (found === undefined) {
    throw invalid(`Invalid proxy usage '${text}': use one of ${PROXY_USAGES.join(', ')}`);
  }
  return found;
}

/** A whole non-negative number (decimal, or hex with 0x), named `what` in errors. */
export function parseCount(text: string, what: string): number {
  const value = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : Number(text);
  if (!/^(?:\d+|0x[0-9a-f]+)$/i.test(text) || !Number.isSafeInteger(value)) {
    throw invalid(`Invalid ${what} '${text}': must be a whole number (0 or more)`);
  }
  return value;
}

/** A TCP port: 0 (any free one) to 65535. */
export function parsePort(text: string): number {
  const port = parseCount(text, 'port');
  if (port > 65_535) {
    throw invalid(`Invalid port '${text}': must be from 0 (any free port) to 65535`);
  }
  return port;
}

/**
 * Notify flags: a number (decimal or 0x hex, as bitsadmin takes them) or flag names joined by
 * `|` or `,` (JOB_TRANSFERRED|JOB_ERROR).
 */
export function parseNotifyFlags(text: string): number {
  if (/^(?:\d+|0x[0-9a-f]+)$/i.test(text)) return parseCount(text, 'notify flags');
  let flags = 0;
  for (const name of text.split(/[|,]/).map((part) => part.trim().toUpperCase())) {
    if (!Object.hasOwn(NotifyFlag, name)) {
      throw invalid(
        `Invalid notify flag '${name}': use a number or names among ${Object.keys(NotifyFlag).join(', ')}`,
      );
    }
    flags |= NotifyFlag[name as NotifyFlagName];
  }
  return flags;
}

/** A list argument split on commas, semicolons or spaces (proxy and bypass lists). */
export function splitList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text.split(/[,;\s]+/).filter((part) => part.length > 0);
}
