#!/usr/bin/env -S node --max-semi-space-size=4
// Runs the bundle beside this file (oc-icsp.cjs) with the V8 code cache recorded at build time
// (oc-icsp.cjs.cache): compiling ~0.9 MB of JavaScript is a third of every start. A cache that
// does not fit this Node (another V8 version or flags) is simply not used.
// A small young generation keeps a 500-node verify under 100 MB (16 MB semi-spaces let garbage
// pile up between scavenges); the code cache is recorded with the same flags, which it checks.
// The build writes the shebang from NODE_FLAGS (scripts/build.mjs).
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const { wrap } = require('node:module');

const file = join(__dirname, 'oc-icsp.cjs');
let cachedData;
try {
  cachedData = readFileSync(`${file}.cache`);
} catch {
  // built without a cache: compile as usual
}
const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
const bundle = { exports: {} };
script.runInThisContext().call(bundle.exports, bundle.exports, require, bundle, file, __dirname);
