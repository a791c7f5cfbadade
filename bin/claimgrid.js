#!/usr/bin/env node
// The `claimgrid` command runs the TypeScript source through tsx, so it always matches the code
// checked out, whether or not `npm run build` has been run since.
import { register } from 'tsx/esm/api';

register();
const cli = await import(new URL('../src/cli.ts', import.meta.url).href);
process.exitCode = await cli.main(process.argv.slice(2));
