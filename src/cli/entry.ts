#!/usr/bin/env node
import { processInvocation } from './invocation.js';
import { processIo } from './io.js';
import { main } from './main.js';

main(process.argv.slice(2), processIo(processInvocation())).then((code) => {
  process.exitCode = code;
});
