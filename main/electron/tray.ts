import { Menu, Tray, nativeImage } from 'electron';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import type { JobInfo } from '../../app/model/job.js';
import { SpeedMeter } from './speed-meter.js';
import { trayMenuModel, trayTooltip } from './tray-text.js';
import type { TrayAction, TrayMenuEntry } from './tray-text.js';

/**
 * The tray icon: tooltip with aggregate progress and speed, and the menu (Show Ferry, Suspend
 * all, Resume all, Quit). Text and menu come from tray-text.ts; this file only applies them.
 */
export class FerryTray {
  private readonly tray: Tray;
  private readonly speed = new SpeedMeter();
  private menuKey = '';
  private readonly timer: NodeJS.Timeout;

  constructor(
    icon: NativeImage,
    private readonly jobs: () => readonly JobInfo[],
    private readonly onAction: (action: TrayAction) => void,
  ) {
    this.tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon.resize({ width: 16 }));
    this.tray.on('click', () => {
      this.onAction('show');
    });
    // Speed is a rate: it must be sampled on a clock, not only when a batch arrives.
    this.timer = setInterval(() => {
      this.refresh();
    }, 1000);
    this.timer.unref();
    this.refresh();
  }

  /** Re-reads the jobs: tooltip always, menu only when its model changed. */
  refresh(): void {
    const jobs = this.jobs();
    const now = performance.now();
    this.speed.sample(jobs, now);
    this.tray.setToolTip(trayTooltip(jobs, this.speed.bytesPerSecond(now)));
    const model = trayMenuModel(jobs);
    const key = JSON.stringify(model);
    if (key === this.menuKey) return;
    this.menuKey = key;
    this.tray.setContextMenu(Menu.buildFromTemplate(model.map((entry) => this.toItem(entry))));
  }

  destroy(): void {
    clearInterval(this.timer);
    this.tray.destroy();
  }

  private toItem(entry: TrayMenuEntry): MenuItemConstructorOptions {
    if (entry.type === 'separator') return { type: 'separator' };
    return {
      label: entry.label,
      enabled: entry.enabled,
      click: () => {
        this.onAction(entry.action);
      },
    };
  }
}
