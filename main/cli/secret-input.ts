import { FerryError } from '../../app/index.js';

/** Where `ferry setcreds` takes a password from; never the command line (ps, shell history). */
export interface PasswordSource {
  /** Read it from standard input (a pipe or a file), as `docker login --password-stdin`. */
  readonly stdin?: boolean;
  /** Read it from this environment variable. */
  readonly env?: string;
}

/**
 * The password, from stdin, an environment variable or, on a terminal, a prompt that does not
 * echo. One trailing newline is dropped (what `echo` and a file's last line add).
 */
export async function readPassword(
  source: PasswordSource,
  input: NodeJS.ReadStream = process.stdin,
  prompt: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  if (source.stdin === true && source.env !== undefined) {
    throw inputError('Give the password one way: --password-stdin or --password-env');
  }
  if (source.env !== undefined) {
    const value = process.env[source.env];
    if (value === undefined) {
      throw inputError(`The environment variable ${source.env} (--password-env) is not set`);
    }
    return value;
  }
  if (source.stdin === true) return dropNewline(await readAll(input));
  if (input.isTTY) return promptHidden(input, prompt);
  throw inputError(
    'Give the password with --password-stdin (piped in) or --password-env VAR; it is never taken from the command line',
  );
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function dropNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** Reads one line from a terminal in raw mode, echoing nothing. */
function promptHidden(input: NodeJS.ReadStream, prompt: NodeJS.WriteStream): Promise<string> {
  prompt.write('Password: ');
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (error: FerryError | null): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt.write('\n');
      if (error === null) resolve(text);
      else reject(error);
    };
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          done(null);
          return;
        }
        if (char === '\u0003') {
          done(inputError('Cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') text = text.slice(0, -1);
        else text += char;
      }
    };
    input.on('data', onData);
  });
}

function inputError(message: string): FerryError {
  return new FerryError('INPUT_INVALID', 'GENERAL_QUEUE_MANAGER', message);
}
