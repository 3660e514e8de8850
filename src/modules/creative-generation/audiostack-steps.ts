import { isRecord } from '../../platform/is-record.js';
import { AudioStackError, type AudioStackAnswer, type AudioStackApi } from './audiostack-api.js';
import type { AudioStackRefs } from './tables.js';

/*
 * AudioStack's production pipeline for one audio creative, as its SDKs run it
 * (github.com/aflorithmic/audiostack-python: content/script.py, speech/tts.py, production/mix.py,
 * delivery/encoder.py):
 *   1. POST /content/script {scriptText, projectName, moduleName, scriptName} → scriptId;
 *   2. POST /speech/tts {scriptId, voice} → speechId, then GET /speech/tts/{speechId} until 200;
 *   3. POST /production/mix {speechId, soundTemplate, masteringPreset} → productionId, then GET
 *      /production/mix/{productionId} until 200;
 *   4. POST /delivery/encoder {productionId, preset: "mp3"} → the file's url (or encoderId, then
 *      GET /delivery/encoder/{encoderId} until 200).
 * Every id is saved as soon as AudioStack answers it, so a run that stops (a crash, an outage)
 * resumes at the step it reached. A create whose answer was lost (`sentStep`) is looked up first
 * by what names it (the script by our production id as scriptName, speech and mix by scriptId:
 * GET /content/scripts, /speech/tts, /production/mixes), so it is not made, nor billed, twice.
 */

export type Step = 'script' | 'speech' | 'mix' | 'encode' | 'download';

export interface StepState {
  step: Step;
  refs: AudioStackRefs;
  sentStep: Step | null;
}

export interface ProductionInput {
  id: string;
  advertiserId: number;
  script: string;
  voice: string;
  soundTemplate: string | null;
  masteringPreset: string;
}

export interface StepDeps {
  api: AudioStackApi;
  apiKey: string;
  pollIntervalMs: number;
  /** How long this run follows a step AudioStack is still working on before handing back. */
  pollBudgetMs: number;
  /** Saves the state after every AudioStack answer (and before every create). */
  save(state: StepState): Promise<void>;
}

/** AudioStack's project for our scripts; the module is the advertiser's. */
export const projectName = 'interchange';
const moduleNameOf = (advertiserId: number) => `advertiser-${advertiserId}`;

/**
 * Runs the production from where `state` stands to the encoded file: 'ready' with the state at
 * `download` (its `refs.fileUrl` set), or 'waiting' when AudioStack is still working after the
 * poll budget (the job looks again later).
 */
