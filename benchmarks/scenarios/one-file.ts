/**
 * Measurements of one served file downloaded by each kind of peer, shared by scenarios 1 and 2:
 * each gets a fresh folder, is verified by sha256 and removes its download afterwards.
 */
import { join } from 'node:path';
import type { PeerCommand, PeerFile } from '../peers/cli-tools.js';
import type { FerryCli } from '../peers/ferry-cli.js';
import type { FerryDownloadResult } from '../peers/ferry-child.js';
import { PeerFailure, runFerryChild, runNodeClient, runPeerCommand } from '../peers/launch.js';
import type { Measurement } from '../peers/launch.js';
import { verifyDownloads } from '../support/files.js';
import type { ServedFile } from '../support/files.js';
import type { BenchContext } from './context.js';

/** A download folder that goes away after the measurement, and the file's path in it. */
function scratch(ctx: BenchContext, who: string, served: ServedFile): { dir: string; out: string } {
  const dir = ctx.temp.dir(who);
  return { dir, out: join(dir, served.name) };
}

/** Ferry's engine in a child with `connections` per file (null: the engine's default). */
export function ferryOneFile(
  ctx: BenchContext,
  served: ServedFile,
  connections: number | null,
  timeoutMs: number,
  onResult?: (result: FerryDownloadResult) => void,
): Measurement {
  const { dir, out } = scratch(ctx, 'ferry', served);
  return {
    async transfer() {
      const { result } = await runFerryChild(
        {
          mode: 'download',
          dataDir: join(dir, 'data'),
          create: true,
          files: [{ url: ctx.server.url(served.name), localName: out }],
          connectionsPerFile: connections,
        },
        dir,
        { timeoutMs },
      );
      if (result === undefined) throw new PeerFailure('ferry engine printed no result');
      onResult?.(result);
      return {
        bytes: result.bytes,
        wallMs: result.wallMs,
        cpuSeconds: result.cpuSeconds,
        peakRssBytes: result.peakRssBytes,
        extra: { transferMs: result.transferMs },
      };
    },
    verify: () => verifyDownloads([{ served, downloaded: out }], 'ferry'),
    cleanup: () => {
      ctx.temp.remove(dir);
    },
  };
}

/** `ferry transfer` against the scenario's running server, with `connections` (null: default). */
export function ferryCliOneFile(
  ctx: BenchContext,
  cli: FerryCli,
  served: ServedFile,
  connections: number | null,
  timeoutMs: number,
): Measurement {
  const { dir, out } = scratch(ctx, 'ferry-cli', served);
  return {
    async transfer() {
      const url = ctx.server.url(served.name);
      const { sample } = await cli.transfer([url], dir, connections, served.size, timeoutMs);
      return sample;
    },
    verify: () => verifyDownloads([{ served, downloaded: out }], 'ferry transfer'),
    cleanup: () => {
      ctx.temp.remove(dir);
    },
  };
}

/** The bare Node client: one GET, or `ranges` Range GETs into one file. */
export function nodeOneFile(
  ctx: BenchContext,
  served: ServedFile,
  ranges: number,
  timeoutMs: number,
): Measurement {
  const { dir, out } = scratch(ctx, 'node', served);
  const url = ctx.server.url(served.name);
  return {
    transfer: () =>
      runNodeClient(
        ranges <= 1
          ? { mode: 'single', url, out }
          : { mode: 'ranges', url, out, connections: ranges },
        dir,
        { timeoutMs },
      ),
    verify: () => verifyDownloads([{ served, downloaded: out }], 'node client'),
    cleanup: () => {
      ctx.temp.remove(dir);
    },
  };
}

/** A native peer built by `build` for this file and folder. */
export function peerOneFile(
  ctx: BenchContext,
  served: ServedFile,
  build: (file: PeerFile, dir: string) => PeerCommand,
  timeoutMs: number,
): Measurement {
  const { dir, out } = scratch(ctx, 'peer', served);
  const command = build({ url: ctx.server.url(served.name), name: served.name }, dir);
  return {
    async transfer() {
      const run = await runPeerCommand(command, { timeoutMs });
      return { bytes: served.size, wallMs: run.wallMs, cpuSeconds: run.cpuSeconds };
    },
    verify: () => verifyDownloads([{ served, downloaded: out }], command.program),
    cleanup: () => {
      ctx.temp.remove(dir);
    },
  };
}
