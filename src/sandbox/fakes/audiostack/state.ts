import { randomBytes, randomUUID } from 'node:crypto';

/*
 * The state of the fake AudioStack (server.ts): the API keys it takes, the voices and sound
 * templates it knows, the objects made with each key (scripts, speech, mixes, encodes) and the
 * files it delivers. Tests read it the way a buyer would look in the AudioStack platform: which
 * scripts and productions exist on its account, and how many of each (what it was billed for).
 */

export type FakeKind = 'script' | 'speech' | 'mix' | 'encode';

export interface FakeAudioStackObject {
  id: string;
  kind: FakeKind;
  apiKey: string;
  fields: Record<string, unknown>;
  /** GETs still answered 202 before the object is ready. */
  pending: number;
}

export interface InjectedFailure {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Only a request whose method and path start so ("POST /production/mix"). */
  match?: string;
  /** Act on the request first, then answer the failure (an answer lost on the way back). */
  afterActing?: boolean;
  /** How many matching requests fail this way (1 unless given). */
  times?: number;
}

export interface FakeCall {
  method: string;
  path: string;
  /** The x-api-key header as sent (tests check it never reaches the file host). */
  apiKey: string | undefined;
}

/** An MP3 as AudioStack would deliver it: an ID3v2 header, then MPEG audio frames. */
export function fakeMp3(seed: string, bytes = 48 * 1024): Buffer {
  const id3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  const frame = Buffer.from([0xff, 0xfb, 0x90, 0x64]);
  const body = Buffer.alloc(Math.max(0, bytes - id3.length - frame.length - seed.length));
  return Buffer.concat([id3, frame, Buffer.from(seed), body]);
}

export function createAudioStackState() {
  const objects = new Map<string, FakeAudioStackObject>();
  const files = new Map<string, Buffer>();
  const failures: InjectedFailure[] = [];
  return {
    /** The keys AudioStack takes; anything else is refused with 403. */
    keys: new Set<string>(),
    voices: new Set(['sara', 'joanna', 'isaac']),
    soundTemplates: new Set(['openup', 'parisiennewalk']),
    /** How many GETs of a new speech, mix or encode answer 202 before it is ready. */
    processingPolls: 1,
    /** Size of the delivered MP3s. */
    fileBytes: 48 * 1024,
    calls: [] as FakeCall[],
    objects,
    files,
    make(kind: FakeKind, apiKey: string, fields: Record<string, unknown>, pending: number) {
      const object = { id: randomUUID(), kind, apiKey, fields, pending };
      objects.set(object.id, object);
      return object;
    },
    /** The objects of a kind made with `apiKey` (all keys when not given), in order. */
    ofKind(kind: FakeKind, apiKey?: string) {
      return [...objects.values()].filter(
        (o) => o.kind === kind && (apiKey === undefined || o.apiKey === apiKey),
      );
    },
    /** Stores a delivered file; answers its unguessable path. */
    deliver(bytes: Buffer): string {
      const path = `/files/${randomBytes(16).toString('hex')}.mp3`;
      files.set(path, bytes);
      return path;
    },
    failNext(failure: InjectedFailure) {
      failures.push({ ...failure, times: failure.times ?? 1 });
    },
    takeFailure(method: string, path: string): InjectedFailure | undefined {
      const index = failures.findIndex((f) => !f.match || `${method} ${path}`.startsWith(f.match));
      if (index === -1) return undefined;
      const failure = failures[index]!;
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) failures.splice(index, 1);
      return failure;
    },
    clearFailures() {
      failures.length = 0;
    },
  };
}

export type AudioStackState = ReturnType<typeof createAudioStackState>;
