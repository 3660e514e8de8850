import { itemMacros, substituteUrl, type CatalogItem } from './substitute.js';
import { escapeHtml } from '../../../platform/http/html.js';

/** A catalog as a preview binds it: its id, how its items are identified, its items. */
export interface PreviewCatalog {
  catalogId: string;
  contentIdType?: string;
  items: CatalogItem[];
}

/** One asset of a creative manifest, as the renderer reads it (core/assets/*). */
export interface ManifestAsset {
  asset_type?: string;
  url?: string;
  url_type?: string;
  content?: string;
  width?: number;
  height?: number;
}

/** Only http(s) URLs reach the page (no `javascript:` or `data:` from a template). */
const linkable = (url: string | undefined) =>
  url !== undefined && /^https?:\/\//i.test(url) ? url : undefined;

const attr = (name: string, value: string | number) => ` ${name}="${escapeHtml(String(value))}"`;

/** A url asset that is the click-through (url-asset.json `url_type`, else by its name). */
const isClickthrough = (name: string, asset: ManifestAsset) =>
  asset.url_type ? asset.url_type === 'clickthrough' : /click|landing/i.test(name);

interface Piece {
  clickUrl?: string;
  body: string;
  trackers: string[];
}

/**
 * The manifest's assets as HTML, `{MACRO}`s in their URLs bound to `macros` (substitute.ts):
 * images and texts shown, the click-through as the link around them, the other URLs as 1×1
 * tracker images. Assets of other types are named, not rendered (no buyer HTML or script).
 */
function renderAssets(
  assets: ReadonlyArray<[string, ManifestAsset]>,
  macros: ReadonlyMap<string, string>,
): Piece {
  const piece: Piece = { body: '', trackers: [] };
  for (const [name, asset] of assets) {
    const url = linkable(asset.url && substituteUrl(asset.url, macros));
    if (asset.asset_type === 'url') {
      if (!url) continue;
      if (isClickthrough(name, asset)) piece.clickUrl ??= url;
      else
        piece.trackers.push(
          `<img${attr('src', url)} width="1" height="1" alt=""${attr('data-asset', name)}>`,
        );
    } else if (asset.asset_type === 'image' && url) {
      const size =
        asset.width && asset.height
          ? attr('width', asset.width) + attr('height', asset.height)
          : '';
      piece.body += `<img${attr('src', url)}${size} alt=""${attr('data-asset', name)}>`;
    } else if (asset.asset_type === 'text' && typeof asset.content === 'string') {
      piece.body += `<p${attr('data-asset', name)}>${escapeHtml(asset.content)}</p>`;
    } else if (asset.asset_type !== 'catalog') {
      piece.body += `<div${attr('data-asset', name)}${attr('data-asset-type', asset.asset_type ?? 'unknown')}></div>`;
    }
  }
  return piece;
}

/** One catalog item's card: its image and title, then the manifest's assets bound to it. */
function itemCard(catalog: PreviewCatalog, item: CatalogItem, piece: Piece): string {
  const image = linkable(typeof item['image_url'] === 'string' ? item['image_url'] : undefined);
  const title = typeof item['title'] === 'string' ? item['title'] : '';
  const id = typeof item['item_id'] === 'string' ? item['item_id'] : '';
  const inner =
    (image ? `<img${attr('src', image)}${attr('alt', title)}>` : '') +
    (title ? `<span>${escapeHtml(title)}</span>` : '') +
    piece.body;
  return (
    `<div class="adcp-item"${attr('data-catalog-id', catalog.catalogId)}${attr('data-item-id', id)}>` +
    (piece.clickUrl ? `<a${attr('href', piece.clickUrl)}>${inner}</a>` : inner) +
    piece.trackers.join('') +
    '</div>'
  );
}

/**
 * The HTML of one preview variant: the manifest once, or, bound to a catalog, once per item
 * (at most `itemLimit`), each item's own values in its URLs. `macros`: the input set's values,
 * which an item's own values override.
 */
export function renderPreview(
  formatId: string,
  assets: ReadonlyArray<[string, ManifestAsset]>,
  macros: ReadonlyMap<string, string>,
  bound?: { catalog: PreviewCatalog; itemLimit: number },
): string {
  let body: string;
  if (bound) {
    const { catalog, itemLimit } = bound;
    body = catalog.items
      .slice(0, itemLimit)
      .map((item) => {
        const values = new Map([...macros, ...itemMacros(catalog, item)]);
        return itemCard(catalog, item, renderAssets(assets, values));
      })
      .join('');
  } else {
    const piece = renderAssets(assets, macros);
    const inner = piece.clickUrl
      ? `<a${attr('href', piece.clickUrl)}>${piece.body}</a>`
      : piece.body;
    body = inner + piece.trackers.join('');
  }
  return `<div class="adcp-preview"${attr('data-format-id', formatId)}>${body}</div>`;
}
