/**
 * The Ferry contract: the job model, the transition table, errors and command schemas.
 *
 * Imported by the engine, every shell and the renderer; it imports nothing but zod.
 */
export * from './model/job-state.js';
export * from './model/job-type.js';
export * from './model/reply.js';
export * from './model/job-flavour.js';
export * from './model/priority.js';
export * from './model/error-context.js';
export * from './model/notify-flags.js';
export * from './model/progress.js';
export * from './model/times.js';
export * from './model/proxy.js';
export * from './proxy-address.js';
export * from './model/ids.js';
export * from './model/job.js';
export * from './model/settings.js';
export * from './transitions.js';
export * from './errors.js';
export * from './commands.js';
export * from './input-text.js';
export * from './model/transfer-policy.js';
export * from './model/app-settings.js';
export * from './model/folder-rules.js';
export * from './browser.js';
export * from './native-messages.js';
export * from './contract.js';
export * from './notify-interface.js';
export * from './state-log.js';
export * from './wire.js';
export * from './ws-client.js';
export * from './job-mirror.js';
