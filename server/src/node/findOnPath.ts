/**
 * Finds a program on the PATH, as a shell would, for the external tools the extension may run
 * (terraform, ansible-doc, ansible-lint).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The first executable of that name in an absolute folder of the PATH (a relative one could be the workspace). */
export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pathVariable = env.PATH ?? env.Path ?? '';
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of pathVariable.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, command + extension.toLowerCase());
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
