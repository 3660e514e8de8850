/**
 * The words of a question and of an API description, reduced to comparable terms: camelCase
 * and kebab-case split ("mediaBuyId" → media, buy, id; "join-links" → join, link), lower-cased,
 * plurals and -ing/-ed folded ("statuses" → status), and question filler dropped.
 */
const stopwords = new Set(
  (
    'a an the and or of to in on at for from with by as is are be been was were do does did ' +
    'how what which who whom where when why can could should would will i me my we our you your ' +
    'it its this that these those there their them they some any all about into via using use ' +
    'please want need way possible give tell show find'
  ).split(' '),
);

export function terms(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !stopwords.has(word))
    .map(stem);
}

/** A deliberately small stemmer: enough to meet "statuses"/"status", "links"/"link". */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh|us)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4 && !word.endsWith('eed')) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * How agents ask versus how the API names things. Each entry maps a question word to the API's
 * words for the same act, so "link an account" finds "Assign a discovered account" and "mint a
 * join link" finds "Create a join link". Expansions score below the word itself.
 */
const synonyms: Record<string, string[]> = {
  link: ['assign', 'connect', 'attach', 'associate'],
  connect: ['link', 'assign', 'credential'],
  attach: ['assign', 'link'],
  associate: ['assign', 'link'],
  unlink: ['unassign', 'remove', 'delete'],
  detach: ['unassign', 'remove', 'delete'],
  mint: ['create', 'generate', 'issue', 'new'],
  generate: ['create', 'mint'],
  issue: ['create'],
  make: ['create'],
  new: ['create'],
  add: ['create', 'register'],
  create: ['add', 'register'],
  register: ['create', 'add'],
  remove: ['delete', 'archive', 'revoke'],
  delete: ['remove', 'archive', 'revoke'],
  revoke: ['delete', 'remove'],
  change: ['update', 'edit'],
  edit: ['update'],
  modify: ['update'],
  update: ['edit', 'change'],
  state: ['status'],
  status: ['state'],
  stop: ['pause'],
  resume: ['reactivate', 'activate'],
  invite: ['join', 'link'],
  signup: ['join'],
  approve: ['approval', 'review'],
  review: ['approval', 'approve'],
  source: ['inventory'],
  seller: ['storefront', 'source'],
  publisher: ['storefront', 'seller'],
  brand: ['advertiser'],
  client: ['advertiser'],
  key: ['api'],
  term: ['tos'],
  tos: ['term'],
};

export function expansionsOf(term: string): string[] {
  return (synonyms[term] ?? []).map(stem);
}

/** The HTTP method a question's verb implies, if any. */
export function impliedMethods(questionTerms: string[]): Set<string> {
  const methods = new Set<string>();
  for (const term of questionTerms) {
    if (
      /^(create|add|mint|generate|issue|make|new|link|assign|attach|submit|register|accept|approve|invite|connect|pause|resume|activate|refresh|switch)$/.test(
        term,
      )
    ) {
      methods.add('POST');
    }
    if (/^(list|get|read|see|view|check|fetch|status|which)$/.test(term)) methods.add('GET');
    if (/^(update|change|edit|modify|set|rename)$/.test(term)) {
      methods.add('PUT');
      methods.add('PATCH');
    }
    if (/^(delete|remove|unlink|detach|revoke|archive|unassign)$/.test(term)) methods.add('DELETE');
  }
  return methods;
}
