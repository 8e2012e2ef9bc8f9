/**
 * The headless server (`npm run serve`, `ferry serve`, and the desktop app's RPC endpoint):
 * the built renderer and the contract over an authenticated WebSocket on 127.0.0.1.
 */
export { startRpcServer } from './server.js';
export type { RpcServer, RpcServerOptions } from './server.js';
export { runServer } from './run.js';
export type { RunServerOptions, RunningServer } from './run.js';
export { DEFAULT_RPC_LIMITS, RPC_CLOSE_OVERLOADED } from './rpc.js';
export type { RpcConnectionLimits } from './rpc.js';
export { TOKEN_FILE, loadOrCreateToken } from './auth.js';
export { SERVER_INFO_FILE, readServerInfoSync } from './server-info.js';
export type { ServerInfo } from './server-info.js';
export { DEFAULT_STATIC_DIR } from './static.js';
