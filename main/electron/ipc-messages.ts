import { isCommandName, isEventName } from '../../app/contract.js';
import type { EventName } from '../../app/contract.js';
import type { IpcInvokeRequest, IpcSubscribeRequest } from '../../app/ipc-channels.js';

/**
 * Reading the renderer's IPC messages in main: every message arrives as `unknown`.
 *
 * Only the envelope of a message is read here (which command, which events); the command's
 * input stays `unknown` and is validated by the host against the contract's schema.
 */

/** An invoke request with a known command name, or null when the message is malformed. */
export function readInvokeRequest(message: unknown): IpcInvokeRequest | null {
  if (!isRecord(message) || !isCommandName(message.command)) return null;
  return { command: message.command, input: message.input };
}

/**
 * A subscribe request, or null when the message is malformed.
 *
 * Unknown event names make the whole message malformed rather than being dropped: the
 * preload checks names first, so an unknown one means the sender is not our preload.
 */
export function readSubscribeRequest(message: unknown): IpcSubscribeRequest | null {
  if (!isRecord(message) || !Array.isArray(message.events) || typeof message.shell !== 'boolean') {
    return null;
  }
  const events: EventName[] = [];
  for (const name of message.events as unknown[]) {
    if (!isEventName(name)) return null;
    if (!events.includes(name)) events.push(name);
  }
  return { events, shell: message.shell };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
