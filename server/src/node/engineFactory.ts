/**
 * Builds the validation engine with Node's I/O, the same way for the language server and
 * the CLI: schemas from the bundled folder, the Terraform parser's WebAssembly, and disk
 * access for Terraform module calls to local folders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ValidationEngine } from '../engine/engine';
import { SchemaStore } from '../kubernetes/schemaStore';
import type { Settings } from '../settings';
import { loadTerraformParser } from '../terraform/parser';
import { TerraformWorkspace } from '../terraform/workspace';
import { ChartWorkspace } from '../helm/workspace';
import { diskChartFiles } from './helmCharts';
import { GitOpsApps } from '../gitops/workspace';
import { diskRepositories } from './gitRepositories';
import type { AnsibleWorkspace } from '../ansible/workspace';
import { createNodeAnsibleWorkspace } from './ansibleWorkspace';
import { KustomizeWorkspace } from '../kustomize/workspace';
import { diskReader } from './kustomize';
import { locateSchemasFolder, nodeSchemaFiles } from './schemaFiles';
import { locateWasmFiles } from './wasmFiles';

export interface NodeEngine {
  engine: ValidationEngine;
  terraform: TerraformWorkspace;
  charts: ChartWorkspace;
  gitops: GitOpsApps;
  ansible: AnsibleWorkspace;
  kustomize: KustomizeWorkspace;
  /** The bundled schemas folder (the package root is its parent). */
  schemasFolder: string;
}

/** The `.tf` files of a module folder on disk; undefined when the folder does not exist. */
export function readModuleFolderFromDisk(folderUri: string): { uri: string; text: string }[] | undefined {
  let folder: string;
  let names: string[];
  try {
    folder = fileURLToPath(folderUri);
    names = readdirSync(folder).filter((name) => name.endsWith('.tf')).sort();
  } catch {
    return undefined;
  }
  const files: { uri: string; text: string }[] = [];
  for (const name of names) {
    try {
      files.push({ uri: pathToFileURL(path.join(folder, name)).href, text: readFileSync(path.join(folder, name), 'utf8') });
    } catch {
      // An unreadable file is left out; the module's other files still count.
    }
  }
  return files;
}

/** The installation is incomplete: a user error to state plainly, not an internal failure. */
export class MissingSchemasError extends Error {}

/** The bundled schemas folder above `fromDir`; throws MissingSchemasError when there is none. */
export function requireSchemasFolder(fromDir: string): string {
  const folder = locateSchemasFolder(fromDir);
  if (!folder) throw new MissingSchemasError(`cannot find the bundled schemas (schemas/index.json) in any folder above ${fromDir}; reinstall GitOps IaC`);
  return folder;
}

export async function createNodeEngine(settings: Settings, fromDir: string): Promise<NodeEngine> {
  const schemasFolder = requireSchemasFolder(fromDir);
  await loadTerraformParser(locateWasmFiles(fromDir));
  const terraform = new TerraformWorkspace({ readModuleFolder: readModuleFolderFromDisk });
  // Charts come first: a chart's files (templates above all) must never be claimed by another language.
  const charts = new ChartWorkspace(diskChartFiles);
  const { workspace: ansible, note: ansibleNote } = createNodeAnsibleWorkspace(schemasFolder);
  const kustomize = new KustomizeWorkspace(diskReader);
  // GitOps app checks own no file: they watch the others and add findings to app definitions.
  const gitops = new GitOpsApps(diskRepositories(), (folder) => kustomize.renderFolder(folder));
  const engine = new ValidationEngine(new SchemaStore(nodeSchemaFiles(schemasFolder)), settings, [charts, kustomize, terraform, ansible, gitops]);
  if (ansibleNote) engine.notes.push(ansibleNote);
  return { engine, terraform, charts, ansible, kustomize, gitops, schemasFolder };
}
