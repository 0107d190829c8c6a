/**
 * "Choose Cluster Context…": picks the kubeconfig context and namespace the Drift view reads,
 * saved as workspace settings (`gitopsIac.drift.context`, `gitopsIac.drift.namespace`), so the
 * choice is the same for everyone who opens this workspace and for the next refresh. Only the
 * context names are read from the kubeconfig; its credentials are never touched here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { DRIFT_SETTINGS_SECTION } from './refresh';

interface KubeContext {
  name: string;
  namespace?: string;
  current: boolean;
}

/** A Kubernetes namespace name (RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export async function chooseContext(): Promise<void> {
  const config = vscode.workspace.getConfiguration(DRIFT_SETTINGS_SECTION);
  const files = kubeconfigFiles(config.get<string>('kubeconfig') ?? '');
  const contexts = files.flatMap(readContexts);
  if (contexts.length === 0) {
    const where = files.length > 0 ? files.join(', ') : 'KUBECONFIG or ~/.kube/config';
    const choice = await vscode.window.showWarningMessage(`No kubeconfig context was found in ${where}.`, 'Open Drift Settings');
    if (choice) await vscode.commands.executeCommand('gitopsIac.drift.openSettings');
    return;
  }
  const chosen = config.get<string>('context') ?? '';
  const current = contexts.find((context) => context.current);
  const items = [
    { label: 'Current context', description: current ? current.name : undefined, detail: 'Whatever the kubeconfig names as current-context.', context: '' },
    ...contexts.map((context) => ({
      label: context.name,
      description: [context.current ? 'current' : '', context.namespace ? `namespace ${context.namespace}` : ''].filter(Boolean).join(', ') || undefined,
      context: context.name,
    })),
  ].map((item) => ({ ...item, picked: item.context === chosen }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Drift: cluster context', placeHolder: `Now: ${chosen || 'the current context'}` });
  if (!picked) return;
  const namespace = await vscode.window.showInputBox({
    title: 'Drift: namespace',
    prompt: 'Only this namespace (and cluster-scoped objects); empty: every namespace the manifests name.',
    value: config.get<string>('namespace') ?? '',
    validateInput: (value) => (value === '' || NAMESPACE.test(value) ? undefined : 'A namespace is lower-case letters, digits and dashes, at most 63.'),
  });
  if (namespace === undefined) return;
  // One write per key; the view refreshes when the settings change.
  await config.update('context', picked.context || undefined, vscode.ConfigurationTarget.Workspace);
  await config.update('namespace', namespace || undefined, vscode.ConfigurationTarget.Workspace);
}

/** The files kubectl would read: the setting (relative to the workspace), else KUBECONFIG's list, else ~/.kube/config. */
function kubeconfigFiles(setting: string): string[] {
  if (setting.trim() !== '') {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    return [path.resolve(folder, setting.trim())];
  }
  const fromEnvironment = process.env.KUBECONFIG?.split(path.delimiter).filter(Boolean) ?? [];
  return fromEnvironment.length > 0 ? fromEnvironment : [path.join(os.homedir(), '.kube', 'config')];
}

function readContexts(file: string): KubeContext[] {
  let config: unknown;
  try {
    config = parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  if (typeof config !== 'object' || config === null) return [];
  const { contexts, 'current-context': current } = config as { contexts?: unknown; 'current-context'?: unknown };
  if (!Array.isArray(contexts)) return [];
  return contexts.flatMap((entry: unknown) => {
    const { name, context } = (entry ?? {}) as { name?: unknown; context?: { namespace?: unknown } };
    if (typeof name !== 'string') return [];
    const namespace = typeof context?.namespace === 'string' ? context.namespace : undefined;
    return [{ name, namespace, current: name === current }];
  });
}
