#!/usr/bin/env node
// The `ferry` bin: registers tsx (the sources are TypeScript, run without a build step) and
// runs the CLI. Works from any directory once `npm ci` has installed the dependencies.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../main/cli/ferry.ts', import.meta.url).href);
