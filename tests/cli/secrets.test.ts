// Secrets in the CLI's output: `ferry info --verbose` printed a job's proxy password and
// `ferry history --json` its Authorization header. Both now show `***`, through the real bin
// against a real `ferry serve`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serveDataDir } from './harness.js';
import type { ServedDataDir } from './harness.js';

const PASSWORD = 'pr0xy-s3cret';
const TOKEN = 'tok-0123456789';

describe('secrets in the CLI output', () => {
  let served: ServedDataDir;
  before(async () => {
    served = await serveDataDir();
  });
  after(async () => {
    await served.close();
  });

  it('are masked by info --verbose, history --json and a setter’s own line', async () => {
    const ferry = async (args: string[]): Promise<string> => {
      const run = await served.ferry(args);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      return run.stdout + run.stderr;
    };
    await ferry(['create', 'secret job']);
    const outputs = [
      await ferry([
        'setproxysettings',
        'secret job',
        'OVERRIDE',
        `http://alice:${PASSWORD}@proxy.invalid:3128`,
      ]),
      await ferry(['setcustomheaders', 'secret job', `Authorization: Bearer ${TOKEN}`]),
      await ferry(['info', 'secret job', '--verbose']),
      await ferry(['info', 'secret job', '--json']),
    ];
    await ferry(['cancel', 'secret job']);
    outputs.push(await ferry(['history', '--json']), await ferry(['history']));
    const all = outputs.join('\n');
    assert.ok(!all.includes(PASSWORD), all);
    assert.ok(!all.includes(TOKEN), all);
    assert.match(outputs[2] ?? '', /alice:\*\*\*@proxy\.invalid:3128/);
    assert.match(outputs[2] ?? '', /Authorization: \*\*\*/);
    assert.match(outputs[4] ?? '', /"Authorization: \*\*\*"/);
  });
});
