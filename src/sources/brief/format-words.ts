/**
 * The words people write for creative formats, in one home: a spreadsheet's Formats cell
 * (modular-sources/feeds/rows/format-names.ts) and a brief or a product's words
 * (sources/brief/vocabulary.ts) read the same names, so a size a publisher's rate card names is
 * read the same way in a buyer's brief.
 */

/**
 * IAB display sizes and the names rate cards give them (the first name is the usual one), then
 * the short forms rate-card lines abbreviate them to ("HX_UK_HP-LB").
 */
export const displaySizes: ReadonlyArray<
  readonly [width: number, height: number, names: readonly string[], short?: readonly string[]]
> = [
  [300, 250, ['MPU', 'Medium rectangle', 'MREC', 'Med rec']],
  [728, 90, ['Leaderboard'], ['LB', 'LDB']],
  [160, 600, ['Skyscraper', 'Wide skyscraper'], ['SKY', 'WSKY']],
  [120, 600, []],
  [300, 600, ['Half page', 'Double MPU', 'Halfpage'], ['HPU', 'DMPU']],
  [970, 250, ['Billboard']],
  [970, 90, ['Super leaderboard'], ['SLB']],
  [320, 50, ['Mobile banner', 'Mobile leaderboard'], ['MLB']],
  [300, 50, []],
  [320, 100, ['Large mobile banner']],
  [336, 280, ['Large rectangle']],
  [468, 60, ['Full banner']],
  [320, 480, ['Interstitial']],
  [250, 250, []],
  [200, 200, []],
  [300, 1050, []],
];

/**
 * Placements inside a stream, named the same in video and audio ("a podcast mid-roll"): the
 * family is the medium's, read from the text around them (audio words, an audio channel).
 */
export const rollWords: readonly string[] = ['preroll', 'midroll', 'postroll'];

/** Words that name video and nothing else. */
export const videoWords: readonly string[] = [
  'video',
  'videos',
  'instream',
  'outstream',
  'olv',
  'ctv',
  'ott',
  'bumper',
  'vast',
];

/** Words that name audio (its channels and the places it is heard). */
export const audioWords: readonly string[] = [
  'audio',
  'radio',
  'podcast',
  'podcasts',
  'daast',
  'listeners',
  'spotify',
  'dab',
];

/**
 * Words that name a kind of placement, not which one ("Newsletter sponsorship", "Sponsored
 * article", "Homepage takeover"): a product named only with these and format, channel and topic
 * words is not named by a brief that says them (vocabulary.ts isOwnWord).
 */
export const placementKindWords: readonly string[] = [
  'sponsorship',
  'sponsorships',
  'sponsored',
  'sponsor',
  'article',
  'articles',
  'takeover',
  'takeovers',
  'skin',
  'wallpaper',
  'section',
  'page',
  'slot',
  'package',
  'bundle',
  'rotation',
  'feed',
  'spot',
  'spots',
  'listing',
  'listings',
];

/** The vocabulary terms a creative format id names: its size, and its family (video, audio, native). */
export function termsOfFormatId(id: string): string[] {
  const lower = id.toLowerCase();
  const out: string[] = [];
  const size = /(\d{2,4})x(\d{2,4})/.exec(lower);
  if (size) out.push(`size:${size[1]}x${size[2]}`);
  for (const family of ['video', 'audio', 'native', 'display'] as const) {
    if (lower.includes(family)) out.push(family);
  }
  if (lower.includes('vast')) out.push('video');
  if (lower.includes('daast')) out.push('audio');
  return out;
}

/**
 * Whether a product known to take formats takes none of those asked: its sizes are known where
 * sizes are asked, its families where families are (a display placement of no stated size may
 * take any size).
 */
export function takesOtherFormats(asked: readonly string[], has: ReadonlySet<string>): boolean {
  if (!asked.length || asked.some((f) => has.has(f))) return false;
  const isSize = (f: string) => f.startsWith('size:');
  // A size is a display banner's: a native article or a pre-roll of no stated size takes none.
  const families = [...has].filter((f) => !isSize(f));
  if (asked.every(isSize) && families.length && families.length === has.size)
    return !families.includes('display');
  const known = (size: boolean) =>
    !asked.some((f) => isSize(f) === size) || [...has].some((f) => isSize(f) === size);
  return has.size > 0 && known(true) && known(false);
}

/**
 * Media words that begin compounds in German and Dutch ("Videowerbung", "Videoadvertenties",
 * "Audiospots", "Bannerwerbung"): the compound also names the medium. Five letters or more, and
 * a compound at least four letters longer than its head.
 */
const compoundMedia = ['video', 'audio', 'banner', 'display'];
export const mediaHeadOf = (raw: string) =>
  raw.length >= 9
    ? compoundMedia.find((h) => raw.startsWith(h) && raw.length >= h.length + 4)
    : undefined;

/**
 * Media words that end compounds ("voetbalpodcasts", "Sportvideos", "Kochpodcast"): the compound
 * names the medium too. A head of four letters or more.
 */
const compoundMediaTails = ['podcasts', 'podcast', 'videos', 'video'];
export const mediaTailOf = (raw: string) =>
  raw.length >= 9
    ? compoundMediaTails.find((t) => raw.endsWith(t) && raw.length >= t.length + 4)
    : undefined;
