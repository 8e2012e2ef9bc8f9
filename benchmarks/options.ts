/**
 * Command-line options of `npm run bench`, parsed by a pure function so bad input is refused
 * with a clear message before anything starts.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SIZES, QUICK_SIZES } from './scenarios/context.js';
import type { ScenarioSizes } from './scenarios/context.js';

/** What the runner does. */
export interface BenchOptions {
  readonly scenarios: readonly number[];
  readonly runs: number;
  readonly quick: boolean;
  readonly sizes: ScenarioSizes;
  /** Rewrite the results section of docs/benchmarks.md. */
  readonly writeDoc: boolean;
  /** Skip the peer install check (peers must then be on PATH). */
  readonly skipSetup: boolean;
  /** Re-render a saved JSON result instead of running (with --write-doc: refresh the doc). */
  readonly fromJson: string | null;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `Usage: npm run bench -- [options]

  --scenario LIST    scenarios to run, e.g. 1 or 2,5 (default: 1,2,3,4,5)
  --runs N           runs per tool and mode (default 3; 1 with --quick)
  --quick            smoke run: small sizes (64 MiB, 16 MiB, 200 files, 500 jobs, 32 MiB)
  --s2-size MIB      size of scenario 2's file in MiB (default 128; the issue's figure is 1024)
  --full             the issue's sizes everywhere (scenario 2 at 1 GiB: about 30 minutes more)
  --write-doc        put the results into docs/benchmarks.md
  --skip-setup       do not check or install curl, wget, aria2c
  --from-json FILE   print (and with --write-doc, put in the doc) a saved result; runs nothing
  -h, --help         this text`;

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number ≥ 1, got "${text}"`);
  }
  return value;
}

/** Parses argv (without node and script); throws an Error naming the bad option. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string', multiple: true },
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      's2-size': { type: 'string' },
      full: { type: 'boolean', default: false },
      'write-doc': { type: 'boolean', default: false },
      'skip-setup': { type: 'boolean', default: false },
      'from-json': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.quick && values.full) throw new Error('--quick and --full contradict each other');
  const scenarios = (values.scenario ?? ['1,2,3,4,5'])
    .flatMap((part) => part.split(','))
    .map((part) => {
      const id = positiveInteger('--scenario', part);
      if (id > 5) throw new Error(`--scenario must be 1 to 5, got ${id}`);
      return id;
    });
  let sizes: ScenarioSizes = values.quick ? QUICK_SIZES : DEFAULT_SIZES;
  if (values.full) sizes = { ...sizes, s2Bytes: 1024 ** 3 };
  if (values['s2-size'] !== undefined)
    sizes = { ...sizes, s2Bytes: positiveInteger('--s2-size', values['s2-size']) * 1024 ** 2 };
  return {
    scenarios: [...new Set(scenarios)].sort((a, b) => a - b),
    runs:
      values.runs === undefined ? (values.quick ? 1 : 3) : positiveInteger('--runs', values.runs),
    quick: values.quick,
    sizes,
    writeDoc: values['write-doc'],
    skipSetup: values['skip-setup'],
    fromJson: values['from-json'] ?? null,
    help: values.help,
  };
}
