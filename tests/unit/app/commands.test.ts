import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import {
  FerryError,
  addFileInput,
  addFileSetInput,
  createJobInput,
  engineSettingsPatch,
  enumJobsInput,
  fileSpec,
  jobIdSchema,
  jobRefInput,
  parseInput,
  proxySettingsSchema,
  replaceRemotePrefixInput,
  setCustomHeadersInput,
  setDescriptionInput,
  setDisplayNameInput,
  setMinimumRetryDelayInput,
  setNoProgressTimeoutInput,
  setNotifyCmdLineInput,
  setNotifyFlagsInput,
  setPriorityInput,
  setProxySettingsInput,
  setRemoteNameInput,
} from '../../../app/index.js';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const URL_ = 'https://example.com/a.bin';
const LOCAL = '/tmp/a.bin';

/** A command name, its schema, an input, and what parsing should give. */
interface Accept {
  readonly command: string;
  readonly schema: z.ZodType;
  readonly input: unknown;
  readonly output: unknown;
}

/** A command name, its schema, a bad input, and fragments its error message must hold. */
interface Reject {
  readonly command: string;
  readonly schema: z.ZodType;
  readonly why: string;
  readonly input: unknown;
  readonly expect: readonly string[];
}

const ACCEPT: readonly Accept[] = [
  {
    command: 'CreateJob',
    schema: createJobInput,
    input: { displayName: 'Nightly' },
    output: { displayName: 'Nightly', type: 'DOWNLOAD' },
  },
  {
    command: 'CreateJob',
    schema: createJobInput,
    input: {
      displayName: 'x'.repeat(256),
      type: 'UPLOAD',
      description: 'd'.repeat(1024),
      priority: 'FOREGROUND',
    },
    output: {
      displayName: 'x'.repeat(256),
      type: 'UPLOAD',
      description: 'd'.repeat(1024),
      priority: 'FOREGROUND',
    },
  },
  {
    command: 'AddFile',
    schema: addFileInput,
    input: { jobId: ID, remoteUrl: URL_, localName: LOCAL },
    output: { jobId: ID, remoteUrl: URL_, localName: LOCAL },
  },
  {
    command: 'AddFileSet',
    schema: addFileSetInput,
    input: { jobId: ID, files: [{ remoteUrl: URL_, localName: LOCAL }] },
    output: { jobId: ID, files: [{ remoteUrl: URL_, localName: LOCAL }] },
  },
  { command: 'Resume', schema: jobRefInput, input: { jobId: ID }, output: { jobId: ID } },
  {
    command: 'SetDisplayName',
    schema: setDisplayNameInput,
    input: { jobId: ID, displayName: 'n' },
    output: { jobId: ID, displayName: 'n' },
  },
  {
    command: 'SetDescription',
    schema: setDescriptionInput,
    input: { jobId: ID, description: '' },
    output: { jobId: ID, description: '' },
  },
  {
    command: 'SetPriority',
    schema: setPriorityInput,
    input: { jobId: ID, priority: 'LOW' },
    output: { jobId: ID, priority: 'LOW' },
  },
  {
    command: 'SetMinimumRetryDelay',
    schema: setMinimumRetryDelayInput,
    input: { jobId: ID, seconds: 5 },
    output: { jobId: ID, seconds: 5 },
  },
  {
    command: 'SetNoProgressTimeout',
    schema: setNoProgressTimeoutInput,
    input: { jobId: ID, seconds: 4_294_967_295 },
    output: { jobId: ID, seconds: 4_294_967_295 },
  },
  {
    command: 'SetNoProgressTimeout',
    schema: setNoProgressTimeoutInput,
    input: { jobId: ID, seconds: 0 },
    output: { jobId: ID, seconds: 0 },
  },
  {
    command: 'SetNotifyFlags',
    schema: setNotifyFlagsInput,
    input: { jobId: ID, flags: 0x1f },
    output: { jobId: ID, flags: 0x1f },
  },
  {
    command: 'SetNotifyFlags',
    schema: setNotifyFlagsInput,
    input: { jobId: ID, flags: 0 },
    output: { jobId: ID, flags: 0 },
  },
  {
    command: 'SetNotifyCmdLine',
    schema: setNotifyCmdLineInput,
    input: { jobId: ID, cmdLine: { program: '/usr/bin/notify' } },
    output: { jobId: ID, cmdLine: { program: '/usr/bin/notify', args: [] } },
  },
  {
    command: 'SetNotifyCmdLine',
    schema: setNotifyCmdLineInput,
    input: { jobId: ID, cmdLine: null },
    output: { jobId: ID, cmdLine: null },
  },
  {
    command: 'SetProxySettings',
    schema: setProxySettingsInput,
    input: { jobId: ID, proxy: { usage: 'PRECONFIG' } },
    output: { jobId: ID, proxy: { usage: 'PRECONFIG', proxyList: [], bypassList: [] } },
  },
  {
    command: 'SetProxySettings',
    schema: setProxySettingsInput,
    input: {
      jobId: ID,
      proxy: { usage: 'OVERRIDE', proxyList: ['proxy:8080'], bypassList: ['<local>'] },
    },
    output: {
      jobId: ID,
      proxy: { usage: 'OVERRIDE', proxyList: ['proxy:8080'], bypassList: ['<local>'] },
    },
  },
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    input: { jobId: ID, headers: ['X-Token: abc', 'Accept:*/*', 'X-Empty:'] },
    output: { jobId: ID, headers: ['X-Token: abc', 'Accept:*/*', 'X-Empty:'] },
  },
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    input: { jobId: ID, headers: [] },
    output: { jobId: ID, headers: [] },
  },
  {
    command: 'SetRemoteName',
    schema: setRemoteNameInput,
    input: { jobId: ID, fileIndex: 0, remoteUrl: URL_ },
    output: { jobId: ID, fileIndex: 0, remoteUrl: URL_ },
  },
  {
    command: 'ReplaceRemotePrefix',
    schema: replaceRemotePrefixInput,
    input: { jobId: ID, oldPrefix: 'http://a/', newPrefix: 'http://b/' },
    output: { jobId: ID, oldPrefix: 'http://a/', newPrefix: 'http://b/' },
  },
  { command: 'EnumJobs', schema: enumJobsInput, input: undefined, output: { allUsers: false } },
  { command: 'EnumJobs', schema: enumJobsInput, input: {}, output: { allUsers: false } },
  {
    command: 'EnumJobs',
    schema: enumJobsInput,
    input: { allUsers: true },
    output: { allUsers: true },
  },
  { command: 'settings.set', schema: engineSettingsPatch, input: {}, output: {} },
  {
    command: 'settings.set',
    schema: engineSettingsPatch,
    input: { maxConcurrentJobs: 1, userAgent: 'Ferry/0.2 (test)' },
    output: { maxConcurrentJobs: 1, userAgent: 'Ferry/0.2 (test)' },
  },
  {
    command: 'settings.set',
    schema: engineSettingsPatch,
    input: { maxConcurrentJobs: 64 },
    output: { maxConcurrentJobs: 64 },
  },
];

