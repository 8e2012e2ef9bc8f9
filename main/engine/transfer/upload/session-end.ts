import { sendPacket } from './bits-packet.js';
import type { PacketContext } from './bits-packet.js';
import { BITS_HEADER } from '../../../../app/upload-protocol.js';
import type { UploadSession } from './upload-file.js';

/**
 * Close-Session: the upload (and, for upload-reply, the reply download) is done, and the server
 * may free the session. A server that no longer knows the session has already freed it, which
 * is what was asked. Other failures are thrown (transient or final, as any packet's), so the
 * job retries the close before it reports TRANSFERRED.
 */
export async function closeSession(ctx: PacketContext, session: UploadSession): Promise<void> {
  await sendPacket(ctx, {
    url: new URL(session.url),
    type: 'Close-Session',
    headers: [BITS_HEADER.sessionId, session.id],
  });
}

/**
 * Cancel-Session, best effort: the server deletes what it holds of the upload. Whether it was
 * heard; a failure is not an error of the job, which is cancelled either way.
 */
export async function cancelSession(ctx: PacketContext, session: UploadSession): Promise<boolean> {
  try {
    await sendPacket(ctx, {
      url: new URL(session.url),
      type: 'Cancel-Session',
      headers: [BITS_HEADER.sessionId, session.id],
    });
    // An Ack, or a server that has already forgotten the session: either way it is gone.
    return true;
  } catch {
    return false;
  }
}
