/**
 * Reading the generated `schemas/` folder from disk, for the Node shells (the language
 * server and the CLI). The core's SchemaStore only sees the SchemaFiles interface, so it
 * never touches `fs` itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SchemaFiles } from '../kubernetes/schemaStore';

/**
 * Finds the `schemas/` folder that ships with GitOps IaC by walking up from `fromDir`
 * (normally the caller's `__dirname`) to the first folder that holds `schemas/index.json`.
 * One walk serves every layout: the bundles in `server/out/` (cli.js, server.js), the
 * sources in `server/src/...` run through tsx, and an installed extension or npm package,
 * where `schemas/` sits at the package root. Returns the absolute path of the `schemas`
 * folder itself, or undefined when no ancestor has one.
 */
export function locateSchemasFolder(fromDir: string): string | undefined {
  let dir = path.resolve(fromDir);
  for (;;) {
    const candidate = path.join(dir, 'schemas');
    if (fs.existsSync(path.join(candidate, 'index.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * SchemaFiles over a `schemas/` folder on disk (as found by locateSchemasFolder). A file
 * that does not exist reads as undefined, so the store can say which one is missing; any
 * other failure (permissions, a folder where a file should be) is thrown as is.
 */
export function nodeSchemaFiles(folder: string): SchemaFiles {
  return {
    read(relativePath: string): string | undefined {
      try {
        return fs.readFileSync(path.join(folder, relativePath), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}
