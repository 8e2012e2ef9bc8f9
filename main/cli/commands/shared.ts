import type { Command } from 'commander';
import type { JobId } from '../../../app/index.js';
import type { WebSocketClient } from '../../../app/ws-client.js';
import type { CliContext } from '../context.js';
import { resolveJob } from '../job-ref.js';

/** Options of every command that has `--json`. */
export interface JsonOption {
  readonly json?: boolean;
}

/** Adds `--json` to a command. */
export function withJson(command: Command): Command {
  return command.option('--json', "print the result as JSON, exactly the contract's shape");
}

/** Connects and resolves a JOB argument: what every job command starts with. */
export async function openJob(
  ctx: CliContext,
  ref: string,
): Promise<{ client: WebSocketClient; jobId: JobId }> {
  const client = await ctx.client();
  return { client, jobId: await resolveJob(client, ref) };
}

/** Prints `value` as JSON with `--json`, else the human line(s). */
export function report(ctx: CliContext, options: JsonOption, value: unknown, text: string): void {
  if (options.json === true) ctx.json(value);
  else ctx.out(text);
}
