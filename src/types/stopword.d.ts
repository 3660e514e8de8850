/** The stop-word lists of the `stopword` package (it ships no types): one array per language. */
declare module 'stopword' {
  export const deu: readonly string[];
  export const fra: readonly string[];
  export const spa: readonly string[];
  export const ita: readonly string[];
  export const nld: readonly string[];
  export const por: readonly string[];
}
