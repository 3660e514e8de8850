import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layers of DESIGN.md as a lint rule, judged on every import of a file under src/ (type
 * imports included), resolved against the importing file:
 * - nothing imports upward: composition (main, server, app, services, wiring/) above transports (agents,
 *   web, mcp, jobs, cli) above the source kinds (src/source-kinds/: each an adapter over its
 *   domain module) above modules above the kinds' descriptors (src/source-kinds/descriptors.ts,
 *   kind-descriptor.ts and each <kind>/descriptor.ts: plain data, read by modules, the console and
 *   the demo without a kind's runtime) above the sources' shared core (src/sources/: the
 *   port, answers, errors, arithmetic, fan-out, the brief matcher) above upstream, platform and
 *   config; so modules never import a kind's adapter, and the core nothing of a module;
 * - a module is reached through its index.ts only (another module's store, tables or any other
 *   file is its own);
 * - production code never imports the demo: only src/demo itself, and src/main.ts, the entry
 *   point that plugs the demo in;
 * - nor a fake: src/sandbox/ (the fakes of ad servers and providers) is imported only by itself,
 *   the demo (which starts the sandbox) and src/main.ts.
 */
const root = path.dirname(fileURLToPath(import.meta.url));

const layerOf = (file) => {
  if (/^src\/(main|server|app|services)\.ts$/.test(file)) return 4;
  if (file.startsWith('src/wiring/')) return 4;
  if (file.startsWith('src/demo/')) return 4;
  if (/^src\/(agents|web|mcp|jobs|cli)\//.test(file)) return 3;
  if (/^src\/source-kinds\/(descriptors|kind-descriptor|[^/]+\/descriptor)\.ts$/.test(file)) {
    return 1.75;
  }
  if (file.startsWith('src/source-kinds/')) return 2.5;
  if (file.startsWith('src/modules/')) return 2;
  if (file.startsWith('src/sources/')) return 1.5;
  return 1; // platform, upstream, config
};
const layerNames = {
  1: 'platform/upstream/config',
  1.5: 'sources (shared core)',
  1.75: 'kind descriptors',
  2: 'modules',
  2.5: 'source kinds',
  3: 'transports',
  4: 'composition',
};

const moduleOf = (file) => /^src\/modules\/([^/]+)\//.exec(file)?.[1];

function check(context, node, spec) {
  if (typeof spec !== 'string' || !spec.startsWith('.')) return;
  const file = path.relative(root, context.filename);
  if (!file.startsWith('src/')) return;
  const target = path.normalize(path.join(path.dirname(file), spec)).replace(/\.js$/, '.ts');
  if (!target.startsWith('src/')) return;
  if (target.startsWith('src/demo/') && !file.startsWith('src/demo/') && file !== 'src/main.ts') {
    context.report({ node, messageId: 'demo', data: { spec } });
    return;
  }
  const fakesUser = /^src\/(sandbox|demo)\//.test(file) || file === 'src/main.ts';
  if (target.startsWith('src/sandbox/') && !fakesUser) {
    context.report({ node, messageId: 'sandbox', data: { spec } });
    return;
  }
  const from = moduleOf(file);
  const to = moduleOf(target);
  if (to && to !== from && !target.endsWith(`src/modules/${to}/index.ts`)) {
    context.report({ node, messageId: 'moduleDoor', data: { spec, module: to } });
    return;
  }
  if (layerOf(target) > layerOf(file)) {
    context.report({
      node,
      messageId: 'upward',
      data: { spec, from: layerNames[layerOf(file)], to: layerNames[layerOf(target)] },
    });
  }
}

const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layers of DESIGN.md' },
    schema: [],
    messages: {
      demo: 'Production code never imports the demo ({{spec}}); src/main.ts plugs it in.',
      sandbox:
        'Production code never imports a fake ({{spec}}): src/sandbox/ is for the demo, which starts the sandbox, and src/main.ts.',
      moduleDoor:
        "Another module is reached through its index.ts only: {{spec}} is {{module}}'s own.",
      upward: 'Nothing imports upward: {{from}} may not import {{to}} ({{spec}}).',
    },
  },
  create(context) {
    const source = (node) => node.source && check(context, node.source, node.source.value);
    return {
      ImportDeclaration: source,
      ExportNamedDeclaration: source,
      ExportAllDeclaration: source,
      ImportExpression: (node) =>
        node.source.type === 'Literal' && check(context, node.source, node.source.value),
    };
  },
};

export const layersPlugin = { rules: { layers } };
