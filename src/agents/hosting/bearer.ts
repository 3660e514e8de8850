/** The token of an `Authorization: Bearer <token>` header, if that is what was sent. */
export function bearerOf(header: string | undefined): string | undefined {
  return header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}
