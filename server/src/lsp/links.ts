/**
 * Document links on GitOps app paths: the link reveals the folder in VS Code's Explorer
 * (`revealInExplorer`, with the folder as a marshalled URI, which command links revive).
 */
import type { DocumentLink } from 'vscode-languageserver/node';
import type { GitOpsApps } from '../gitops/workspace';

/** VS Code's marker for a serialised URI (MarshalledId.Uri), so the command receives a Uri, not a plain object. */
const URI_MARSHALLED_ID = 1;

export function folderLinks(gitops: GitOpsApps, uri: string): DocumentLink[] {
  return gitops.links(uri).map(({ range, folderUri }) => {
    const url = new URL(folderUri);
    const argument = { $mid: URI_MARSHALLED_ID, scheme: url.protocol.replace(/:$/, ''), authority: url.host, path: decodeURIComponent(url.pathname) };
    return { range, target: `command:revealInExplorer?${encodeURIComponent(JSON.stringify([argument]))}`, tooltip: `Reveal ${decodeURIComponent(url.pathname)} in the Explorer` };
  });
}
