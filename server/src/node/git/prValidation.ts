/**
 * Validates the files of a PR with the same engine as the editor and `gitops-iac check`,
 * on the texts that will be committed. The engine holds what `gitops-iac check` on the
 * repository would read (the same walk, `.gitignore` honoured), with the picked texts in place
 * of the disk's: a kustomize patch is then checked as part of the overlays that render it,
 * not as a whole object, and cross-file checks, charts, Ansible roles and Terraform modules
 * have their context. Only the picked files' findings are reported, those the overlays place
 * in them included.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PrFinding, PrValidation } from '../../protocol';
import { DEFAULT_SETTINGS, type Settings } from '../../settings';
import { createNodeEngine } from '../engineFactory';
import { findFiles } from '../walk';

export type ValidateTexts = (root: string, files: { path: string; text: string }[]) => Promise<PrValidation>;

/** The repository's IaC files as `gitops-iac check` finds them, by URI; an unreadable one is left out. */
function repositoryTexts(root: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of findFiles([root], root).files) {
    try {
      texts.set(pathToFileURL(file.absolutePath).href, readFileSync(file.absolutePath, 'utf8'));
    } catch {
      // Context only: the picked files are read by the caller, which reports their failures.
    }
  }
  return texts;
}

export function engineValidator(settings: Settings = DEFAULT_SETTINGS, fromDir: string = __dirname): ValidateTexts {
  return async (root, files) => {
    const { engine } = await createNodeEngine(settings, fromDir);
    const picked = files.map((file) => ({ ...file, uri: pathToFileURL(path.join(root, file.path)).href }));
    const texts = repositoryTexts(root);
    for (const file of picked) texts.set(file.uri, file.text);
    for (const [uri, text] of texts) engine.setFile(uri, text);
    const findings: PrFinding[] = [];
    for (const file of picked) {
      for (const finding of engine.diagnose(file.uri)) {
        findings.push({ path: file.path, line: finding.range.start.line + 1, column: finding.range.start.character + 1, severity: finding.severity, rule: finding.rule, message: finding.message });
      }
    }
    findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column));
    return { errors: findings.filter((each) => each.severity === 'error').length, warnings: findings.filter((each) => each.severity === 'warning').length, findings };
  };
}
