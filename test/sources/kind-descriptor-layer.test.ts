import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The kinds' descriptors are a layer of their own below the modules (eslint-layers.js): a module
 * reads a descriptor, never a kind's adapter; a descriptor imports no module. Judged by the
 * repository's own lint configuration on a file as if it stood at the path given.
 */
const eslint = new ESLint({ cwd: process.cwd() });
const layerErrors = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'interchange/layers');
};

describe('the kind descriptors layer', () => {
  it('lets a module read a descriptor but not a kind’s adapter', async () => {
    const from = 'src/modules/modular-sources/uses.ts';
    expect(
      await layerErrors(
        from,
        "export { modularDescriptor } from '../../source-kinds/descriptors.js';\n",
      ),
    ).toEqual([]);
    const up = await layerErrors(
      from,
      "export { modularSources } from '../../source-kinds/modular/source.js';\n",
    );
    expect(up.map((m) => m.message)).toEqual([
      'Nothing imports upward: modules may not import source kinds (../../source-kinds/modular/source.js).',
    ]);
  });

  it('keeps a descriptor below the modules', async () => {
    const found = await layerErrors(
      'src/source-kinds/modular/descriptor.ts',
      "export { modularSourceRoutes } from '../../modules/modular-sources/index.js';\n",
    );
    expect(found.map((m) => m.message)).toEqual([
      'Nothing imports upward: kind descriptors may not import modules (../../modules/modular-sources/index.js).',
    ]);
  });
});
