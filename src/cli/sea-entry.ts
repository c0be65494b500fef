// The single binary's first script. Help is answered from the texts rendered at build time
// without the program; anything else runs the program: the bundle, an asset of the binary, with
// the V8 code cache the binary's own Node recorded (scripts/package.mjs). Kept apart because
// compiling the whole bundle is most of what a help request would otherwise cost.
import { createRequire, wrap } from 'node:module';
import { dirname } from 'node:path';
import { getAsset } from 'node:sea';
import { Script } from 'node:vm';
import { answerHelp, type HelpTexts } from './help-key.js';
import { processInvocation } from './invocation.js';
import { processIo } from './io.js';

// Set by scripts/build.mjs.
declare const __HELP_TEXTS__: HelpTexts;

/** The asset names scripts/package.mjs gives the bundle and its code cache. */
const BUNDLE_ASSET = 'oc-icsp.cjs';
const BUNDLE_CACHE_ASSET = 'oc-icsp.cjs.cache';

function runBundle(): void {
  const file = process.execPath;
  const script = new Script(wrap(getAsset(BUNDLE_ASSET, 'utf8')), { filename: file, cachedData: Buffer.from(getAsset(BUNDLE_CACHE_ASSET)) });
  const bundle = { exports: {} };
  script.runInThisContext().call(bundle.exports, bundle.exports, createRequire(file), bundle, file, dirname(file));
}

if (!answerHelp(__HELP_TEXTS__, process.argv.slice(2), processIo(processInvocation()))) runBundle();
