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

// Set by scripts/build.mjs: the help texts, and the names of the program's assets (SEA_ASSETS).
declare const __HELP_TEXTS__: HelpTexts;
declare const __SEA_ASSETS__: { program: string; cache: string };

function runBundle(): void {
  const file = process.execPath;
  const script = new Script(wrap(getAsset(__SEA_ASSETS__.program, 'utf8')), { filename: file, cachedData: Buffer.from(getAsset(__SEA_ASSETS__.cache)) });
  const bundle = { exports: {} };
  script.runInThisContext().call(bundle.exports, bundle.exports, createRequire(file), bundle, file, dirname(file));
}

if (!answerHelp(__HELP_TEXTS__, process.argv.slice(2), processIo(processInvocation()))) runBundle();
