// Records the V8 code cache of a bundle after running it on typical invocations, so that the
// functions they compile are in it too. Run as `node scripts/code-cache.cjs BUNDLE ARGV-JSON`,
// with stdout thrown away.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { Script } = require('node:vm');
const { wrap } = require('node:module');

const [file, runsJson] = process.argv.slice(2);
const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file });
const run = script.runInThisContext();
(async () => {
  for (const args of JSON.parse(runsJson)) {
    process.argv = [process.argv[0], file, ...args];
    const bundle = { exports: {} };
    run.call(bundle.exports, bundle.exports, require, bundle, file, dirname(file));
    await bundle.exports.finished;
  }
  writeFileSync(`${file}.cache`, script.createCachedData());
  process.exitCode = 0;
})();
