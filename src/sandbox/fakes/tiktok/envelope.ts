import type { ServerResponse } from 'node:http';

/** TikTok's answer envelope: {code, message, request_id, data}, HTTP 200 unless told. */
export const envelope = (code: number, message: string, data: unknown = {}) => ({
  code,
  message,
  request_id: `2026112414${Math.floor(Math.random() * 1e12)}`,
  data,
});

export function reply(res: ServerResponse, body: unknown, status = 200) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export const ok = (res: ServerResponse, data: unknown) => reply(res, envelope(0, 'OK', data));
export const refuse = (res: ServerResponse, code: number, message: string) =>
  reply(res, envelope(code, message));
