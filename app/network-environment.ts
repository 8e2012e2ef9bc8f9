import { NETWORK_VARIABLES } from './model/proxy.js';
import { maskUrl } from './secret-mask.js';
import type { NetworkVariable, NetworkVariableName } from './model/proxy.js';

/**
 * The proxy and CA variables of an environment as Ferry reads them, and what the CLI says when
 * its own differ from the running server's: the server reads the environment it was started
 * with, once, so a variable set on a later `ferry` call changes nothing (issue 14). `digest`
 * is a one-way digest of a value (SHA-256 in both the host and the CLI), so values are compared
 * without a proxy password ever leaving the host.
 */

/** An environment: names to values. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A variable's effective value: the lower-case proxy names win (curl, undici, envProxy). */
function effective(env: Environment, name: NetworkVariableName): string | null {
  const lower = name === 'NODE_EXTRA_CA_CERTS' ? undefined : env[name.toLowerCase()];
  const value = lower ?? env[name];
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/** The network variables of `env` (engine.info's `network`). */
export function networkEnvironment(
  env: Environment,
  digest: (value: string) => string,
): NetworkVariable[] {
  return NETWORK_VARIABLES.map((name) => {
    const value = effective(env, name);
    return value === null
      ? { name, value: null, digest: null }
      : { name, value: maskUrl(value), digest: digest(value) };
  });
}

/**
 * One warning per variable set in `local` (the CLI's environment) whose value the server does
 * not use, saying what to do instead.
 */
export function networkEnvironmentWarnings(
  local: Environment,
  server: readonly NetworkVariable[],
  serverPid: number,
  digest: (value: string) => string,
): string[] {
  const warnings: string[] = [];
  for (const mine of networkEnvironment(local, digest)) {
    if (mine.value === null) continue;
    const theirs = server.find((v) => v.name === mine.name);
    if (theirs === undefined || theirs.digest === mine.digest) continue;
    const used = theirs.value === null ? `no ${mine.name}` : `${mine.name}=${theirs.value}`;
    const instead =
      mine.name === 'NODE_EXTRA_CA_CERTS'
        ? `use 'ferry settings set extraCaCertificates ${mine.value}' instead (it applies at once)`
        : "set the proxy in the settings instead ('ferry settings set defaultProxy …', see docs/network.md), or restart the server from this shell";
    warnings.push(
      `warning: ${mine.name}=${mine.value} is set here, but the running server (pid ${serverPid}) uses ${used}: it reads only the environment it was started with; ${instead}`,
    );
  }
  return warnings;
}
