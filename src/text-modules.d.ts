// Shell files are bundled as text (scripts/build.mjs, scripts/text-modules.mjs).
declare module '*.sh' {
  const text: string;
  export default text;
}
