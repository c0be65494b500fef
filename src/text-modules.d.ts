// Shell files are bundled as text (scripts/build.mjs, scripts/text-modules.mjs).
declare module '*.sh' {
  const text: string;
  export default text;
}

// The HTML page's script and style, built at build time (scripts/text-modules.mjs).
declare module 'oc-icsp:page-script' {
  const text: string;
  export default text;
}
declare module 'oc-icsp:page-style' {
  const text: string;
  export default text;
}
