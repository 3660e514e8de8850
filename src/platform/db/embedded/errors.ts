/** A failure of the embedded cluster itself (initdb, start-up), told in one line. */
export class EmbeddedClusterError extends Error {}
