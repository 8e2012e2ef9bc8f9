import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { iconPng, trayImage } from '../../../main/electron/tray-icon.js';

/** Decodes the PNGs iconPng writes: size and RGBA pixels (filter byte 0 on every row). */
function decode(png: Uint8Array): { size: number; pixel(x: number, y: number): number[] } {
  const bytes = Buffer.from(png);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  const size = bytes.readUInt32BE(16);
  assert.equal(bytes.readUInt32BE(20), size, 'square');
  const idatLength = bytes.readUInt32BE(33);
  assert.equal(bytes.toString('latin1', 37, 41), 'IDAT');
  const rows = inflateSync(bytes.subarray(41, 41 + idatLength));
  assert.equal(rows.length, size * (1 + size * 4));
  return {
    size,
    pixel: (x, y) => [
      ...rows.subarray(y * (1 + size * 4) + 1 + x * 4, y * (1 + size * 4) + 5 + x * 4),
    ],
  };
}

describe('tray icons', () => {
  it('draws 16 and 32 pixel PNGs for each state', () => {
    for (const state of ['idle', 'transferring', 'error'] as const) {
      const image = trayImage(state);
      assert.equal(decode(image.png1x).size, 16);
      assert.equal(decode(image.png2x).size, 32);
    }
  });

  it('has transparent corners, a white glyph in the middle and a disc coloured by state', () => {
    const colours = new Set<string>();
    for (const state of ['idle', 'transferring', 'error'] as const) {
      const icon = decode(iconPng(state, 32));
      assert.equal(icon.pixel(0, 0)[3], 0, 'corner transparent');
      assert.deepEqual(icon.pixel(16, 12), [255, 255, 255, 255], 'glyph white');
      const disc = icon.pixel(5, 16);
      assert.equal(disc[3], 255);
      colours.add(disc.join());
    }
    assert.equal(colours.size, 3, 'three different disc colours');
    // The error icon is red.
    const [r, g, b] = decode(iconPng('error', 32)).pixel(5, 16);
    assert.ok(
      r !== undefined && g !== undefined && b !== undefined && r > 150 && g < 100 && b < 100,
    );
  });
});
