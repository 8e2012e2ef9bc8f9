import type { JobId, StateLogEntry } from '../../../app/index.js';
import { JOB_STATES, STATE_CAUSES } from '../../../app/index.js';
import type { SqliteDatabase } from './database.js';

/**
 * Each job's state log in the store (table job_state_log, migration v5): the transitions
 * made for a power or session cause. Rows go with their job (ON DELETE CASCADE).
 */
export class StateLog {
  private readonly insert;
  private readonly select;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(
      'INSERT INTO job_state_log (job_id, time, state, cause) VALUES (?, ?, ?, ?)',
    );
    this.select = db.prepare(
      'SELECT time, state, cause FROM job_state_log WHERE job_id = ? ORDER BY id',
    );
  }

  append(jobId: JobId, entry: StateLogEntry): void {
    this.insert.run(jobId, entry.time, entry.state, entry.cause);
  }

  /** The job's entries, oldest first; a row this version does not know is skipped. */
  list(jobId: JobId): StateLogEntry[] {
    const rows = this.select.all(jobId) as { time: unknown; state: unknown; cause: unknown }[];
    return rows.flatMap((row) => {
      const cause = STATE_CAUSES.find((known) => known === row.cause);
      const state = JOB_STATES.find((known) => known === row.state);
      return typeof row.time === 'number' && state !== undefined && cause !== undefined
        ? [{ time: row.time, state, cause }]
        : [];
    });
  }
}
