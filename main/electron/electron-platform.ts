import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  clipboard,
  dialog,
  ipcMain,
  nativeImage,
  net,
  powerMonitor,
  protocol,
  session,
  shell,
} from 'electron';
import type {
  BrowserWindowConstructorOptions,
  IpcMainEvent,
  IpcMainInvokeEvent,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  NativeImage,
  NotificationConstructorOptions,
  OpenDialogOptions,
  Privileges,
} from 'electron';
import { APP_HOST, APP_PAGE_URL, APP_SCHEME } from './app-protocol.js';
import type {
  DesktopPlatform,
  IpcSender,
  PlatformWindow,
  PowerEvent,
  TrayImage,
} from './platform.js';

/**
 * The desktop platform port implemented with Electron: the only module besides the preload
 * that imports `electron`. Every function here is a direct translation; all decisions live in
 * the modules that use the port, which the tests run through a test platform.
 *
 * Call before `app` is ready: the app's scheme must be registered as privileged first.
 */
export function createElectronPlatform(): DesktopPlatform {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true } satisfies Privileges,
    },
  ]);
  // Ferry lives in the tray: closing its last window must not quit it.
  app.on('window-all-closed', () => undefined);

  const powerListeners = new Set<(event: PowerEvent) => void>();
  const emitPower = (event: PowerEvent): void => {
    for (const listener of powerListeners) listener(event);
  };
  const forward = (event: PowerEvent) => () => {
    emitPower(event);
  };
  let powerWired = false;
  const wirePower = (): void => {
    if (powerWired) return;
    powerWired = true;
    powerMonitor.on('suspend', forward('suspend'));
    powerMonitor.on('resume', forward('resume'));
    powerMonitor.on('lock-screen', forward('lock-screen'));
    powerMonitor.on('unlock-screen', forward('unlock-screen'));
    // Linux and macOS report the session's end here, Windows on each window (windowOf).
    powerMonitor.on('shutdown', forward('session-end'));
  };
  // Notifications still on screen: an unreferenced one can be collected before its click.
  const liveNotifications = new Set<Notification>();

  return {
    app: {
      version: app.getVersion(),
      isPackaged: app.isPackaged,
      argv: process.argv,
      enableSandbox: app.enableSandbox.bind(app),
      requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
      whenReady: () => app.whenReady(),
      onSecondInstance: (listener) => {
        app.on('second-instance', (_event, argv) => {
          listener(argv);
        });
      },
      onBeforeQuit: (listener) => {
        app.on('before-quit', (event) => {
          if (listener() === 'wait') event.preventDefault();
        });
      },
      quit: app.quit.bind(app),
      exit: app.exit.bind(app),
    },
    ipc: {
      handle: (channel, handler) => {
        ipcMain.handle(channel, (event, message: unknown) => handler(senderOf(event), message));
      },
      on: (channel, listener) => {
        ipcMain.on(channel, (event, message: unknown) => {
          listener(senderOf(event), message);
        });
      },
      remove: (channels) => {
        for (const channel of channels) {
          ipcMain.removeHandler(channel);
          ipcMain.removeAllListeners(channel);
        }
      },
    },
    serveApp: (handlerFor) => {
      const handler = handlerFor(`${APP_SCHEME}://${APP_HOST}`);
      protocol.handle(APP_SCHEME, async (request) => {
        const response = await handler(request.url);
        return new Response(new Uint8Array(response.body), {
          status: response.status,
          headers: response.headers,
        });
      });
      return APP_PAGE_URL;
    },
    createWindow: (options) =>
      windowOf(new BrowserWindow(options satisfies BrowserWindowConstructorOptions), emitPower),
    createTray: (image) => {
      const tray = new Tray(imageOf(image));
      return {
        setImage: (next) => {
          tray.setImage(imageOf(next));
        },
        setToolTip: (text) => {
          tray.setToolTip(text);
        },
        setMenu: (items) => {
          const template = items.map((item): MenuItemConstructorOptions =>
            item.type === 'separator'
              ? { type: 'separator' }
              : { label: item.label, enabled: item.enabled, click: item.click },
          );
          tray.setContextMenu(Menu.buildFromTemplate(template));
        },
        onClick: (listener) => {
          tray.on('click', listener);
        },
        destroy: tray.destroy.bind(tray),
      };
    },
    notifications: {
      isSupported: () => Notification.isSupported(),
      show: (text, onClick) => {
        const options = {
          title: text.title,
          body: text.body,
        } satisfies NotificationConstructorOptions;
        const notification = new Notification(options);
        liveNotifications.add(notification);
        notification.on('click', () => {
          liveNotifications.delete(notification);
          onClick();
        });
        notification.on('close', () => liveNotifications.delete(notification));
        notification.show();
      },
    },
    dialogs: {
      showErrorBox: dialog.showErrorBox.bind(dialog),
      confirm: async (request) => {
        const options = {
          type: 'question',
          title: request.title,
          message: request.message,
          detail: request.detail,
          buttons: [request.confirm, request.cancel],
          defaultId: 1,
          cancelId: 1,
          noLink: true,
        } satisfies MessageBoxOptions;
        return (await dialog.showMessageBox(options)).response === 0;
      },
    },
    onPowerEvent: (listener) => {
      wirePower();
      powerListeners.add(listener);
      return () => powerListeners.delete(listener);
    },
    isOnline: () => net.isOnline(),
    readClipboardText: () => clipboard.readText(),
    openExternal: (url) => {
      shell.openExternal(url).catch(() => undefined);
    },
    openPath: (path) => shell.openPath(path),
    showItemInFolder: shell.showItemInFolder.bind(shell),
    pickFolder: async (start) => {
      const options = {
        properties: ['openDirectory', 'createDirectory'],
        ...(start === '' ? {} : { defaultPath: start }),
      } satisfies OpenDialogOptions;
      const picked = await dialog.showOpenDialog(options);
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    },
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
    harden: (csp, onWindowOpen) => {
      app.on('web-contents-created', (_event, contents) => {
        contents.on('will-navigate', (event) => {
          event.preventDefault();
        });
        contents.on('will-redirect', (event) => {
          event.preventDefault();
        });
        contents.on('will-attach-webview', (event) => {
          event.preventDefault();
        });
        contents.setWindowOpenHandler(({ url }) => {
          onWindowOpen(url);
          return { action: 'deny' };
        });
      });
      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((_contents, _permission, callback) => {
        callback(false);
      });
      ses.setPermissionCheckHandler(() => false);
      ses.webRequest.onHeadersReceived((details, callback) => {
        callback({
          responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
        });
      });
    },
  };
}

