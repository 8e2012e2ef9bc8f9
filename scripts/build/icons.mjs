// Renders Ferry's icons from the SVG sources in assets/icons with resvg (SVG to PNG) and
// png2icons (PNG to .icns and .ico), so no icon is drawn by hand at any size.
//
//   dist/icons/app/icon.png            1024 px, electron-builder's source for every platform
//   dist/icons/app/icon.icns           macOS (dmg)
//   dist/icons/app/icon.ico            Windows (nsis, the .exe), 16 to 256 px
//   dist/icons/app/png/NxN.png         Linux (AppImage, deb: hicolor sizes 16 to 512)
//   dist/icons/window.png              256 px, the window icon on Linux and Windows
//   dist/icons/tray/<state>.png, @2x   16 and 32 px for idle, transferring and error
//   dist/icons/tray/<state>Template.png, @2x   macOS menu-bar templates (black and alpha)
//
// dist/icons/window.png and dist/icons/tray/ go into app.asar; dist/icons/app/ only feeds
// electron-builder.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

/** The tray's states and their disc colours (glyph white). */
export const TRAY_STATES = {
  idle: '#5b6777',
  transferring: '#1e6fd9',
  error: '#d0312d',
};

function render(svg, width) {
  return new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false },
  })
    .render()
    .asPng();
}

/** The tray SVG for a state: colours filled in, the error state's glyph swapped. */
export function traySvg(source, state, template) {
  let svg = source
    .replaceAll('#DISC#', template ? 'none' : TRAY_STATES[state])
    .replaceAll('#GLYPH#', template ? '#000000' : '#ffffff');
  if (state === 'error') {
    svg = svg
      .replace('<g id="arrow"', '<g id="arrow" display="none"')
      .replace(/(<g id="alert"[^>]*?) display="none"/, '$1');
  }
  return svg;
}

/** Writes every icon under `root`/dist/icons. */
export function buildIcons(root) {
  const out = join(root, 'dist', 'icons');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'app', 'png'), { recursive: true });
  mkdirSync(join(out, 'tray'), { recursive: true });

  const app = readFileSync(join(root, 'assets', 'icons', 'ferry.svg'), 'utf8');
  const big = render(app, 1024);
  writeFileSync(join(out, 'app', 'icon.png'), big);
  for (const size of LINUX_SIZES) {
    writeFileSync(join(out, 'app', 'png', `${size}x${size}.png`), render(app, size));
  }
  // Bicubic scaling from the 1024 px render; the .ico holds the PNG-compressed sizes
  // Windows asks for (16-256).
  const icns = png2icons.createICNS(big, png2icons.BICUBIC, 0);
  const ico = png2icons.createICO(big, png2icons.BICUBIC, 0, true, true);
  if (icns === null || ico === null) throw new Error('icons: png2icons could not convert icon.png');
  writeFileSync(join(out, 'app', 'icon.icns'), icns);
  writeFileSync(join(out, 'app', 'icon.ico'), ico);
  writeFileSync(join(out, 'window.png'), render(app, 256));

  const tray = readFileSync(join(root, 'assets', 'icons', 'tray.svg'), 'utf8');
  for (const state of Object.keys(TRAY_STATES)) {
    for (const template of [false, true]) {
      const svg = traySvg(tray, state, template);
      const name = template ? `${state}Template` : state;
      writeFileSync(join(out, 'tray', `${name}.png`), render(svg, 16));
      writeFileSync(join(out, 'tray', `${name}@2x.png`), render(svg, 32));
    }
  }
}
