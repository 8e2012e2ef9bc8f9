import type { Command } from 'commander';
import type { SettingsView } from '../../../app/index.js';
import { DEFAULT_APP_SETTINGS, DEFAULT_ENGINE_SETTINGS, FerryError } from '../../../app/index.js';
import type { CliContext } from '../context.js';
import { formatTable } from '../format.js';
import type { JsonOption } from './shared.js';
import { report, withJson } from './shared.js';

const ENGINE_KEYS = Object.keys(DEFAULT_ENGINE_SETTINGS);
const APP_KEYS = Object.keys(DEFAULT_APP_SETTINGS);
/** Each setting's default: its type says how VALUE is read. */
const DEFAULTS = new Map<string, unknown>([
  ...Object.entries(DEFAULT_ENGINE_SETTINGS),
  ...Object.entries(DEFAULT_APP_SETTINGS),
]);

/**
 * `ferry settings [get [KEY] | set KEY VALUE]`: the engine and app settings kept in the data
 * directory's store. VALUE is read as the setting's type: as typed for a text setting (a JSON
 * string is unquoted), else as JSON (numbers, booleans, lists, objects); the server's schema
 * checks it.
 */
export function registerSettingsCommands(program: Command, ctx: CliContext): void {
  const settings = program
    .command('settings')
    .description('show or change settings (JSON: SettingsView)');

  const show = async (key: string | undefined, options: JsonOption): Promise<void> => {
    const client = await ctx.client();
    const view = await client.invoke('settings.get', {});
    if (key === undefined) {
      report(ctx, options, view, formatSettings(view));
      return;
    }
    const value = lookup(view, key);
    report(ctx, options, value, typeof value === 'string' ? value : JSON.stringify(value));
  };

  withJson(settings).action((options: JsonOption) => show(undefined, options));
  withJson(
    settings
      .command('get')
      .description('print all settings, or one')
      .argument('[key]', 'a setting name'),
  ).action((key: string | undefined, options: JsonOption) => show(key, options));
  withJson(
    settings
      .command('set')
      .description('change one setting')
      .argument('<key>', `one of ${[...ENGINE_KEYS, ...APP_KEYS].join(', ')}`)
      .argument('<value>', 'the new value (JSON, or a plain string)'),
  ).action(async (key: string, text: string, options: JsonOption) => {
    const half = halfOf(key);
    const value = parseValue(key, text);
    const client = await ctx.client();
    const view = await client.invoke('settings.set', { [half]: { [key]: value } });
    report(ctx, options, view, `${key} = ${JSON.stringify(lookup(view, key))}`);
  });
}

function halfOf(key: string): 'engine' | 'app' {
  if (ENGINE_KEYS.includes(key)) return 'engine';
  if (APP_KEYS.includes(key)) return 'app';
  throw new FerryError(
    'INPUT_INVALID',
    'GENERAL_QUEUE_MANAGER',
    `Unknown setting '${key}': use one of ${[...ENGINE_KEYS, ...APP_KEYS].join(', ')}`,
  );
}

function lookup(view: SettingsView, key: string): unknown {
  const half = halfOf(key);
  return (view[half] as unknown as Record<string, unknown>)[key];
}

/**
 * VALUE as the setting takes it. A text setting keeps what was typed, so `userAgent 2024` is
 * the text "2024"; any other setting needs JSON, and text that is not JSON is named as such
 * instead of reaching the server as a string of the wrong type.
 */
function parseValue(key: string, text: string): unknown {
  const parsed = parseJson(text);
  const current = DEFAULTS.get(key);
  if (typeof current === 'string') return typeof parsed === 'string' ? parsed : text;
  if (parsed === undefined) {
    throw new FerryError(
      'INPUT_INVALID',
      'GENERAL_QUEUE_MANAGER',
      `Invalid value for ${key}: '${text}' is not ${expected(current)}`,
    );
  }
  return parsed;
}

/** The JSON value of `text`, or undefined when it is not JSON (JSON has no undefined). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function expected(value: unknown): string {
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true or false';
  return Array.isArray(value) ? 'a JSON list' : 'a JSON object';
}

function formatSettings(view: SettingsView): string {
  const rows = [
    ...Object.entries(view.engine).map(([key, value]) => ['engine', key, JSON.stringify(value)]),
    ...Object.entries(view.app).map(([key, value]) => ['app', key, JSON.stringify(value)]),
  ];
  return formatTable(['SCOPE', 'KEY', 'VALUE'], rows);
}