const REJECT: readonly Reject[] = [
  // Input that is not an object at all.
  {
    command: 'Resume',
    schema: jobRefInput,
    why: 'null input',
    input: null,
    expect: ['input '],
  },
  {
    command: 'Resume',
    schema: jobRefInput,
    why: 'an array',
    input: [ID],
    expect: ['input '],
  },
  // Job ids.
  {
    command: 'Resume',
    schema: jobRefInput,
    why: 'missing jobId',
    input: {},
    expect: ['jobId '],
  },
  {
    command: 'Resume',
    schema: jobRefInput,
    why: 'upper-case GUID',
    input: { jobId: ID.toUpperCase() },
    expect: ['jobId must be a job id (a lower-case GUID)'],
  },
  {
    command: 'Resume',
    schema: jobRefInput,
    why: 'braced GUID',
    input: { jobId: `{${ID}}` },
    expect: ['jobId must be a job id'],
  },
  {
    command: 'Resume',
    schema: jobRefInput,
    why: 'numeric jobId',
    input: { jobId: 42 },
    expect: ['jobId '],
  },
  // Strict objects.
  {
    command: 'Resume',
    schema: jobRefInput,
    why: 'unknown key',
    input: { jobId: ID, force: true },
    expect: ['force'],
  },
  {
    command: 'CreateJob',
    schema: createJobInput,
    why: 'unknown key',
    input: { displayName: 'x', owner: 'root' },
    expect: ['owner'],
  },
  {
    command: 'AddFileSet',
    schema: addFileSetInput,
    why: 'unknown key in a file',
    input: { jobId: ID, files: [{ remoteUrl: URL_, localName: LOCAL, tempName: '/tmp/x' }] },
    expect: ['files.0', 'tempName'],
  },
  {
    command: 'SetNotifyCmdLine',
    schema: setNotifyCmdLineInput,
    why: 'unknown key in the command line',
    input: { jobId: ID, cmdLine: { program: '/bin/x', shell: true } },
    expect: ['cmdLine', 'shell'],
  },
  {
    command: 'settings.set',
    schema: engineSettingsPatch,
    why: 'unknown setting',
    input: { maxConcurrentJobs: 2, dataDir: '/' },
    expect: ['dataDir'],
  },
  // CreateJob.
  {
    command: 'CreateJob',
    schema: createJobInput,
    why: 'empty display name',
    input: { displayName: '' },
    expect: ['displayName must not be empty'],
  },
  {
    command: 'CreateJob',
    schema: createJobInput,
    why: 'display name too long',
    input: { displayName: 'x'.repeat(257) },
    expect: ['displayName is too long'],
  },
  {
    command: 'CreateJob',
    schema: createJobInput,
    why: 'description too long',
    input: { displayName: 'x', description: 'd'.repeat(1025) },
    expect: ['description is too long'],
  },
  {
    command: 'CreateJob',
    schema: createJobInput,
    why: 'unknown type',
    input: { displayName: 'x', type: 'MIRROR' },
    expect: ['type '],
  },
  {
    command: 'CreateJob',
    schema: createJobInput,
    why: 'unknown priority',
    input: { displayName: 'x', priority: 'URGENT' },
    expect: ['priority '],
  },
  // AddFile / AddFileSet.
  {
    command: 'AddFile',
    schema: addFileInput,
    why: 'empty local name',
    input: { jobId: ID, remoteUrl: URL_, localName: '' },
    expect: ['localName must not be empty'],
  },
  {
    command: 'AddFile',
    schema: addFileInput,
    why: 'empty remote URL',
    input: { jobId: ID, remoteUrl: '', localName: LOCAL },
    expect: ['remoteUrl must not be empty'],
  },
  {
    command: 'AddFile',
    schema: addFileInput,
    why: 'remote URL too long',
    input: { jobId: ID, remoteUrl: 'h'.repeat(8193), localName: LOCAL },
    expect: ['remoteUrl is too long'],
  },
  {
    command: 'AddFile',
    schema: addFileInput,
    why: 'local name too long',
    input: { jobId: ID, remoteUrl: URL_, localName: '/'.repeat(4097) },
    expect: ['localName is too long'],
  },
  {
    command: 'AddFileSet',
    schema: addFileSetInput,
    why: 'no files',
    input: { jobId: ID, files: [] },
    expect: ['files must hold at least one file'],
  },
  {
    command: 'AddFileSet',
    schema: addFileSetInput,
    why: 'second file with an empty local name',
    input: {
      jobId: ID,
      files: [
        { remoteUrl: URL_, localName: LOCAL },
        { remoteUrl: URL_, localName: '' },
      ],
    },
    expect: ['files.1.localName must not be empty'],
  },
  // Setters.
  {
    command: 'SetDisplayName',
    schema: setDisplayNameInput,
    why: 'empty display name',
    input: { jobId: ID, displayName: '' },
    expect: ['displayName must not be empty'],
  },
  {
    command: 'SetDescription',
    schema: setDescriptionInput,
    why: 'description too long',
    input: { jobId: ID, description: 'd'.repeat(1025) },
    expect: ['description is too long'],
  },
  {
    command: 'SetPriority',
    schema: setPriorityInput,
    why: 'lower-case priority',
    input: { jobId: ID, priority: 'normal' },
    expect: ['priority '],
  },
  {
    command: 'SetMinimumRetryDelay',
    schema: setMinimumRetryDelayInput,
    why: 'negative seconds',
    input: { jobId: ID, seconds: -1 },
    expect: ['seconds must not be negative'],
  },
  {
    command: 'SetMinimumRetryDelay',
    schema: setMinimumRetryDelayInput,
    why: 'infinite seconds',
    input: { jobId: ID, seconds: Infinity },
    expect: ['seconds '],
  },
  {
    command: 'SetMinimumRetryDelay',
    schema: setMinimumRetryDelayInput,
    why: 'NaN seconds',
    input: { jobId: ID, seconds: NaN },
    expect: ['seconds '],
  },
  {
    command: 'SetNoProgressTimeout',
    schema: setNoProgressTimeoutInput,
    why: '2^32 seconds',
    input: { jobId: ID, seconds: 4_294_967_296 },
    expect: ['seconds is too large'],
  },
  {
    command: 'SetNoProgressTimeout',
    schema: setNoProgressTimeoutInput,
    why: 'seconds as a string',
    input: { jobId: ID, seconds: '600' },
    expect: ['seconds '],
  },
  // Notify flags.
  {
    command: 'SetNotifyFlags',
    schema: setNotifyFlagsInput,
    why: 'bit 0x20 (FILE_RANGES_TRANSFERRED, unsupported)',
    input: { jobId: ID, flags: 0x20 },
    expect: ['flags has bits outside the defined BG_NOTIFY_* flags (0x1f)'],
  },
  {
    command: 'SetNotifyFlags',
    schema: setNotifyFlagsInput,
    why: '0x3f',
    input: { jobId: ID, flags: 0x3f },
    expect: ['flags has bits outside'],
  },
  {
    command: 'SetNotifyFlags',
    schema: setNotifyFlagsInput,
    why: 'a high bit',
    input: { jobId: ID, flags: 0x100 },
    expect: ['flags has bits outside'],
  },
  {
    command: 'SetNotifyFlags',
    schema: setNotifyFlagsInput,
    why: 'negative flags',
    input: { jobId: ID, flags: -1 },
    expect: ['flags must not be negative'],
  },
  {
    command: 'SetNotifyFlags',
    schema: setNotifyFlagsInput,
    why: 'fractional flags',
    input: { jobId: ID, flags: 1.5 },
    expect: ['flags must be an integer'],
  },
  // Notify command line.
  {
    command: 'SetNotifyCmdLine',
    schema: setNotifyCmdLineInput,
    why: 'empty program',
    input: { jobId: ID, cmdLine: { program: '' } },
    expect: ['cmdLine.program must name a program'],
  },
  {
    command: 'SetNotifyCmdLine',
    schema: setNotifyCmdLineInput,
    why: 'a program looked up in PATH rather than named by an absolute path',
    input: { jobId: ID, cmdLine: { program: 'notify-send' } },
    expect: ['cmdLine.program must be an absolute path to a program'],
  },
  {
    command: 'SetNotifyCmdLine',
    schema: setNotifyCmdLineInput,
    why: 'a command line as one string',
    input: { jobId: ID, cmdLine: '/bin/notify --done' },
    expect: ['cmdLine '],
  },
  {
    command: 'SetNotifyCmdLine',
    schema: setNotifyCmdLineInput,
    why: 'too many arguments',
    input: { jobId: ID, cmdLine: { program: '/bin/x', args: Array<string>(257).fill('a') } },
    expect: ['cmdLine.args too many arguments'],
  },
  // Proxy settings.
  {
    command: 'SetProxySettings',
    schema: setProxySettingsInput,
    why: 'OVERRIDE with an empty proxy list',
    input: { jobId: ID, proxy: { usage: 'OVERRIDE', proxyList: [] } },
    expect: ['proxy.proxyList must name at least one proxy when usage is OVERRIDE'],
  },
  {
    command: 'SetProxySettings',
    schema: setProxySettingsInput,
    why: 'OVERRIDE with only a bypass list',
    input: { jobId: ID, proxy: { usage: 'OVERRIDE', bypassList: ['<local>'] } },
    expect: ['proxy.proxyList must name at least one proxy'],
  },
  {
    command: 'SetProxySettings',
    schema: setProxySettingsInput,
    why: 'NO_PROXY with a proxy list',
    input: { jobId: ID, proxy: { usage: 'NO_PROXY', proxyList: ['proxy:8080'] } },
    expect: ['proxy.usage proxy and bypass lists are only allowed with usage OVERRIDE'],
  },
  {
    command: 'SetProxySettings',
    schema: setProxySettingsInput,
    why: 'PRECONFIG with a bypass list',
    input: { jobId: ID, proxy: { usage: 'PRECONFIG', bypassList: ['*.local'] } },
    expect: ['proxy.usage proxy and bypass lists are only allowed'],
  },
  {
    command: 'SetProxySettings',
    schema: setProxySettingsInput,
    why: 'unknown usage',
    input: { jobId: ID, proxy: { usage: 'SOCKS' } },
    expect: ['proxy.usage '],
  },
  {
    command: 'SetProxySettings',
    schema: setProxySettingsInput,
    why: 'empty proxy entry',
    input: { jobId: ID, proxy: { usage: 'OVERRIDE', proxyList: [''] } },
    expect: ['proxy.proxyList.0 '],
  },
  // Custom headers: no header injection.
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    why: 'CR LF in a value',
    input: { jobId: ID, headers: ['X-A: 1\r\nX-Injected: 2'] },
    expect: ['headers.0 must be one "Name: value" line'],
  },
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    why: 'bare LF in a value',
    input: { jobId: ID, headers: ['X-A: ok', 'X-B: 1\nX-Injected: 2'] },
    expect: ['headers.1 must be one "Name: value" line'],
  },
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    why: 'bare CR at the end',
    input: { jobId: ID, headers: ['X-A: 1\r'] },
    expect: ['headers.0 must be one'],
  },
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    why: 'trailing LF',
    input: { jobId: ID, headers: ['X-A: 1\n'] },
    expect: ['headers.0 must be one'],
  },
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    why: 'space in the header name',
    input: { jobId: ID, headers: ['X A: 1'] },
    expect: ['headers.0 must be one'],
  },
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    why: 'no colon',
    input: { jobId: ID, headers: ['X-A 1'] },
    expect: ['headers.0 must be one'],
  },
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    why: 'empty name',
    input: { jobId: ID, headers: [': 1'] },
    expect: ['headers.0 must be one'],
  },
  {
    command: 'SetCustomHeaders',
    schema: setCustomHeadersInput,
    why: 'too many headers',
    input: { jobId: ID, headers: Array.from({ length: 65 }, (_, i) => `X-${i}: v`) },
    expect: ['headers too many headers'],
  },
  // SetRemoteName / ReplaceRemotePrefix.
  {
    command: 'SetRemoteName',
    schema: setRemoteNameInput,
    why: 'negative file index',
    input: { jobId: ID, fileIndex: -1, remoteUrl: URL_ },
    expect: ['fileIndex must not be negative'],
  },
  {
    command: 'SetRemoteName',
    schema: setRemoteNameInput,
    why: 'fractional file index',
    input: { jobId: ID, fileIndex: 0.5, remoteUrl: URL_ },
    expect: ['fileIndex must be an integer'],
  },
  {
    // Guards against: fractional retry delays accepted over RPC (the CLI refuses them).
    command: 'SetMinimumRetryDelay',
    schema: setMinimumRetryDelayInput,
    why: 'fractional seconds',
    input: { jobId: ID, seconds: 0.5 },
    expect: ['seconds must be a whole number of seconds'],
  },
  {
    command: 'SetRemoteName',
    schema: setRemoteNameInput,
    why: 'empty remote URL',
    input: { jobId: ID, fileIndex: 0, remoteUrl: '' },
    expect: ['remoteUrl must not be empty'],
  },
  {
    command: 'ReplaceRemotePrefix',
    schema: replaceRemotePrefixInput,
    why: 'empty old prefix',
    input: { jobId: ID, oldPrefix: '', newPrefix: 'http://b/' },
    expect: ['oldPrefix must not be empty'],
  },
  {
    command: 'ReplaceRemotePrefix',
    schema: replaceRemotePrefixInput,
    why: 'empty new prefix',
    input: { jobId: ID, oldPrefix: 'http://a/', newPrefix: '' },
    expect: ['newPrefix must not be empty'],
  },
  {
    command: 'EnumJobs',
    schema: enumJobsInput,
    why: 'allUsers as a string',
    input: { allUsers: 'yes' },
    expect: ['allUsers '],
  },
  // Settings patch bounds.
  {
    command: 'settings.set',
    schema: engineSettingsPatch,
    why: 'zero concurrent jobs',
    input: { maxConcurrentJobs: 0 },
    expect: ['maxConcurrentJobs must be at least 1'],
  },
  {
    command: 'settings.set',
    schema: engineSettingsPatch,
    why: '65 concurrent jobs',
    input: { maxConcurrentJobs: 65 },
    expect: ['maxConcurrentJobs must be at most 64'],
  },
  {
    command: 'settings.set',
    schema: engineSettingsPatch,
    why: 'fractional concurrent jobs',
    input: { maxConcurrentJobs: 2.5 },
    expect: ['maxConcurrentJobs must be an integer'],
  },
  {
    command: 'settings.set',
    schema: engineSettingsPatch,
    why: 'empty user agent',
    input: { userAgent: '' },
    expect: ['userAgent must not be empty'],
  },
  {
    command: 'settings.set',
    schema: engineSettingsPatch,
    why: 'user agent with a line break',
    input: { userAgent: 'Ferry\r\nX-Injected: 1' },
    expect: ['userAgent must be one line'],
  },
  {
    command: 'settings.set',
    schema: engineSettingsPatch,
    why: 'user agent too long',
    input: { userAgent: 'u'.repeat(513) },
    expect: ['userAgent is too long'],
  },
];

