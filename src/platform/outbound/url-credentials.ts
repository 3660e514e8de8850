/**
 * A callback URL (a webhook, a notification config, a push notification config) is stored and
 * shown back to its owner, listed, logged and sent in requests: a secret inside it leaks through
 * all of those. So a URL carrying credentials is refused at save, naming where secrets go
 * (`authentication`), rather than kept: user information (`https://user:pass@host/`), or a query
 * parameter whose name says it holds a secret (`?token=…`, `?api_key=…`, `?sig=…`). A surface with
 * no `authentication` field names its own (REST webhook subscriptions: the signing `secret`).
 */
const secretParameter =
  /^(?:access[-_]?token|auth(?:[-_]?token)?|authori[sz]ation|bearer|token|id[-_]?token|refresh[-_]?token|api[-_]?key|apikey|x[-_]api[-_]key|key|secret|client[-_]?secret|password|passwd|pwd|sig|signature|session(?:[-_]?id)?|jwt)$/i;

/** Why `url` may not be saved, or undefined when it carries no credentials (or is no URL). */
export function urlCredentialRefusal(
  url: string,
  advice = 'put them in authentication instead',
): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.username || parsed.password) {
    return `The URL carries credentials (user:password@): ${advice}`;
  }
  for (const name of parsed.searchParams.keys()) {
    if (secretParameter.test(name)) {
      return `The URL's query parameter "${name}" looks like a credential: ${advice}`;
    }
  }
  return undefined;
}
