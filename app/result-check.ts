import type { z } from 'zod';
import type { CommandName, EventName } from './contract.js';
import { COMMAND_RESULTS, EVENT_PAYLOADS, describeIssues } from './result-schemas.js';

/** A value checked on receipt: the parsed value, or what is wrong with it. */
export type Checked =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problems: string };

/**
 * A command's result as a client received it, checked against the command's result schema
 * (result-schemas.ts); a command without one passes as it is. Every client of a host (the
 * WebSocket client, the desktop window's IPC bridge) checks with this before using a result.
 */
export function checkResult(command: CommandName, value: unknown): Checked {
  const schema: z.ZodType | undefined = COMMAND_RESULTS[command];
  return check(schema, value);
}

/** An event's payload as a client received it, checked against its event's schema. */
export function checkEvent(event: EventName, payload: unknown): Checked {
  const schema: z.ZodType | undefined = EVENT_PAYLOADS[event];
  return check(schema, payload);
}

function check(schema: z.ZodType | undefined, value: unknown): Checked {
  if (schema === undefined) return { ok: true, value };
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: describeIssues(result.error) };
}
