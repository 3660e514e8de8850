import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenFake } from '../listen.js';
import { createAudioStackState, fakeMp3, type AudioStackState } from './state.js';

/*
 * A fake AudioStack over a real socket, written from AudioStack's documentation, so the
 * AudioStack adapter runs as it would in production (its base URL is configuration):
 * - "Authentication" (https://docs.audiostack.ai/docs/authentication-1 and /reference/
 *   authentication): the API key in the `x-api-key` header; "Errors": a key AudioStack does not
 *   take is refused (403 `{message, errors}`, as the SDK reads it: "Not authorised - check API
 *   key is valid"), a missing one 401;
 * - the endpoints as AudioStack's own SDKs call them and read the answers (github.com/
 *   aflorithmic/audiostack-python: helpers/request_interface.py (base https://v2.api.audio,
 *   answers `{data, message, warnings, meta}`, 202 while processing, 4xx `{message, errors[]}`),
 *   content/script.py, speech/tts.py, production/mix.py, delivery/encoder.py):
 *   POST /content/script → data.scriptId; GET /content/scripts?projectName&moduleName&scriptName
 *   → data.scripts[]; POST /speech/tts {scriptId, voice} → 202 data.speechId, GET
 *   /speech/tts/{id} 202 until ready then 200 with data.sections[]; GET /speech/tts?scriptId →
 *   data.speechIds[]; POST /production/mix {speechId, soundTemplate, masteringPreset} → 202
 *   data.productionId, GET /production/mix/{id} 202 then 200 with data.files[]; GET
 *   /production/mixes?scriptId → data.productionIds[]; POST /delivery/encoder {productionId,
 *   preset} → 202 data.encoderId, GET /delivery/encoder/{id} 202 then 200 data.url, data.format;
 * - the delivered file at its URL (a pre-signed link: no key needed);
 * - injected 429 (with Retry-After) and 5xx answers, before or after acting.
 */

export interface FakeAudioStack {
  url: string;
  state: AudioStackState;
  close(): Promise<void>;
}

type Answer = { status: number; body: Record<string, unknown> };
const ok = (data: Record<string, unknown>, status = 200): Answer => ({
  status,
  body: { data, message: status === 202 ? 'Processing' : 'Success', warnings: [], meta: {} },
});
const refused = (status: number, message: string, errors: string[] = []): Answer => ({
  status,
  body: { message, errors },
});

function reply(res: ServerResponse, answer: Answer, headers: Record<string, string> = {}) {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(answer.body));
}

async function jsonOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

export async function startFakeAudioStack(): Promise<FakeAudioStack> {
  const state = createAudioStackState();
  const { url, close } = await listenFake(
    (req, res, origin) => handle(state, origin, req, res),
    (res) => reply(res, refused(500, 'Internal server error')),
  );
  return {
    url,
    state,
    close,
  };
}

async function handle(
  state: AudioStackState,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  const header = req.headers['x-api-key'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  state.calls.push({ method, path: url.pathname, apiKey });
  const file = state.files.get(url.pathname);
  if (file && method === 'GET') {
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(file.length) });
    return res.end(file);
  }
  const body = method === 'POST' ? await jsonOf(req) : {};
  const failure = state.takeFailure(method, url.pathname);
  if (failure && !failure.afterActing) {
    return reply(res, { status: failure.status, body: failure.body }, failure.headers);
  }
  if (!apiKey) return reply(res, refused(401, 'Missing API key'));
  if (!state.keys.has(apiKey)) {
    return reply(res, refused(403, 'Not authorised - check API key is valid'));
  }
  const answer = route(state, origin, apiKey, method, url, body);
  if (failure) return reply(res, { status: failure.status, body: failure.body }, failure.headers);
  return reply(res, answer);
}

