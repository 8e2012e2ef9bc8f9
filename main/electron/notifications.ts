import { Notification } from 'electron';
import type { NotificationText } from './notification-text.js';

/**
 * Notifications still on screen: an unreferenced Notification can be garbage-collected, and
 * its click handler with it, before the user clicks.
 */
const live = new Set<Notification>();

/**
 * Shows one OS notification from main (the renderer has no notification permission).
 *
 * `onClick` gets the job the notification is about; the shell shows the window and sends the
 * renderer a `selectJob` shell request on `IPC_CHANNELS.shell`.
 */
export function showNotification(
  text: NotificationText,
  onClick: (text: NotificationText) => void,
): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: text.title, body: text.body });
  live.add(notification);
  notification.on('click', () => {
    live.delete(notification);
    onClick(text);
  });
  notification.on('close', () => {
    live.delete(notification);
  });
  notification.show();
}
