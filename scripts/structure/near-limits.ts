/**
 * The house limits are ceilings, not targets (STYLE.md, turn 5): `npm run structure` warns about
 * everything at 90 % of a limit or more (files of 360 lines and up, functions of 135 own lines
 * and up, folders of 14 files and up), so a split happens by concern before the ruler forces it.
 * Warnings name each one; they do not fail the check.
 */
export interface NearLimitInput {
  files: Array<{ file: string; lines: number }>;
  functions: Array<{ file: string; name: string; line: number; lines: number }>;
  folders: Array<{ folder: string; count: number }>;
  limits: { fileLines: number; functionLines: number; folderFiles: number };
}

const share = 0.9;

export function nearLimits({ files, functions, folders, limits }: NearLimitInput): number {
  const fileFloor = Math.ceil(limits.fileLines * share);
  const functionFloor = Math.ceil(limits.functionLines * share);
  const folderFloor = Math.ceil(limits.folderFiles * share);
  const near = [
    ...files
      .filter((f) => f.lines >= fileFloor && f.lines <= limits.fileLines)
      .map((f) => `file ${f.file}: ${f.lines} lines`),
    ...functions
      .filter((f) => f.lines >= functionFloor && f.lines <= limits.functionLines)
      .map((f) => `function ${f.name} (${f.file}:${f.line}): ${f.lines} own lines`),
    ...folders
      .filter((f) => f.count >= folderFloor && f.count <= limits.folderFiles)
      .map((f) => `folder ${f.folder}: ${f.count} files`),
  ];
  console.log(
    `near a limit (90 % or more: files ≥ ${fileFloor} lines, functions ≥ ${functionFloor} own lines, folders ≥ ${folderFloor} files): ${near.length}`,
  );
  for (const line of near) console.warn(`  warning: ${line}`);
  return near.length;
}
