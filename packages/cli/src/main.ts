#!/usr/bin/env node
import { runCli } from './cli.js';
import { processIo } from './io.js';

// A reader that stops early (`gitops logs <id> | head`) is no error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