function windowOf(window: BrowserWindow, emitPower: (event: PowerEvent) => void): PlatformWindow {
  window.on('session-end', () => {
    emitPower('session-end');
  });
  const contents = window.webContents;
  return {
    contentsId: contents.id,
    load: (url) => window.loadURL(url),
    show: () => {
      if (window.isDestroyed()) return;
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    hide: () => {
      if (!window.isDestroyed()) window.hide();
    },
    isDestroyed: () => window.isDestroyed(),
    setProgress: (progress) => {
      if (!window.isDestroyed()) window.setProgressBar(progress.value, { mode: progress.mode });
    },
    send: (channel, message) => {
      if (!contents.isDestroyed()) contents.send(channel, message);
    },
    onReadyToShow: (listener) => {
      window.once('ready-to-show', listener);
    },
    onCloseRequest: (listener) => {
      window.on('close', (event) => {
        if (!listener()) event.preventDefault();
      });
    },
    onClosed: (listener) => {
      window.once('closed', listener);
    },
    onNewPage: (listener) => {
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) listener();
      });
    },
  };
}

function senderOf(event: IpcMainEvent | IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url ?? null,
    isMainFrame: frame !== null && frame.parent === null,
  };
}

function imageOf(image: TrayImage): NativeImage {
  const result = nativeImage.createEmpty();
  result.addRepresentation({ scaleFactor: 1, buffer: Buffer.from(image.png1x) });
  result.addRepresentation({ scaleFactor: 2, buffer: Buffer.from(image.png2x) });
  return result;
}
