// What the token-side endpoints share (their paths are in src/paths.ts).

/** RFC 6749 §5.1, RFC 7662 §2.2: responses carrying tokens or token state are not cached. */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;