export async function runSteps(
  deps: StepDeps,
  input: ProductionInput,
  start: StepState,
): Promise<'ready' | 'waiting'> {
  const state: StepState = { ...start, refs: { ...start.refs } };
  const deadline = Date.now() + deps.pollBudgetMs;
  const save = async (patch: Partial<StepState>) => {
    Object.assign(state, patch);
    await deps.save({ ...state, refs: { ...state.refs } });
  };

  /** Creates an object once: looks up a create whose answer was lost before sending again. */
  async function createOnce(
    step: Step,
    adopt: () => Promise<string | undefined>,
    create: () => Promise<AudioStackAnswer>,
    idField: 'scriptId' | 'speechId' | 'productionId',
  ): Promise<AudioStackAnswer | undefined> {
    if (state.sentStep === step) {
      const found = await adopt();
      if (found) {
        await save({ refs: { ...state.refs, [idField]: found }, sentStep: null });
        return undefined;
      }
    }
    await save({ sentStep: step });
    const answer = await create();
    const id = stringOf(answer.data[idField]);
    if (!id) throw new AudioStackError('unavailable', `AudioStack answered no ${idField}`);
    await save({ refs: { ...state.refs, [idField]: id }, sentStep: null });
    return answer;
  }

  /** Follows `path` while AudioStack answers 202; false when the budget ran out first. */
  async function ready(path: string, first?: AudioStackAnswer): Promise<AudioStackAnswer | false> {
    let answer = first ?? (await deps.api.get(path, deps.apiKey));
    while (answer.status === 202) {
      if (Date.now() + deps.pollIntervalMs > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, deps.pollIntervalMs));
      answer = await deps.api.get(path, deps.apiKey);
    }
    return answer;
  }

  if (state.step === 'script') {
    if (!state.refs.scriptId) {
      await createOnce(
        'script',
        async () => {
          const query = new URLSearchParams({
            projectName,
            moduleName: moduleNameOf(input.advertiserId),
            scriptName: input.id,
          });
          const found = await deps.api.get(`content/scripts?${query}`, deps.apiKey);
          return firstId(found.data.scripts, 'scriptId');
        },
        () =>
          deps.api.post('content/script', deps.apiKey, {
            scriptText: input.script,
            projectName,
            moduleName: moduleNameOf(input.advertiserId),
            scriptName: input.id,
          }),
        'scriptId',
      );
    }
    await save({ step: 'speech' });
  }

  if (state.step === 'speech') {
    const scriptId = state.refs.scriptId as string;
    let first: AudioStackAnswer | undefined;
    if (!state.refs.speechId) {
      first = await createOnce(
        'speech',
        async () => {
          const found = await deps.api.get(
            `speech/tts?${new URLSearchParams({ scriptId })}`,
            deps.apiKey,
          );
          return firstId(found.data.speechIds, 'speechId');
        },
        () => deps.api.post('speech/tts', deps.apiKey, { scriptId, voice: input.voice }),
        'speechId',
      );
    }
    const done = await ready(`speech/tts/${encodeURIComponent(state.refs.speechId!)}`, first);
    if (!done) return 'waiting';
    await save({ step: 'mix' });
  }

  if (state.step === 'mix') {
    const scriptId = state.refs.scriptId as string;
    let first: AudioStackAnswer | undefined;
    if (!state.refs.productionId) {
      first = await createOnce(
        'mix',
        async () => {
          const found = await deps.api.get(
            `production/mixes?${new URLSearchParams({ scriptId })}`,
            deps.apiKey,
          );
          return firstId(found.data.productionIds, 'productionId');
        },
        () =>
          deps.api.post('production/mix', deps.apiKey, {
            speechId: state.refs.speechId,
            masteringPreset: input.masteringPreset,
            ...(input.soundTemplate && { soundTemplate: input.soundTemplate }),
          }),
        'productionId',
      );
    }
    const done = await ready(
      `production/mix/${encodeURIComponent(state.refs.productionId!)}`,
      first,
    );
    if (!done) return 'waiting';
    await save({ step: 'encode' });
  }

  if (state.step === 'encode') {
    // Encoding is not a billed production: a lost answer is simply asked again.
    let answer: AudioStackAnswer | false;
    if (state.refs.encoderId) {
      answer = await ready(`delivery/encoder/${encodeURIComponent(state.refs.encoderId)}`);
    } else {
      answer = await deps.api.post('delivery/encoder', deps.apiKey, {
        productionId: state.refs.productionId,
        preset: 'mp3',
      });
      const encoderId = stringOf(answer.data.encoderId);
      if (answer.status === 202) {
        if (!encoderId)
          throw new AudioStackError('unavailable', 'AudioStack answered no encoderId');
        await save({ refs: { ...state.refs, encoderId } });
        answer = await ready(`delivery/encoder/${encodeURIComponent(encoderId)}`, answer);
      }
    }
    if (!answer) return 'waiting';
    const fileUrl = stringOf(answer.data.url);
    if (!fileUrl)
      throw new AudioStackError('unavailable', 'AudioStack answered no file to download');
    await save({ step: 'download', refs: { ...state.refs, fileUrl } });
  }
  return 'ready';
}

const stringOf = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/** The id of the first item of an AudioStack list (`data.scripts`, `data.speechIds`, …). */
function firstId(list: unknown, field: string): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const item of list) {
    const id = isRecord(item) ? stringOf(item[field]) : stringOf(item);
    if (id) return id;
  }
  return undefined;
}
