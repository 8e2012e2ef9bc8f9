import type {
  ExtensionRef,
  PairedExtension,
  PairingRequest,
  PairingStatus,
  PairingsView,
} from '../../app/index.js';
import { FerryError, pairedExtensionSchema } from '../../app/index.js';
import type { Engine } from '../engine/index.js';

/** Pending requests kept at once: a flood of made-up ids cannot grow memory without bound. */
const MAX_PENDING = 16;

/** What the pairing registry tells the window when something changes. */
export type PairingsListener = (view: PairingsView) => void;

/**
 * Which browser extensions may hand downloads to Ferry: the user's answers, kept in
 * AppSettings (`pairedExtensions`) so they survive restarts and are listed in the settings.
 *
 * A request from an extension Ferry has not seen waits in memory until the user answers it
 * in the window; a refusal is remembered for this run only, so the extension cannot keep
 * asking, and a restart of Ferry lets the user change their mind. Every hand-off checks
 * `assertPaired` first, so a revoked extension is refused from its next message on.
 */
export class PairingRegistry {
  private readonly pending = new Map<string, PairingRequest>();
  private readonly denied = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly onChange: PairingsListener,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The pending requests and the paired extensions. */
  view(): PairingsView {
    return { pending: [...this.pending.values()], paired: this.paired() };
  }

  /** Where an extension stands; a new one becomes a pending request the window shows. */
  request(ref: ExtensionRef, label: string): PairingStatus {
    const key = keyOf(ref);
    if (this.find(ref) !== undefined) return 'paired';
    if (this.denied.has(key)) return 'denied';
    if (!this.pending.has(key)) {
      if (this.pending.size >= MAX_PENDING) {
        throw new FerryError(
          'RPC_NOT_PAIRED',
          'GENERAL_QUEUE_MANAGER',
          `Too many browser extensions (${MAX_PENDING}) are waiting for an answer in Ferry's window`,
        );
      }
      this.pending.set(key, { ...ref, label, requestedAt: this.now().toISOString() });
      this.onChange(this.view());
    }
    return 'pending';
  }

  /** The user's answer to a pending request: allow pairs it, deny refuses it for this run. */
  decide(ref: ExtensionRef, allow: boolean): PairingsView {
    const key = keyOf(ref);
    const request = this.pending.get(key);
    if (request === undefined) {
      throw new FerryError(
        'INPUT_INVALID',
        'GENERAL_QUEUE_MANAGER',
        `No pairing request from ${describe(ref)} is waiting for an answer`,
      );
    }
    if (allow) {
      const entry: PairedExtension = {
        browser: ref.browser,
        extensionId: ref.extensionId,
        label: request.label,
        pairedAt: this.now().toISOString(),
      };
      this.engine.setAppSettings({ pairedExtensions: [...this.paired(), entry] });
      this.denied.delete(key);
    } else {
      this.denied.add(key);
    }
    this.pending.delete(key);
    const view = this.view();
    this.onChange(view);
    return view;
  }

  /**
   * Forgets an extension: its pairing, its pending request or this run's refusal. It has to
   * ask again, and the user answers again.
   */
  revoke(ref: ExtensionRef): PairingsView {
    const key = keyOf(ref);
    const paired = this.paired();
    const kept = paired.filter((entry) => keyOf(entry) !== key);
    if (kept.length === paired.length && !this.pending.has(key) && !this.denied.has(key)) {
      throw new FerryError(
        'INPUT_INVALID',
        'GENERAL_QUEUE_MANAGER',
        `${capitalise(describe(ref))} is not paired with Ferry`,
      );
    }
    if (kept.length !== paired.length) this.engine.setAppSettings({ pairedExtensions: kept });
    this.pending.delete(key);
    this.denied.delete(key);
    const view = this.view();
    this.onChange(view);
    return view;
  }

  /** The paired entry of an extension, or RPC_NOT_PAIRED naming where it stands. */
  assertPaired(ref: ExtensionRef): PairedExtension {
    const entry = this.find(ref);
    if (entry !== undefined) return entry;
    const key = keyOf(ref);
    const why = this.denied.has(key)
      ? 'the pairing was refused in Ferry'
      : this.pending.has(key)
        ? "the pairing waits for an answer in Ferry's window"
        : 'it is not paired with Ferry';
    throw new FerryError(
      'RPC_NOT_PAIRED',
      'GENERAL_QUEUE_MANAGER',
      `${capitalise(describe(ref))} may not hand downloads to Ferry: ${why}`,
    );
  }

  private find(ref: ExtensionRef): PairedExtension | undefined {
    const key = keyOf(ref);
    return this.paired().find((entry) => keyOf(entry) === key);
  }

  /** The stored list, each entry checked: a damaged entry pairs nothing. */
  private paired(): PairedExtension[] {
    const stored: unknown = this.engine.getAppSettings().pairedExtensions;
    if (!Array.isArray(stored)) return [];
    return stored.flatMap((entry: unknown) => {
      const parsed = pairedExtensionSchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  }
}

function keyOf(ref: ExtensionRef): string {
  return `${ref.browser}:${ref.extensionId}`;
}

function describe(ref: ExtensionRef): string {
  return `the ${ref.browser === 'firefox' ? 'Firefox' : 'Chromium'} extension ${ref.extensionId}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
