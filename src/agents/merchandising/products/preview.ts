import type { PreviewProductsDoor } from '../../../modules/product-rules/index.js';
import type { MerchandisingDeps } from '../deps.js';
import { gatherSourceProducts } from './composition.js';

/**
 * The storefront's products for its operator's rules preview (modules/product-rules/preview.ts):
 * gathered by get_products' own first step (the same sources, source budget, relabelling, and
 * under the strict compliance policy the same publisher authorization), as
 * a wholesale listing asked for no buyer, so no account is sent or claimed and no buyer's
 * answer is reused. Rules are applied by the preview, not here; nothing is recorded (no
 * discovery run, so seller analytics never count a preview). A failing source still reaches the
 * operator's own diagnostics, as on any call, and so does a product AdCP's schema refuses (left
 * out of the preview as of any answer).
 */
export function previewProductsDoor(
  deps: Pick<
    MerchandisingDeps,
    'sources' | 'sourceBudgetMs' | 'publisherGate' | 'noteProductCheck' | 'onError'
  >,
): PreviewProductsDoor {
  return {
    async sourceProducts(storefront) {
      const { products, errors, record, sources } = await gatherSourceProducts(
        deps,
        storefront,
        null,
        { buying_mode: 'wholesale' },
      );
      const names = new Map(sources.map((source) => [source.sourceId, source.name]));
      const errorOf = (sourceId: string) =>
        errors.find(
          (error) =>
            (error.details as Record<string, unknown> | undefined)?.['source_id'] === sourceId,
        );
      return {
        products,
        sources: record.map((outcome) => {
          const error = outcome.ok ? undefined : errorOf(outcome.sourceId);
          return {
            sourceId: outcome.sourceId,
            name: names.get(outcome.sourceId) ?? outcome.sourceId,
            ok: outcome.ok,
            productCount: outcome.productCount,
            ...(!outcome.ok && {
              error: {
                code: error?.code ?? outcome.errorCode ?? 'SERVICE_UNAVAILABLE',
                message: error?.message ?? 'The source did not answer',
              },
            }),
          };
        }),
      };
    },
  };
}
