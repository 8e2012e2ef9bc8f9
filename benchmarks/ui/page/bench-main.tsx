/**
 * The UI benchmark page: the real renderer, fed by an in-page fake host (fake-host.ts)
 * instead of a WebSocket, with hooks the runner (../run.ts) drives through Playwright.
 */
import { createFakeHost } from './fake-host.js';

/** What the runner calls in the page. */
export interface BenchApi {
  /** Resolves once the list shows rows. */
  ready(): Promise<void>;
  /** Frame intervals (ms) while scrolling `frames` frames, batches every 250 ms meanwhile. */
  scroll(frames: number, pixelsPerFrame: number): Promise<number[]>;
  /** For each of `count` batches: ms until the store, React and the next paint have it. */
  batchLatency(count: number): Promise<{ sync: number[]; painted: number[] }>;
}

declare global {
  interface Window {
    bench?: BenchApi;
  }
}

const host = createFakeHost(10_000, 200);
// What the desktop preload does: the renderer picks this client over a WebSocket.
Object.defineProperty(window, 'ferry', { value: host.client });

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
const afterPaint = () =>
  new Promise<void>((resolve) => {
    requestAnimationFrame(() => {
      setTimeout(resolve, 0);
    });
  });

window.bench = {
  async ready() {
    while (document.querySelectorAll('[role="option"]').length === 0) await nextFrame();
  },
  async scroll(frames, pixelsPerFrame) {
    const list = document.querySelector<HTMLElement>('[role="listbox"]');
    if (list === null) throw new Error('no list');
    const timer = setInterval(() => host.emitBatch(), 250);
    const intervals: number[] = [];
    let last = await nextFrame();
    for (let i = 0; i < frames; i++) {
      list.scrollTop += pixelsPerFrame;
      if (list.scrollTop + list.clientHeight >= list.scrollHeight) list.scrollTop = 0;
      const now = await nextFrame();
      intervals.push(now - last);
      last = now;
    }
    clearInterval(timer);
    return intervals;
  },
  async batchLatency(count) {
    const sync: number[] = [];
    const painted: number[] = [];
    for (let i = 0; i < count; i++) {
      await afterPaint();
      const t0 = performance.now();
      host.emitBatch();
      sync.push(performance.now() - t0);
      await afterPaint();
      painted.push(performance.now() - t0);
    }
    return { sync, painted };
  },
};

await import('../../../renderer/main.js');
