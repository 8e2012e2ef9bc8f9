import { accessSync, constants, statSync } from 'node:fs';
import type { NotifyCmdLine } from '../../app/index.js';
import { FerryError } from '../../app/index.js';

/**
 * The checks a notify command line passes before it is stored (SetNotifyCmdLine): the program
 * is an absolute path (the contract's schema) to a file that exists and may be executed now.
 *
 * The engine spawns it later without a shell when the job transfers or fails; a program that
 * is missing or not executable would only fail then, silently, so it is refused at once with
 * INPUT_INVALID naming the path and what is wrong with it.
 */
export function checkNotifyProgram(cmdLine: NotifyCmdLine | null): void {
  if (cmdLine === null) return;
  const { program } = cmdLine;
  const refuse = (why: string): never => {
    throw new FerryError('INPUT_INVALID', 'NONE', `The notify program '${program}' ${why}`);
  };
  let isFile: boolean;
  try {
    isFile = statSync(program).isFile();
  } catch {
    return refuse('does not exist');
  }
  if (!isFile) refuse('is not a file');
  try {
    accessSync(program, constants.X_OK);
  } catch {
    refuse('is not executable');
  }
}

/** The command line as one line a person reads (dialogs, logs): each part quoted as needed. */
export function formatCmdLine(cmdLine: NotifyCmdLine): string {
  return [cmdLine.program, ...cmdLine.args]
    .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}
