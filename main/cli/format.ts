import { printable, printableMessage } from './printable.js';
import type {
  JobDetails,
  JobErrorInfo,
  JobFileInfo,
  JobInfo,
  StateLogEntry,
} from '../../app/index.js';

/**
 * Plain-text rendering for the CLI: sizes, percentages, time stamps and aligned tables.
 *
 * Pure functions of their input, so `list`, `info` and `monitor` print the same way.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** A byte count in binary units: `512 B`, `1.5 MiB`. */
export function formatBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${UNITS[unit] ?? 'B'}`;
}

/** Transferred of total bytes: `1.0 MiB / 4.0 MiB`, or `1.0 MiB / ?` while the size is unknown. */
export function formatProgressBytes(transferred: number, total: number | null): string {
  return `${formatBytes(transferred)} / ${total === null ? '?' : formatBytes(total)}`;
}

/** A percentage with no decimals, or `?` while the total is unknown. */
export function formatPercent(transferred: number, total: number | null): string {
  if (total === null) return '?';
  if (total === 0) return '100%';
  return `${Math.floor((transferred / total) * 100)}%`;
}

/** A time stamp (ms since the epoch) in local ISO-like form, or `-` for none. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '-';
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${String(d.getFullYear())}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** Rows as columns padded to their widest cell; the last column is not padded. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const all = [header, ...rows.map((row) => row.map(printable))];
  const widths = header.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The job table of `list`, `history` and `monitor`. */
export function formatJobTable(jobs: readonly JobInfo[]): string {
  if (jobs.length === 0) return 'No jobs.';
  return formatTable(
    ['ID', 'NAME', 'STATE', 'PRIORITY', 'FLAVOUR', 'FILES', 'BYTES'],
    jobs.map((job) => [
      job.id,
      job.displayName,
      job.state,
      job.priority,
      job.flavour,
      `${String(job.progress.filesTransferred)}/${String(job.progress.filesTotal)}`,
      formatProgressBytes(job.progress.bytesTransferred, job.progress.bytesTotal),
    ]),
  );
}

/** One error as `ferry error` prints it: code, context, message, file and HTTP status. */
export function formatError(error: JobErrorInfo): string {
  const where: string[] = [`context ${error.context}`];
  if (error.fileIndex !== null) where.push(`file ${String(error.fileIndex)}`);
  if (error.httpStatus !== null) where.push(`HTTP ${String(error.httpStatus)}`);
  if (error.sysCode !== null) where.push(error.sysCode);
  return `${formatTime(error.time)}  ${error.code}: ${printableMessage(error.message)} (${where.join(', ')})`;
}

/** The file table of `ferry files`. */
export function formatFileTable(files: readonly JobFileInfo[]): string {
  if (files.length === 0) return 'No files.';
  return formatTable(
    ['#', 'STATUS', 'BYTES', 'REMOTE', 'LOCAL'],
    files.map((file) => [
      String(file.index),
      file.progress.completed ? 'COMPLETED' : file.progress.transferred ? 'TRANSFERRED' : '-',
      formatProgressBytes(file.progress.bytesTransferred, file.progress.bytesTotal),
      file.remoteName,
      file.localName,
    ]),
  );
}

/** `ferry info`: the job's main properties, one `name: value` line each; more with verbose. */
export function formatJobInfo(job: JobDetails, verbose: boolean): string {
  const { progress } = job;
  const lines: [string, string][] = [
    ['id', job.id],
    ['name', job.displayName],
    ['state', job.state],
    ['priority', job.priority],
    ['type', job.type],
    ['flavour', job.flavour === 'DO' ? 'DO (Delivery Optimization)' : 'BITS'],
    ['owner', job.owner],
    [
      'progress',
      `${formatProgressBytes(progress.bytesTransferred, progress.bytesTotal)} ` +
        `(${formatPercent(progress.bytesTransferred, progress.bytesTotal)}), ` +
        `${String(progress.filesTransferred)}/${String(progress.filesTotal)} files`,
    ],
    ['errors', String(job.errorCount)],
  ];
  if (job.error !== null) {
    lines.push(['error', `${job.error.code}: ${printableMessage(job.error.message)}`]);
  }
  if (verbose) {
    const cmd = job.notifyCmdLine;
    lines.push(
      ['description', job.description],
      ['created', formatTime(job.times.creationTime)],
      ['modified', formatTime(job.times.modificationTime)],
      ['transfer completed', formatTime(job.times.transferCompletionTime)],
      [
        'min retry delay',
        `${String(job.minimumRetryDelay)} s${job.flavour === 'DO' ? ' (internal back-off)' : ''}`,
      ],
      ['no progress timeout', `${String(job.noProgressTimeout)} s`],
      [
        'max download time',
        job.maximumDownloadTime === 0 ? 'none' : `${String(job.maximumDownloadTime)} s`,
      ],
      ['notify flags', `0x${job.notifyFlags.toString(16)}`],
      ['notify command line', cmd === null ? '-' : [cmd.program, ...cmd.args].join(' ')],
      ['proxy usage', job.proxy.usage],
      ['proxy list', job.proxy.proxyList.join(';') || '-'],
      ['proxy bypass', job.proxy.bypassList.join(';') || '-'],
      ['custom headers', job.customHeaders.join(' | ') || '-'],
      ['connections per file', String(job.transferPolicy.connectionsPerFile ?? 'default')],
      [
        'speed limit',
        job.transferPolicy.speedLimit === 0
          ? 'none'
          : `${formatBytes(job.transferPolicy.speedLimit)}/s`,
      ],
      ['trusted certificates', job.transferPolicy.trustedCertificates.join(' ') || '-'],
    );
  }
  const width = Math.max(...lines.map(([name]) => name.length));
  const text = lines
    .map(([name, value]) => `${`${name}:`.padEnd(width + 2)}${printable(value)}`)
    .join('\n');
  return verbose ? `${text}\n\n${formatFileTable(job.files)}` : text;
}

/**
 * A job's state log (`job.stateLog`: transitions made for a power or session cause), as
 * `info --verbose` appends it; empty when there is none.
 */
export function formatStateLog(entries: readonly StateLogEntry[]): string {
  if (entries.length === 0) return '';
  const lines = entries.map((e) => `  ${formatTime(e.time)}  ${e.state}  ${e.cause}`);
  return `\nstate log:\n${lines.join('\n')}`;
}
