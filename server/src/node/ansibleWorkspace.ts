/**
 * Builds the Ansible workspace with Node's I/O: the bundled schemas and ansible.builtin
 * module specs, disk listing of `roles/` folders, and `ansible.cfg` files for their roles_path.
 */
import { createModuleCatalog } from '../ansible/catalog';
import { AnsibleWorkspace } from '../ansible/workspace';
import { readBuiltinModules } from './ansibleModules';
import { homeFolderUri, listSubfoldersOnDisk, readConfigFileOnDisk } from './ansibleFolders';
import { nodeSchemaFiles } from './schemaFiles';

/** The workspace, and words for the user when the module specs could not be read (then only keywords are checked). */
export function createNodeAnsibleWorkspace(schemasFolder: string): { workspace: AnsibleWorkspace; note?: string } {
  const bundle = readBuiltinModules(schemasFolder);
  const modules = createModuleCatalog(typeof bundle === 'string' ? [] : bundle.modules);
  const workspace = new AnsibleWorkspace({
    schemaFiles: nodeSchemaFiles(schemasFolder),
    modules,
    listFolders: listSubfoldersOnDisk,
    readFile: readConfigFileOnDisk,
    homeUri: homeFolderUri(),
  });
  return { workspace, note: typeof bundle === 'string' ? `Ansible module arguments are not checked: ${bundle}.` : undefined };
}
