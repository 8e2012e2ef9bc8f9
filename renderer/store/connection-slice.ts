import type { ConnectionState } from '../../app/contract.js';
import type { SliceCreator } from './types.js';

/** The link to the engine's host, for the banner. */
export interface ConnectionSlice {
  readonly connection: ConnectionState;
  /** True once the link has been open at least once (a later close is a loss, not a start). */
  readonly everConnected: boolean;
  readonly setConnection: (state: ConnectionState) => void;
}

/** The connection slice. */
export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set) => ({
  connection: 'connecting',
  everConnected: false,
  setConnection: (connection) => {
    set(
      (state) => ({ connection, everConnected: state.everConnected || connection === 'open' }),
      false,
      'connection/set',
    );
  },
});
