import { z } from 'zod';
import { DEFAULT_FOLDER_RULES, folderRulesSchema } from './folder-rules.js';
import type { FolderRule } from './folder-rules.js';
import type { PairedExtension } from '../browser.js';
import { pairedExtensionSchema } from '../browser.js';

/** UI themes. */
export const THEMES = ['system', 'light', 'dark'] as const;
/** One UI theme. */
export type Theme = (typeof THEMES)[number];

/** Languages the UI is translated into. */
export const LANGUAGES = ['en', 'fr'] as const;
/** One UI language. */
export type Language = (typeof LANGUAGES)[number];

/** What dropping or pasting URLs does: open the add dialog pre-filled, or queue at once. */
export const DROP_ACTIONS = ['dialog', 'queue'] as const;
/** One drop action. */
export type DropAction = (typeof DROP_ACTIONS)[number];

/**
 * Settings of the shells and the UI, kept in the engine's store beside the engine settings so
 * that the desktop app, `ferry serve` and the CLI all see the same ones.
 *
 * `downloadFolder` empty means "the host's default" (the user's Downloads folder).
 */
export interface AppSettings {
  readonly downloadFolder: string;
  readonly notifications: boolean;
  readonly theme: Theme;
  readonly language: Language;
  readonly dropAction: DropAction;
  /** Desktop app only: expose the RPC endpoint for the CLI and browsers. */
  readonly rpcEnabled: boolean;
  /** Loopback port of the RPC endpoint / headless server. */
  readonly rpcPort: number;
  /** Browser extensions the user allowed to hand downloads over (see app/browser.ts). */
  readonly pairedExtensions: readonly PairedExtension[];
  /**
   * Desktop app only: locking the screen pauses transfers (jobs back to QUEUED) until it is
   * unlocked. System suspend and the end of the session always do.
   */
  readonly pauseOnLock: boolean;
  /**
   * Downloads added from the window are completed as soon as they finish (their
   * TransferPolicy's `completeWhenTransferred`), so files appear at their final names at once.
   */
  readonly completeWhenDone: boolean;
  /**
   * Finished downloads stay in the main list as "Done" until cleared: "Clear finished" sets
   * this to the time it was pressed (ms), and done jobs finished before it show in History only.
   */
  readonly listClearedBefore: number;
  /** The folder the last download was added to, offered first by the add dialog. */
  readonly lastFolder: string;
  /** The speed limit the status bar's toggle turns on, in bytes per second. */
  readonly speedLimitPreset: number;
  /** Folders by file type for new downloads (see FolderRule). */
  readonly folderRules: readonly FolderRule[];
}

/** Default loopback port of `ferry serve` and the desktop app's RPC endpoint. */
export const DEFAULT_RPC_PORT = 17_489;

/** Settings of a fresh data directory. */
export const DEFAULT_APP_SETTINGS: AppSettings = {
  downloadFolder: '',
  notifications: true,
  theme: 'system',
  language: 'en',
  dropAction: 'dialog',
  rpcEnabled: true,
  rpcPort: DEFAULT_RPC_PORT,
  pairedExtensions: [],
  pauseOnLock: false,
  completeWhenDone: true,
  listClearedBefore: 0,
  lastFolder: '',
  speedLimitPreset: 1_000_000,
  folderRules: DEFAULT_FOLDER_RULES,
};

/** Input of `settings.set` for the app half: some or all fields. */
export const appSettingsPatch = z.strictObject({
  pairedExtensions: z.array(pairedExtensionSchema).max(64, 'too many paired extensions').optional(),
  downloadFolder: z.string().max(4096, 'is too long').optional(),
  notifications: z.boolean().optional(),
  theme: z.enum(THEMES).optional(),
  language: z.enum(LANGUAGES).optional(),
  dropAction: z.enum(DROP_ACTIONS).optional(),
  rpcEnabled: z.boolean().optional(),
  rpcPort: z
    .number()
    .int('must be an integer')
    .min(1024, 'must be at least 1024')
    .max(65_535, 'must be at most 65535')
    .optional(),
  pauseOnLock: z.boolean().optional(),
  completeWhenDone: z.boolean().optional(),
  listClearedBefore: z.number().int('must be a time in ms').nonnegative().optional(),
  lastFolder: z.string().max(4096, 'is too long').optional(),
  speedLimitPreset: z
    .number()
    .int('must be a whole number of bytes per second')
    .min(1, 'must be at least 1 byte per second')
    .optional(),
  folderRules: folderRulesSchema.optional(),
});
