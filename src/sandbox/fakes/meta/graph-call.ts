import type { ServerResponse } from 'node:http';
import type { MetaState } from './state.js';

export type Send = (res: ServerResponse, status: number, body: unknown) => void;
export type ErrorOf = (code: number, message: string) => Record<string, unknown>;

/**
 * One Graph API request as the fake's endpoint groups (ads, social, catalogs) take it: the
 * state, the request, and the server's ways to answer (`page` wraps a list in Graph's paging).
 */
export interface GraphCall {
  state: MetaState;
  method: string;
  path: string;
  form: Record<string, string>;
  res: ServerResponse;
  send: Send;
  graphError: ErrorOf;
  page: (items: unknown[]) => unknown;
}
