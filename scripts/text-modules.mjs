// Files that the code imports as text: esbuild's text loader in the bundle (scripts/build.mjs), and
// this plugin for vitest (and so Stryker), which would otherwise try to read them as JavaScript.
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
