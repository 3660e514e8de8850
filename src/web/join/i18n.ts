/**
 * The join page's strings. English is the fallback; a language is offered only when the seller
 * lists it in supportedLanguages (seed 001: the join surface localizes within that list).
 */
export const messages = {
  en: {
    title: (name: string) => `Join ${name}`,
    intro: (name: string) => `Create a buyer account to discover and buy advertising from ${name}.`,
    name: 'Advertiser name',
    email: 'Work email',
    brandDomain: 'Brand website domain',
    brandDomainHint: 'For example brand.com',
    company: 'Company (optional)',
    country: 'Country code (optional)',
    countryHint: 'Two letters, for example US',
    acceptTerms: 'I accept the platform terms of service',
    submit: 'Create my account',
    currency: (c: string) => `Prices are settled in ${c}.`,
    welcomeTitle: 'Welcome aboard',
    welcome: (name: string) => `Your account with ${name} is active.`,
    pendingTitle: 'Request received',
    pending: (name: string) =>
      `${name} will review your request. Your account can read inventory now and can buy once approved.`,
    keyLabel: 'Your API key',
    keyNote: 'It is shown only once. Copy it now and keep it secret.',
    invalidTitle: 'This link is not available',
    invalid: 'This join link is closed, expired, or no longer valid. Ask the seller for a new one.',
    fixErrors: 'Please correct the highlighted fields.',
    duplicate:
      'An account already uses this email address. Sign in with the API key you were given, or use another address.',
    required: 'This field is required.',
    language: 'Language',
  },
  fr: {
    title: (name: string) => `Rejoindre ${name}`,
    intro: (name: string) =>
      `Créez un compte acheteur pour découvrir et acheter les espaces publicitaires de ${name}.`,
    name: "Nom de l'annonceur",
    email: 'E-mail professionnel',
    brandDomain: 'Domaine du site de la marque',
    brandDomainHint: 'Par exemple marque.fr',
    company: 'Société (facultatif)',
    country: 'Code pays (facultatif)',
    countryHint: 'Deux lettres, par exemple FR',
    acceptTerms: "J'accepte les conditions d'utilisation de la plateforme",
    submit: 'Créer mon compte',
    currency: (c: string) => `Les prix sont réglés en ${c}.`,
    welcomeTitle: 'Bienvenue',
    welcome: (name: string) => `Votre compte chez ${name} est actif.`,
    pendingTitle: 'Demande reçue',
    pending: (name: string) =>
      `${name} va examiner votre demande. Votre compte peut consulter l'inventaire dès maintenant et acheter une fois approuvé.`,
    keyLabel: 'Votre clé API',
    keyNote: "Elle n'est affichée qu'une seule fois. Copiez-la maintenant et gardez-la secrète.",
    invalidTitle: "Ce lien n'est pas disponible",
    invalid:
      "Ce lien d'inscription est fermé, expiré ou n'est plus valide. Demandez-en un nouveau au vendeur.",
    fixErrors: 'Veuillez corriger les champs signalés.',
    duplicate:
      'Un compte utilise déjà cette adresse e-mail. Utilisez la clé API que vous avez reçue, ou une autre adresse.',
    required: 'Ce champ est obligatoire.',
    language: 'Langue',
  },
  nl: {
    title: (name: string) => `Word lid van ${name}`,
    intro: (name: string) =>
      `Maak een kopersaccount aan om advertentieruimte van ${name} te ontdekken en te kopen.`,
    name: 'Naam adverteerder',
    email: 'Zakelijk e-mailadres',
    brandDomain: 'Domein van de merkwebsite',
    brandDomainHint: 'Bijvoorbeeld merk.nl',
    company: 'Bedrijf (optioneel)',
    country: 'Landcode (optioneel)',
    countryHint: 'Twee letters, bijvoorbeeld NL',
    acceptTerms: 'Ik ga akkoord met de gebruiksvoorwaarden van het platform',
    submit: 'Account aanmaken',
    currency: (c: string) => `Prijzen worden afgerekend in ${c}.`,
    welcomeTitle: 'Welkom',
    welcome: (name: string) => `Uw account bij ${name} is actief.`,
    pendingTitle: 'Aanvraag ontvangen',
    pending: (name: string) =>
      `${name} beoordeelt uw aanvraag. Uw account kan het aanbod nu bekijken en kopen zodra het is goedgekeurd.`,
    keyLabel: 'Uw API-sleutel',
    keyNote: 'Deze wordt maar één keer getoond. Kopieer hem nu en houd hem geheim.',
    invalidTitle: 'Deze link is niet beschikbaar',
    invalid:
      'Deze aanmeldlink is gesloten, verlopen of niet meer geldig. Vraag de verkoper om een nieuwe.',
    fixErrors: 'Corrigeer de gemarkeerde velden.',
    duplicate:
      'Er bestaat al een account met dit e-mailadres. Gebruik de API-sleutel die u kreeg, of een ander adres.',
    required: 'Dit veld is verplicht.',
    language: 'Taal',
  },
} as const;

export type Language = keyof typeof messages;
export type Messages = (typeof messages)[Language];

/**
 * Picks the page language: the caller's Accept-Language preferences, in order of quality,
 * limited to the seller's supported languages we have strings for; English otherwise.
 */
export function pickLanguage(
  acceptLanguage: string | undefined,
  supported: string[] | null,
): Language {
  const offered = (Object.keys(messages) as Language[]).filter(
    (l) => supported === null || supported.some((s) => s.split('-')[0]?.toLowerCase() === l),
  );
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.split('=')[1]) : 1 };
    })
    .filter((w) => w.tag && !Number.isNaN(w.q) && w.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const w of wanted) {
    const match = offered.find((l) => l === w.tag);
    if (match) return match;
  }
  return offered.includes('en') || offered.length === 0 ? 'en' : (offered[0] as Language);
}

/** Languages the page can switch between, for the language links. */
export function offeredLanguages(supported: string[] | null): Language[] {
  return (Object.keys(messages) as Language[]).filter(
    (l) => supported === null || supported.some((s) => s.split('-')[0]?.toLowerCase() === l),
  );
}
