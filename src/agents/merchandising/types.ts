import type { GetProductsResponse, ListCreativeFormatsResponse } from '@adcp/sdk/types';

export type Product = GetProductsResponse['products'][number];
export type Format = ListCreativeFormatsResponse['formats'][number];
/** An AdCP error object, as carried in a response's `errors[]`. */
export type AdcpErrorObject = NonNullable<GetProductsResponse['errors']>[number];
