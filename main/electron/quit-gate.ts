/**
 * The order of a clean quit: the first quit request is held while the engine stops (jobs back
 * to QUEUED, store closed), then the quit goes through; requests while stopping wait for it.
 *
 * Electron's `before-quit` is synchronous, so main.ts calls `request()` there and calls
 * `preventDefault()` unless the answer is `proceed`.
 */
export class QuitGate {
  private state: 'running' | 'stopping' | 'stopped' = 'running';

  /** @param stop shuts everything down; `onStopped` runs after it, failed or not. */
  constructor(
    private readonly stop: () => Promise<void>,
    private readonly onStopped: (error: unknown) => void,
  ) {}

  /** Whether a quit is under way or done (closing the window then really closes it). */
  get quitting(): boolean {
    return this.state !== 'running';
  }

  /**
   * A quit was requested: `proceed` once everything is stopped; `wait` while stopping (the
   * first call starts the stop).
   */
  request(): 'proceed' | 'wait' {
    if (this.state === 'stopped') return 'proceed';
    if (this.state === 'running') {
      this.state = 'stopping';
      this.stop().then(
        () => {
          this.state = 'stopped';
          this.onStopped(null);
        },
        (error: unknown) => {
          this.state = 'stopped';
          this.onStopped(error);
        },
      );
    }
    return 'wait';
  }
}
