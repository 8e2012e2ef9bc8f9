import { z } from 'zod';

/** The file types the add flow sorts downloads by, as FDM and IDM do. */
export const FILE_CATEGORIES = ['documents', 'music', 'video', 'archives', 'programs'] as const;
/** One file type. */
export type FileCategory = (typeof FILE_CATEGORIES)[number];

/**
 * Where downloads of one file type go: files whose name ends in one of `extensions` (lower
 * case, no dot) are saved to `folder` instead of the folder chosen in the add dialog; an empty
 * `folder` turns the rule off.
 */
export interface FolderRule {
  readonly category: FileCategory;
  readonly extensions: readonly string[];
  readonly folder: string;
}

/** The rules of a fresh data directory: every type known, every rule off. */
export const DEFAULT_FOLDER_RULES: readonly FolderRule[] = [
  {
    category: 'documents',
    extensions: [
      'pdf',
      'doc',
      'docx',
      'odt',
      'txt',
      'rtf',
      'xls',
      'xlsx',
      'ods',
      'ppt',
      'pptx',
      'epub',
    ],
    folder: '',
  },
  {
    category: 'music',
    extensions: ['mp3', 'flac', 'ogg', 'opus', 'wav', 'm4a', 'aac'],
    folder: '',
  },
  { category: 'video', extensions: ['mp4', 'mkv', 'webm', 'avi', 'mov', 'm4v'], folder: '' },
  {
    category: 'archives',
    extensions: ['zip', '7z', 'rar', 'tar', 'gz', 'xz', 'bz2', 'zst', 'iso'],
    folder: '',
  },
  {
    category: 'programs',
    extensions: ['exe', 'msi', 'dmg', 'pkg', 'deb', 'rpm', 'appimage', 'apk'],
    folder: '',
  },
];

/** Schema of the rules in `settings.set`. */
export const folderRulesSchema = z
  .array(
    z.strictObject({
      category: z.enum(FILE_CATEGORIES),
      extensions: z
        .array(
          z.string().regex(/^[a-z0-9]{1,16}$/, 'must be an extension without dot, in lower case'),
        )
        .max(64, 'has too many extensions'),
      folder: z.string().max(4096, 'is too long'),
    }),
  )
  .max(FILE_CATEGORIES.length, 'has too many rules');

/** The folder a file name goes to under the rules, or null when no rule that is on matches. */
export function ruleFolderFor(name: string, rules: readonly FolderRule[]): string | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  const rule = rules.find((r) => r.folder !== '' && r.extensions.includes(ext));
  return rule?.folder ?? null;
}
