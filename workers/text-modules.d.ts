// Files that wrangler.toml's [[rules]] bundle as Text modules: importing one
// yields its contents as a string (workers/assets.ts).
declare module '*.css' {
  const text: string;
  export default text;
}
declare module '*.svg' {
  const text: string;
  export default text;
}
declare module '*.umd.min.js' {
  const text: string;
  export default text;
}
declare module '*/pages/scripts/enrol.js' {
  const text: string;
  export default text;
}
declare module '*/pages/scripts/passkey-signin.js' {
  const text: string;
  export default text;
}
declare module '*/pages/scripts/error-summary.js' {
  const text: string;
  export default text;
}