function route(
  state: AudioStackState,
  origin: string,
  apiKey: string,
  method: string,
  url: URL,
  body: Record<string, unknown>,
): Answer {
  const path = url.pathname;
  const q = url.searchParams;
  const own = (kind: Parameters<AudioStackState['ofKind']>[0]) => state.ofKind(kind, apiKey);
  const item = /^\/(speech\/tts|production\/mix|delivery\/encoder|content\/script)\/([^/]+)$/.exec(
    path,
  );

  if (method === 'POST' && path === '/content/script') {
    if (typeof body.scriptText !== 'string' || !body.scriptText) {
      return refused(400, 'Validation error', ['scriptText is required']);
    }
    const script = state.make('script', apiKey, body, 0);
    return ok({ scriptId: script.id, ...body });
  }
  if (method === 'GET' && path === '/content/scripts') {
    const scripts = own('script').filter((s) =>
      ['projectName', 'moduleName', 'scriptName'].every(
        (k) => !q.get(k) || s.fields[k] === q.get(k),
      ),
    );
    return ok({ scripts: scripts.map((s) => ({ scriptId: s.id, ...s.fields })) });
  }
  if (method === 'POST' && path === '/speech/tts') {
    const script = state.objects.get(String(body.scriptId));
    if (!script || script.kind !== 'script' || script.apiKey !== apiKey) {
      return refused(404, 'Script not found', [`scriptId ${String(body.scriptId)} not found`]);
    }
    if (!state.voices.has(String(body.voice))) {
      return refused(400, 'Voice not found', [`voice ${String(body.voice)} is not available`]);
    }
    const speech = state.make('speech', apiKey, body, state.processingPolls);
    return ok({ speechId: speech.id }, 202);
  }
  if (method === 'GET' && path === '/speech/tts') {
    const speech = own('speech').filter((s) => s.fields.scriptId === q.get('scriptId'));
    return ok({ speechIds: speech.map((s) => ({ speechId: s.id, scriptId: s.fields.scriptId })) });
  }
  if (method === 'POST' && path === '/production/mix') {
    const speech = state.objects.get(String(body.speechId));
    if (!speech || speech.kind !== 'speech' || speech.apiKey !== apiKey) {
      return refused(404, 'Speech not found', [`speechId ${String(body.speechId)} not found`]);
    }
    if (body.soundTemplate !== undefined && !state.soundTemplates.has(String(body.soundTemplate))) {
      return refused(400, 'Sound template not found', [
        `soundTemplate ${String(body.soundTemplate)} is not available`,
      ]);
    }
    const mix = state.make(
      'mix',
      apiKey,
      { ...body, scriptId: speech.fields.scriptId },
      state.processingPolls,
    );
    return ok({ productionId: mix.id }, 202);
  }
  if (method === 'GET' && path === '/production/mixes') {
    const mixes = own('mix').filter((m) => m.fields.scriptId === q.get('scriptId'));
    return ok({ productionIds: mixes.map((m) => ({ productionId: m.id })) });
  }
  if (method === 'POST' && path === '/delivery/encoder') {
    const mix = state.objects.get(String(body.productionId));
    if (!mix || mix.kind !== 'mix' || mix.apiKey !== apiKey) {
      return refused(404, 'Production not found');
    }
    const script = state.objects.get(String(mix.fields.scriptId));
    const speech = state.objects.get(String((mix.fields as { speechId?: string }).speechId));
    const seed = `${String(script?.fields.scriptText)}|${String(speech?.fields.voice)}|${String(mix.fields.soundTemplate)}`;
    const filePath = state.deliver(fakeMp3(seed, state.fileBytes));
    const encode = state.make(
      'encode',
      apiKey,
      { ...body, url: `${origin}${filePath}?X-Amz-Signature=${mix.id}` },
      state.processingPolls,
    );
    return ok({ encoderId: encode.id }, 202);
  }
  if (method === 'GET' && item) {
    const kinds = {
      'speech/tts': 'speech',
      'production/mix': 'mix',
      'delivery/encoder': 'encode',
      'content/script': 'script',
    } as const;
    const object = state.objects.get(decodeURIComponent(item[2]!));
    if (
      !object ||
      object.kind !== kinds[item[1] as keyof typeof kinds] ||
      object.apiKey !== apiKey
    ) {
      return refused(404, 'Not found');
    }
    if (object.pending > 0) {
      object.pending -= 1;
      return ok({ status: 'processing' }, 202);
    }
    if (object.kind === 'speech') {
      return ok({
        speechId: object.id,
        sections: [{ sectionName: 'main', url: `${origin}/x.wav` }],
      });
    }
    if (object.kind === 'mix') {
      return ok({ productionId: object.id, files: [{ format: 'wav', filename: 'mix' }] });
    }
    if (object.kind === 'encode') {
      return ok({ encoderId: object.id, url: object.fields.url, format: 'mp3' });
    }
    return ok({ scriptId: object.id, ...object.fields });
  }
  return refused(404, 'Route not found');
}
