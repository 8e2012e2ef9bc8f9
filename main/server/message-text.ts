import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ServerMessage } from '../../app/wire.js';

/** Items serialised between two turns of the event loop. */
const ITEMS_PER_TURN = 100;

/**
 * A server message as the JSON text of one frame, built a slice at a time when it carries a
 * long list (`jobs.enum`, `jobs.history`, a `jobs.snapshot`'s jobs): one `JSON.stringify` of
 * 10,000 jobs holds the event loop for a tenth of a second, during which no other client is
 * answered. The text is the same as `JSON.stringify(message)`.
 */
export async function messageText(message: ServerMessage): Promise<string> {
  if (message.type !== 'result' || !message.result.ok) return JSON.stringify(message);
  const value: unknown = message.result.value;
  const prefix = `{"type":"result","id":${JSON.stringify(message.id)},"result":{"ok":true,"value":`;
  if (Array.isArray(value) && value.length > ITEMS_PER_TURN) {
    return `${prefix}${await listText(value)}}}`;
  }
  if (isRecordWithLongList(value)) {
    const { jobs, ...rest } = value;
    const head = JSON.stringify(rest);
    const separator = head === '{}' ? '' : ',';
    return `${prefix}${head.slice(0, -1)}${separator}"jobs":${await listText(jobs)}}}}`;
  }
  return JSON.stringify(message);
}

async function listText(items: readonly unknown[]): Promise<string> {
  const parts: string[] = [];
  for (let start = 0; start < items.length; start += ITEMS_PER_TURN) {
    if (start > 0) await nextTurn();
    // Array.prototype.slice keeps `undefined` items as `null`, as JSON.stringify of the whole.
    const text = JSON.stringify(items.slice(start, start + ITEMS_PER_TURN));
    parts.push(text.slice(1, -1));
  }
  return `[${parts.filter((part) => part !== '').join(',')}]`;
}

function isRecordWithLongList(
  value: unknown,
): value is { readonly jobs: readonly unknown[]; readonly [key: string]: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const jobs: unknown = (value as { jobs?: unknown }).jobs;
  return Array.isArray(jobs) && jobs.length > ITEMS_PER_TURN && !('toJSON' in value);
}
