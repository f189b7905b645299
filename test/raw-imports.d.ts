/** Vite's `?raw` imports: a file's text (test/search/upgrade-0008.test.ts reads an SQL script this way). */
declare module "*?raw" {
  const text: string;
  export default text;
}
