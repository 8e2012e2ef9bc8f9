// Draws Ferry's toolbar icon (a white down arrow on a blue rounded square) as PNG files, so
// the repository holds no binary images. Plain Node: zlib for the PNG's deflate and CRC.
import { Buffer } from 'node:buffer';
import { crc32, deflateSync } from 'node:zlib';

/** The icon at `size` pixels, as PNG bytes. */
export function iconPng(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const radius = size * 0.22;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = colourAt(x + 0.5, y + 0.5, size, radius);
      pixels.set([r, g, b, a], (y * size + x) * 4);
    }
  }
  // One filter byte (0: none) before each row.
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

function colourAt(x, y, size, radius) {
  // Outside the rounded square: transparent.
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  if (Math.hypot(x - cx, y - cy) > radius) return [0, 0, 0, 0];
  const u = x / size;
  const v = y / size;
  const shaft = Math.abs(u - 0.5) < 0.09 && v > 0.18 && v < 0.58;
  const head = v >= 0.5 && v < 0.74 && Math.abs(u - 0.5) < 0.74 - v;
  const base = v > 0.78 && v < 0.86 && u > 0.24 && u < 0.76;
  if (shaft || head || base) return [255, 255, 255, 255];
  return [21, 101, 192, 255];
}
