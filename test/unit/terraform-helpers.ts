/**
 * Helpers shared by the Terraform tests: the parser loaded once, a workspace built from a map
 * of file names to texts (`file:///w/<name>`), findings as `name:line rule message` strings,
 * and a caret marker `|` for positions.
 */
import type { Finding, Position } from '../../server/src/core/types';
import { locateWasmFiles } from '../../server/src/node/wasmFiles';
import { loadTerraformParser } from '../../server/src/terraform/parser';
import { TerraformWorkspace, type TerraformWorkspaceOptions } from '../../server/src/terraform/workspace';

export const ROOT = 'file:///w';

export async function loadParser(): Promise<void> {
  // '/nonexistent' has no bundled .wasm files, so the node_modules copies are used.
  await loadTerraformParser(locateWasmFiles('/nonexistent'));
}

/** A reader for called modules over an in-memory disk of `path -> text` (paths relative to ROOT). */
export function memoryReader(disk: Record<string, string>): NonNullable<TerraformWorkspaceOptions['readModuleFolder']> {
  return (folder) => {
    const prefix = `${folder}/`;
    const files = Object.entries(disk)
      .map(([path, text]) => ({ uri: `${ROOT}/${path}`, text }))
      .filter((f) => f.uri.startsWith(prefix) && !f.uri.slice(prefix.length).includes('/'));
    return files.length ? files : undefined;
  };
}

export function workspaceOf(files: Record<string, string>, options: TerraformWorkspaceOptions = {}): TerraformWorkspace {
  const workspace = new TerraformWorkspace(options);
  for (const [name, text] of Object.entries(files)) workspace.setFile(`${ROOT}/${name}`, text);
  return workspace;
}

export function show(name: string, finding: Finding): string {
  return `${name}:${finding.range.start.line + 1}:${finding.range.start.character + 1} ${finding.message}`;
}

/** The findings of one rule (or all), as `name:line:column message`. */
export function findings(files: Record<string, string>, rule?: string, options: TerraformWorkspaceOptions = {}): string[] {
  const workspace = workspaceOf(files, options);
  try {
    return Object.keys(files).flatMap((name) =>
      workspace.diagnose(`${ROOT}/${name}`).filter((f) => rule === undefined || f.rule === rule).map((f) => show(name, f)));
  } finally {
    workspace.dispose();
  }
}

/** The rule ids reported for a set of files, with their severities: `tf/x:error`. */
export function rules(files: Record<string, string>, options: TerraformWorkspaceOptions = {}): string[] {
  const workspace = workspaceOf(files, options);
  try {
    return Object.keys(files).flatMap((name) => workspace.diagnose(`${ROOT}/${name}`).map((f) => `${f.rule}:${f.severity}`));
  } finally {
    workspace.dispose();
  }
}

/** Removes the caret `|` from a text and returns where it was. */
export function caret(textWithCaret: string): { text: string; position: Position } {
  const index = textWithCaret.indexOf('|');
  if (index < 0) throw new Error('no caret in text');
  const before = textWithCaret.slice(0, index);
  const line = before.split('\n').length - 1;
  return { text: before + textWithCaret.slice(index + 1), position: { line, character: index - (before.lastIndexOf('\n') + 1) } };
}
