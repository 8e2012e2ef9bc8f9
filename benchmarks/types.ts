/**
 * The shapes of benchmark results: what the runner records, the report prints and the JSON
 * file keeps.
 */

/** One measured run of one tool in one mode. */
export interface Sample {
  /** Bytes of payload the tool delivered (verified by sha256). */
  readonly bytes: number;
  readonly wallMs: number;
  /** CPU seconds of the client process (its transfer window for Node clients). */
  readonly cpuSeconds: number;
  /** Peak RSS of the client, when known. */
  readonly peakRssBytes?: number;
  /** Scenario-specific figures (bytes fetched twice, restore time, connections used…). */
  readonly extra?: Readonly<Record<string, number>>;
}

/** Every run of one tool in one mode. */
export interface Row {
  /** "ferry", "node", "curl", "wget", "aria2c". */
  readonly tool: string;
  /** e.g. "1 connection", "-x 8", "default segmentation". */
  readonly mode: string;
  /** Connections asked for, when the mode has a number (scenario 2). */
  readonly connections?: number;
  /** The exact command (peers) or configuration (Ferry, Node) behind the numbers. */
  readonly command: string;
  readonly samples: Sample[];
  /** A failed run (wrong hash, crash, time-out): the row has no valid number for it. */
  readonly failures: string[];
}

/** The result of one scenario. */
export interface ScenarioResult {
  readonly id: number;
  readonly title: string;
  /** Sizes, counts, rates the scenario ran with (printed above its table). */
  readonly params: Readonly<Record<string, string | number>>;
  readonly rows: Row[];
  /** Remarks worth keeping with the figures (settings the engine refused, for instance). */
  readonly notes: string[];
}

/** One target of the issue, judged on one run. */
export interface TargetResult {
  readonly scenario: number;
  readonly target: string;
  readonly measured: string;
  readonly required: string;
  readonly pass: boolean;
  /** "by how much", e.g. "+12 %" over or "−30 % short". */
  readonly margin: string;
}

/** Everything one `npm run bench` produced. */
export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly machine: Readonly<Record<string, string | number>>;
  readonly runs: number;
  readonly scenarios: ScenarioResult[];
  readonly targets: TargetResult[];
}
