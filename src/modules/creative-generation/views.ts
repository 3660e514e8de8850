import { assetView, type AssetRow } from '../creatives/index.js';
import { providerDisplayNames } from './credentials.js';
import type { CredentialRow, ProductionRow } from './store.js';

/** Hosted BuyerModelCredential: the masked hint, never the key. */
export function credentialView(row: CredentialRow) {
  return {
    id: String(row.id),
    customerId: row.customerId,
    advertiserIds: row.advertiserIds.map(String),
    isDefault: row.isDefault,
    providerType: row.providerType,
    providerDisplayName: providerDisplayNames[row.providerType] ?? row.providerType,
    label: row.label,
    status: row.status,
    maskedKey: row.status === 'REVOKED' ? null : row.maskedKey,
    connectedBy: row.connectedBy === null ? null : String(row.connectedBy),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function productionView(
  row: ProductionRow,
  asset: AssetRow | undefined,
  linkOf: (asset: AssetRow) => string,
) {
  return {
    id: row.id,
    advertiserId: String(row.advertiserId),
    providerType: 'audiostack' as const,
    modality: 'audio' as const,
    name: row.name,
    script: row.script,
    voice: row.voice,
    soundTemplate: row.soundTemplate,
    masteringPreset: row.masteringPreset,
    credentialId: String(row.credentialId),
    status: row.status,
    step: row.step,
    asset: asset ? assetView(asset, linkOf(asset)) : null,
    error:
      row.errorCode && row.errorMessage ? { code: row.errorCode, message: row.errorMessage } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}
