/**
 * The desktop shell's words (tray, menu, OS notifications, dialogs), in the window's i18n
 * catalogue: renderer/i18n puts these under its `shell` key, so there is one catalogue with one
 * set of keys per language, and the same `{{name}}` placeholders i18next uses.
 *
 * The shell reads them with `shellText(language)` and `fillIn`, without i18next.
 */
export const SHELL_TEXT_EN = {
  tray: {
    idle: 'Ferry: no active downloads',
    active: 'Ferry: {{count}} downloads, {{amount}}, {{speed}}/s',
    activeOne: 'Ferry: 1 download, {{amount}}, {{speed}}/s',
    percentOf: '{{percent}}% of {{total}}',
    soFar: '{{done}} so far',
    failed: ', {{count}} failed',
    show: 'Show Ferry',
    addFromClipboard: 'Add from clipboard',
    suspendAll: 'Suspend all',
    resumeAll: 'Resume all',
    quit: 'Quit Ferry',
  },
  units: { B: 'B', KB: 'KB', MB: 'MB', GB: 'GB', TB: 'TB' },
  notification: {
    transferredTitle: 'Download finished',
    transferredBody: '{{name}}: {{file}}',
    transferredMore: '{{file}} and {{count}} more files ({{size}})',
    erroredTitle: 'Download failed',
    erroredBody: '{{name}}: {{file}}: {{message}}',
    erroredNoFile: '{{name}}: {{message}}',
  },
  /** The details pane's switch over the job's notify flags (renderer/features/job-details). */
  notifyMe: 'Notify me when it finishes or fails',
  /** The desktop app's setting `pauseOnLock` (settings dialog, Notifications). */
  pauseOnLock: 'Pause downloads while the screen is locked',
  /** The job's state log (app/state-log.ts) in the details pane. */
  stateLog: {
    title: 'Paused and resumed by the system',
    'system-suspend': 'Paused: the computer went to sleep',
    'system-resume': 'Resumed: the computer woke up',
    'screen-locked': 'Paused: the screen was locked',
    'screen-unlocked': 'Resumed: the screen was unlocked',
    'session-end': 'Paused: the session ended',
    inactivity: 'Cancelled: left untouched for the inactivity timeout (Settings, Advanced)',
  },
  dialogs: {
    alreadyRunning: 'Ferry is already running',
    notifyCmdTitle: 'Run a program when this download ends?',
    notifyCmdMessage: 'The download "{{name}}" asks to run this program when it finishes or fails:',
    notifyCmdAllow: 'Allow',
    notifyCmdRefuse: 'Refuse',
  },
} as const;

type Strings<T> = { readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

/** The shell's strings in one language: the English keys with any strings. */
export type ShellText = Strings<typeof SHELL_TEXT_EN>;

/** French, with the same keys and placeholders (the renderer's i18n test checks both). */
export const SHELL_TEXT_FR: ShellText = {
  tray: {
    idle: 'Ferry : aucun téléchargement en cours',
    active: 'Ferry : {{count}} téléchargements, {{amount}}, {{speed}}/s',
    activeOne: 'Ferry : 1 téléchargement, {{amount}}, {{speed}}/s',
    percentOf: '{{percent}} % de {{total}}',
    soFar: '{{done}} jusqu’ici',
    failed: ', {{count}} en échec',
    show: 'Afficher Ferry',
    addFromClipboard: 'Ajouter depuis le presse-papiers',
    suspendAll: 'Tout suspendre',
    resumeAll: 'Tout reprendre',
    quit: 'Quitter Ferry',
  },
  units: { B: 'o', KB: 'Ko', MB: 'Mo', GB: 'Go', TB: 'To' },
  notification: {
    transferredTitle: 'Téléchargement terminé',
    transferredBody: '{{name}} : {{file}}',
    transferredMore: '{{file}} et {{count}} autres fichiers ({{size}})',
    erroredTitle: 'Échec du téléchargement',
    erroredBody: '{{name}} : {{file}} : {{message}}',
    erroredNoFile: '{{name}} : {{message}}',
  },
  notifyMe: 'Me prévenir quand il se termine ou échoue',
  pauseOnLock: 'Suspendre les téléchargements quand l’écran est verrouillé',
  stateLog: {
    title: 'Mis en pause et repris par le système',
    'system-suspend': 'En pause : l’ordinateur s’est mis en veille',
    'system-resume': 'Repris : l’ordinateur s’est réveillé',
    'screen-locked': 'En pause : l’écran a été verrouillé',
    'screen-unlocked': 'Repris : l’écran a été déverrouillé',
    'session-end': 'En pause : la session s’est terminée',
    inactivity: 'Annulé : laissé sans activité pendant le délai d’inactivité (Paramètres, Avancé)',
  },
  dialogs: {
    alreadyRunning: 'Ferry est déjà lancé',
    notifyCmdTitle: 'Lancer un programme à la fin de ce téléchargement ?',
    notifyCmdMessage:
      'Le téléchargement « {{name}} » demande à lancer ce programme quand il se termine ou échoue :',
    notifyCmdAllow: 'Autoriser',
    notifyCmdRefuse: 'Refuser',
  },
};

/** The shell's strings for a language code (English for any other). */
export function shellText(language: string): ShellText {
  return language === 'fr' ? SHELL_TEXT_FR : SHELL_TEXT_EN;
}

/** Replaces each `{{key}}` with its value; unknown keys stay as they are. */
export function fillIn(
  template: string,
  values: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? String(values[key]) : whole,
  );
}
