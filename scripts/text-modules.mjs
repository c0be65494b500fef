// Files that the code imports as text: esbuild's text loader in the bundle (scripts/build.mjs), and
// this plugin for vitest (and so Stryker), which would otherwise try to read them as JavaScript.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const TEXT_EXTENSIONS = ['.sh'];

/** esbuild's loader option for them. */
export const textLoaders = Object.fromEntries(TEXT_EXTENSIONS.map((ext) => [ext, 'text']));

/** A vite plugin: a text file imported is a module whose default export is its text. */
export const textModules = {
  name: 'oc-icsp-text-modules',
  enforce: 'pre',
  transform(code, id) {
    if (!TEXT_EXTENSIONS.some((ext) => id.endsWith(ext))) return null;
    return { code: `export default ${JSON.stringify(code)};`, map: null };
  },
};

// The HTML page's script and style (src/page/page.ts imports them by these names): the browser
// script bundled from TypeScript and the CSS minified, each a string, in the bundle (esbuild's
// plugin below) and under vitest (the vite plugin), built by the same calls.
const root = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const PAGE_ASSETS = {
  'oc-icsp:page-script': async () =>
    (await build({ entryPoints: [root('src/page/browser/page-script.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2020', minify: true, legalComments: 'none', logLevel: 'warning' })).outputFiles[0].text,
  'oc-icsp:page-style': async () =>
    (await build({ entryPoints: [root('src/page/page.css')], bundle: true, write: false, minify: true, legalComments: 'none', logLevel: 'warning' })).outputFiles[0].text,
};

/** esbuild: the page's assets as text modules. */
export const pageAssets = {
  name: 'oc-icsp-page-assets',
  setup(b) {
    b.onResolve({ filter: /^oc-icsp:page-/ }, (args) => ({ path: args.path, namespace: 'oc-icsp-page' }));
    b.onLoad({ filter: /.*/, namespace: 'oc-icsp-page' }, async (args) => ({ contents: await PAGE_ASSETS[args.path](), loader: 'text' }));
  },
};

/** vite (vitest): the same. */
export const pageAssetsVite = {
  name: 'oc-icsp-page-assets',
  enforce: 'pre',
  resolveId: (id) => (Object.hasOwn(PAGE_ASSETS, id) ? `\0${id}` : null),
  async load(id) {
    if (!id.startsWith('\0oc-icsp:page-')) return null;
    return `export default ${JSON.stringify(await PAGE_ASSETS[id.slice(1)]())};`;
  },
};
