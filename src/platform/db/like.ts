/**
 * User text inside a LIKE/ILIKE pattern. PostgreSQL's default escape character is the
 * backslash, so escaping it, `%` and `_` makes a search for "50%_off" match those characters
 * literally instead of as wildcards.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The pattern matching any value that contains `text` literally. */
export function likeContaining(text: string): string {
  return `%${escapeLike(text)}%`;
}
