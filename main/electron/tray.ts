import type { Language } from '../../app/model/app-settings.js';
import type { JobInfo } from '../../app/model/job.js';
import { shellText } from '../../app/shell-text.js';
import type { DesktopPlatform, PlatformMenuItem, PlatformTray } from './platform.js';
import { SpeedMeter } from './speed-meter.js';
import { trayImage } from './tray-icon.js';
import type { TrayState } from './tray-icon.js';
import { trayMenuModel, trayState, trayTooltip } from './tray-text.js';
import type { TrayAction } from './tray-text.js';

/**
 * The tray icon: an image per aggregate state (idle, transferring, error), a tooltip with the
 * aggregate progress and speed, and the menu, in the user's language. Text and menu come from
 * tray-text.ts, the image from tray-icon.ts; this file only keeps them current on the port.
 */
export class FerryTray {
  private readonly tray: PlatformTray;
  private readonly speed = new SpeedMeter();
  private state: TrayState = 'idle';
  private menuKey = '';
  private readonly timer: NodeJS.Timeout;

  constructor(
    platform: DesktopPlatform,
    private readonly jobs: () => readonly JobInfo[],
    private readonly language: () => Language,
    private readonly onAction: (action: TrayAction) => void,
  ) {
    this.tray = platform.createTray(trayImage(this.state));
    this.tray.onClick(() => {
      this.onAction('show');
    });
    // Speed is a rate: it must be sampled on a clock, not only when a batch arrives.
    this.timer = setInterval(() => {
      this.refresh();
    }, 1000);
    this.timer.unref();
    this.refresh();
  }

  /** Re-reads the jobs: tooltip always, image and menu only when they changed. */
  refresh(): void {
    const jobs = this.jobs();
    const text = shellText(this.language());
    const now = performance.now();
    this.speed.sample(jobs, now);
    const state = trayState(jobs);
    if (state !== this.state) {
      this.state = state;
      this.tray.setImage(trayImage(state));
    }
    this.tray.setToolTip(trayTooltip(jobs, this.speed.bytesPerSecond(now), text));
    const model = trayMenuModel(jobs, text);
    const key = JSON.stringify(model);
    if (key === this.menuKey) return;
    this.menuKey = key;
    this.tray.setMenu(
      model.map((entry): PlatformMenuItem =>
        entry.type === 'separator'
          ? entry
          : {
              type: 'item',
              label: entry.label,
              enabled: entry.enabled,
              click: () => {
                this.onAction(entry.action);
              },
            },
      ),
    );
  }

  destroy(): void {
    clearInterval(this.timer);
    this.tray.destroy();
  }
}
