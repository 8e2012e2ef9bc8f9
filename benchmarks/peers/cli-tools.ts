/**
 * Command lines for the native peers (curl, wget, aria2c), built by pure functions so the
 * exact flags are visible, documented and unit-tested.
 *
 * Every command writes to a given folder and name, never prompts, never renames on a clash,
 * and prints little: output parsing is not how results are read (the server's counters and
 * sha256 of the files are).
 */
import { join } from 'node:path';

/** A program and its arguments, plus files the command expects to exist (list files). */
export interface PeerCommand {
  readonly program: 'curl' | 'wget' | 'aria2c';
  readonly args: readonly string[];
  /** Files to write before running: path → content (aria2c -i lists, curl -K configs). */
  readonly inputs: ReadonlyMap<string, string>;
}

/** One file to fetch: its URL and the local name it must get inside `dir`. */
export interface PeerFile {
  readonly url: string;
  readonly name: string;
}

/** aria2c options every aria2c run shares: no preallocation, no renaming, quiet. */
const ARIA2_COMMON = [
  '--file-allocation=none',
  '--allow-overwrite=true',
  '--auto-file-renaming=false',
  '--console-log-level=warn',
  '--summary-interval=0',
  '--download-result=hide',
  '--check-certificate=false',
  '--no-netrc=true',
] as const;

/** curl: one URL to `dir/name`. */
export function curlSingle(file: PeerFile, dir: string): PeerCommand {
  return {
    program: 'curl',
    args: ['--silent', '--show-error', '--fail', '--output', join(dir, file.name), file.url],
    inputs: new Map(),
  };
}

/** curl -Z --parallel-max N over a config file of url/output pairs. */
export function curlParallel(
  files: readonly PeerFile[],
  dir: string,
  configPath: string,
  parallel: number,
): PeerCommand {
  const config = files
    .map((file) => `url = "${file.url}"\noutput = "${join(dir, file.name)}"\n`)
    .join('');
  return {
    program: 'curl',
    args: [
      '--silent',
      '--show-error',
      '--fail',
      '-Z',
      '--parallel-max',
      String(parallel),
      '--config',
      configPath,
    ],
    inputs: new Map([[configPath, config]]),
  };
}

/** wget: one URL to `dir/name`. */
export function wgetSingle(file: PeerFile, dir: string): PeerCommand {
  return {
    program: 'wget',
    args: ['--quiet', '--output-document', join(dir, file.name), file.url],
    inputs: new Map(),
  };
}

/** wget -i: a list, one file after the other on a keep-alive connection (wget has no parallel mode). */
export function wgetList(files: readonly PeerFile[], dir: string, listPath: string): PeerCommand {
  return {
    program: 'wget',
    args: ['--quiet', '--no-clobber', '--directory-prefix', dir, '--input-file', listPath],
    inputs: new Map([[listPath, files.map((file) => `${file.url}\n`).join('')]]),
  };
}

/** aria2c -x N -s N -k 1M: one file over N connections. */
export function aria2Split(
  file: PeerFile,
  dir: string,
  connections: number,
  extra: readonly string[] = [],
): PeerCommand {
  return {
    program: 'aria2c',
    args: [
      `--max-connection-per-server=${connections}`,
      `--split=${connections}`,
      '--min-split-size=1M',
      ...ARIA2_COMMON,
      ...extra,
      `--dir=${dir}`,
      `--out=${file.name}`,
      file.url,
    ],
    inputs: new Map(),
  };
}

/** aria2c -j N -i list: many files, N at once. */
export function aria2List(
  files: readonly PeerFile[],
  dir: string,
  listPath: string,
  parallel: number,
): PeerCommand {
  const list = files.map((file) => `${file.url}\n  out=${file.name}\n`).join('');
  return {
    program: 'aria2c',
    args: [
      `--max-concurrent-downloads=${parallel}`,
      ...ARIA2_COMMON,
      `--dir=${dir}`,
      `--input-file=${listPath}`,
    ],
    inputs: new Map([[listPath, list]]),
  };
}

/** The command as one would type it (for the report and for reproducing a run by hand). */
export function commandLine(command: PeerCommand): string {
  return [
    command.program,
    ...command.args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg}'`)),
  ].join(' ');
}
