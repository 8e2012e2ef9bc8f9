import { crc32, deflateSync } from 'node:zlib';
import type { TrayImage } from './platform.js';

/**
 * The tray icon, drawn in code: one per aggregate state, at 16 and 32 pixels (1x and 2x).
 *
 * Drawn rather than shipped as files so that the icon always exists, whatever the packaging
 * copies, and each state is a pure function the unit tests decode: a slate disc with a down
 * arrow when idle, a blue one while downloading, a red disc with "!" when a job waits in ERROR.
 */

/** What the tray shows: nothing moving, downloads moving, or some job failed. */
export type TrayState = 'idle' | 'transferring' | 'error';

type Rgb = readonly [number, number, number];

const DISC: Readonly<Record<TrayState, Rgb>> = {
  idle: [0x5b, 0x67, 0x77],
  transferring: [0x1e, 0x6f, 0xd9],
  error: [0xd0, 0x31, 0x2d],
};
const GLYPH: Rgb = [0xff, 0xff, 0xff];

/** Shapes in unit coordinates ([0, 1] across the icon). */
type Shape = (x: number, y: number) => boolean;

const disc: Shape = (x, y) => (x - 0.5) ** 2 + (y - 0.5) ** 2 <= 0.47 ** 2;
const arrow: Shape = (x, y) =>
  (x >= 0.42 && x <= 0.58 && y >= 0.18 && y <= 0.56) ||
  // The head: a triangle from (0.22, 0.5)–(0.78, 0.5) down to (0.5, 0.82).
  (y >= 0.5 && y <= 0.82 && Math.abs(x - 0.5) <= (0.82 - y) * (0.28 / 0.32));
const exclamation: Shape = (x, y) =>
  (x >= 0.41 && x <= 0.59 && y >= 0.16 && y <= 0.6) ||
  (x - 0.5) ** 2 + (y - 0.77) ** 2 <= 0.09 ** 2;

/** The tray image for a state, at 1x (16 px) and 2x (32 px). */
export function trayImage(state: TrayState): TrayImage {
  return { png1x: iconPng(state, 16), png2x: iconPng(state, 32) };
}

/** One icon as PNG bytes (RGBA, 4×4 supersampled edges). */
export function iconPng(state: TrayState, size: number): Uint8Array {
  const glyph = state === 'error' ? exclamation : arrow;
  const [r, g, b] = DISC[state];
  const rows = Buffer.alloc(size * (1 + size * 4));
  const samples = 4;
  for (let py = 0; py < size; py++) {
    const row = py * (1 + size * 4);
    rows[row] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let cover = 0;
      let white = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (!disc(x, y)) continue;
          cover++;
          if (glyph(x, y)) white++;
        }
      }
      const at = row + 1 + px * 4;
      const n = samples * samples;
      // Colour of the covered part (disc and glyph mixed), alpha from the coverage.
      const mix = (disc: number, glyphValue: number): number =>
        cover === 0 ? 0 : Math.round((disc * (cover - white) + glyphValue * white) / cover);
      rows[at] = mix(r, GLYPH[0]);
      rows[at + 1] = mix(g, GLYPH[1]);
      rows[at + 2] = mix(b, GLYPH[2]);
      rows[at + 3] = Math.round((255 * cover) / n);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([length, body, crc]);
}
