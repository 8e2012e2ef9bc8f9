import type { CommandName, CommandOutput, ParsedInput } from '../../app/index.js';
import { COMMANDS, parseInput } from '../../app/index.js';
import type { ClientLink } from './event-hub.js';

/**
 * One command's handler: the input its contract schema has parsed, and the link of the client
 * that sent it (undefined for a caller without an event stream), in; the command's result out.
 */
export type CommandHandler<K extends CommandName> = (
  input: ParsedInput<K>,
  caller: ClientLink | undefined,
) => Promise<CommandOutput<K>>;

/** The handlers of a group of commands (`job.*`, `browser.*`...). */
export type CommandHandlers<C extends CommandName> = { readonly [K in C]: CommandHandler<K> };

/**
 * A handler for every command of the contract's table (app/contract.ts `COMMANDS`): a command
 * added there does not compile until it has one here.
 */
export type CommandTable = CommandHandlers<CommandName>;

/**
 * Runs one command through the table: its input is parsed with the command's own schema, once;
 * the handler and the engine behind it take it as parsed and never parse it again.
 */
export async function runCommand<K extends CommandName>(
  table: CommandTable,
  name: K,
  input: unknown,
  caller: ClientLink | undefined,
): Promise<CommandOutput<K>> {
  const handler: CommandHandler<K> = table[name];
  // The schema is COMMANDS[name]'s own, so its output is ParsedInput<K>; TypeScript cannot
  // follow an index by a generic key into the table's zod types, hence the one cast.
  const parsed = parseInput(name, COMMANDS[name].input, input) as ParsedInput<K>;
  return handler(parsed, caller);
}