describe('parseInput accepts valid input', () => {
  for (const { command, schema, input, output } of ACCEPT) {
    it(
      `${command} ${input === undefined ? 'undefined' : JSON.stringify(input)}`.slice(0, 120),
      () => {
        assert.deepEqual(parseInput(command, schema, input), output);
      },
    );
  }
});

describe('parseInput rejects bad input with INPUT_INVALID', () => {
  for (const { command, schema, why, input, expect } of REJECT) {
    it(`${command}: ${why}`, () => {
      assert.throws(
        () => parseInput(command, schema, input),
        (error: unknown) => {
          assert.ok(error instanceof FerryError);
          assert.equal(error.code, 'INPUT_INVALID');
          assert.equal(error.context, 'GENERAL_QUEUE_MANAGER');
          assert.ok(
            error.message.startsWith(`Invalid input for ${command}: `),
            `message names the command: ${error.message}`,
          );
          for (const fragment of expect) {
            assert.ok(error.message.includes(fragment), `"${fragment}" in: ${error.message}`);
          }
          return true;
        },
      );
    });
  }

  it('names the command and the bad field exactly', () => {
    assert.throws(
      () => parseInput('AddFile', addFileInput, { jobId: ID, remoteUrl: URL_, localName: '' }),
      { code: 'INPUT_INVALID', message: 'Invalid input for AddFile: localName must not be empty' },
    );
  });

  it('lists every bad field, separated by "; "', () => {
    assert.throws(
      () => parseInput('AddFile', addFileInput, { jobId: 'nope', remoteUrl: '', localName: '' }),
      {
        code: 'INPUT_INVALID',
        message:
          'Invalid input for AddFile: jobId must be a job id (a lower-case GUID); ' +
          'remoteUrl must not be empty; localName must not be empty',
      },
    );
  });
});

describe('shared schemas', () => {
  it('jobIdSchema accepts only lower-case GUIDs', () => {
    assert.equal(jobIdSchema.safeParse(ID).success, true);
    assert.equal(jobIdSchema.safeParse(ID.toUpperCase()).success, false);
    assert.equal(jobIdSchema.safeParse(ID.replaceAll('-', '')).success, false);
  });

  it('fileSpec is strict', () => {
    assert.equal(fileSpec.safeParse({ remoteUrl: URL_, localName: LOCAL }).success, true);
    assert.equal(fileSpec.safeParse({ remoteUrl: URL_, localName: LOCAL, x: 1 }).success, false);
  });

  it('proxySettingsSchema fills empty lists for non-OVERRIDE usages', () => {
    for (const usage of ['PRECONFIG', 'NO_PROXY', 'AUTODETECT'] as const) {
      assert.deepEqual(proxySettingsSchema.parse({ usage }), {
        usage,
        proxyList: [],
        bypassList: [],
      });
    }
  });
});
