// The bundle's first script, dist/oc-icsp. Help is answered from the texts rendered at build time
// without the program; anything else runs the bundle beside this file (oc-icsp.cjs) with the V8
// code cache recorded at build time (oc-icsp.cjs.cache): compiling ~0.9 MB of JavaScript is a
// third of every start. A cache that does not fit this Node (another V8 version or flags) is
// simply not used. The shebang gives node NODE_FLAGS (scripts/build.mjs), the flags the cache was
// recorded with, which V8 checks: a small young generation keeps a 500-node verify under 100 MB
// (16 MB semi-spaces let garbage pile up between scavenges).
import { readFileSync } from 'node:fs';
import { wrap } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { answerHelp, type HelpTexts } from './help-key.js';
import { processInvocation } from './invocation.js';
import { processIo } from './io.js';

// Set by scripts/build.mjs.
declare const __HELP_TEXTS__: HelpTexts;

function runBundle(): void {
  const file = join(__dirname, 'oc-icsp.cjs');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // built without a cache: compiled as usual
  }
  const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const bundle = { exports: {} };
  script.runInThisContext().call(bundle.exports, bundle.exports, require, bundle, file, __dirname);
}

if (!answerHelp(__HELP_TEXTS__, process.argv.slice(2), processIo(processInvocation()))) runBundle();
