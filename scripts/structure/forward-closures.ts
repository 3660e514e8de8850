import ts from 'typescript';

/**
 * A closure in the composition (src/wiring/) that names a `const` declared after it in the same
 * function (issue 72, item 4): `npm run structure` fails on each. Such a closure reaches a
 * service built further down, so the order the wiring reads in is not the order it works in, and
 * a call before that `const` is set throws at run time. A meeting like that is a named flow
 * (src/wiring/flows/), created before every module and owned as its owner is built.
 */
export function forwardClosures(files: Array<{ file: string; text: string }>): string[] {
  const found: string[] = [];
  for (const { file, text } of files) {
    if (!file.startsWith('src/wiring/')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      if (ts.isBlock(node)) found.push(...inBlock(node, source, file));
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** The closures among `block`'s statements that name one of its later consts. */
function inBlock(block: ts.Block, source: ts.SourceFile, file: string): string[] {
  const consts = new Map<string, number>();
  for (const statement of block.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      for (const name of boundNames(declaration.name)) consts.set(name, statement.getStart(source));
    }
  }
  const found: string[] = [];
  for (const statement of block.statements) {
    const at = statement.getStart(source);
    const visit = (node: ts.Node, inClosure: boolean) => {
      if (ts.isBlock(node) && node !== block && !inClosure) return; // an inner block: its own turn
      const closure = inClosure || ts.isArrowFunction(node) || ts.isFunctionExpression(node);
      if (closure && ts.isIdentifier(node) && !isPropertyName(node)) {
        const declaredAt = consts.get(node.text);
        if (declaredAt !== undefined && declaredAt > at) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          found.push(`${file}:${line + 1}: a closure names ${node.text}, declared further down`);
        }
      }
      ts.forEachChild(node, (child) => visit(child, closure));
    };
    visit(statement, false);
  }
  return found;
}

function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) =>
    ts.isOmittedExpression(element) ? [] : boundNames(element.name),
  );
}

/** `x` in `a.x` or `{ x: … }` is a property name, not the variable. */
function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node)
  );
}
