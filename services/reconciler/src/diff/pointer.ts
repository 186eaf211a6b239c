/** A key as one token of a JSON pointer (RFC 6901): `~` and `/` escaped. */
export const escapeToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The key a JSON pointer token names. */
export const unescapeToken = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** The keys of a JSON pointer, in order (`''` names the whole document: no keys). */
export const pointerKeys = (pointer: string) => pointer.split('/').slice(1).map(unescapeToken);
