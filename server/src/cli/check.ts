/**
 * `gitops-iac check`: reads the files, hands them to the same ValidationEngine the language
 * server uses, and collects each file's findings. Files are keyed by their `file://` URI,
 * as in the editor, so workspace-wide messages read the same in both.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { rangeOf, type Finding } from '../core/types';
import type { ValidationEngine } from '../engine/engine';
import type { Settings } from '../settings';
import type { FoundFile } from '../node/walk';

export interface CheckedFile extends FoundFile {
  findings: Finding[];
}

export interface CheckResult {
  files: CheckedFile[];
  /** Words for the user about the run (e.g. a Kubernetes version fallback), for stderr. */
  notes: string[];
}

/**
 * Offset of the first byte that is not part of valid UTF-8, or -1 when all of it is valid.
 * It rejects what TextDecoder's fatal mode rejects: stray continuation bytes, overlong
 * forms, surrogates, code points past U+10FFFF and a sequence cut off at the end.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      // The first continuation byte has the narrowed range; the others the full one.
      const min = k === 1 ? low : 0x80;
      const max = k === 1 ? high : 0xbf;
      if (next === undefined || next < min || next > max) return i;
    }
    i += length;
  }
  return -1;
}

/** The finding for a file that is not UTF-8, placed at its first bad byte. */
function encodingFinding(bytes: Uint8Array, badOffset: number): Finding {
  // The bytes before the bad one are valid, so they decode to the text the editor would show.
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, badOffset));
  const line = before.split('\n').length - 1;
  const character = before.length - (before.lastIndexOf('\n') + 1);
  return {
    range: rangeOf(line, character, line, character + 1),
    severity: 'error',
    rule: 'file/encoding',
    message: `File is not valid UTF-8 (first bad byte at line ${line + 1}, column ${character + 1}).`,
  };
}

/** NUL bytes mean binary data; the engine says so itself (`file/skipped`), as in the editor. */
const looksBinary = (bytes: Uint8Array): boolean => bytes.includes(0);

/**
 * Checks the files, in the order given, with the settings given. `readFile` is injected so
 * the function can be tried on bytes that never touch the disk.
 */
export function checkFiles(
  files: readonly FoundFile[],
  engine: ValidationEngine,
  settings: Settings,
  readFile: (absolutePath: string) => Uint8Array = (absolutePath) => fs.readFileSync(absolutePath),
): CheckResult {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const lenient = new TextDecoder('utf-8');

  const uris = new Map<FoundFile, string>();
  const badEncoding = new Map<FoundFile, Finding>();
  const texts: { file: FoundFile; text: string }[] = [];
  for (const file of files) {
    const bytes = readFile(file.absolutePath);
    uris.set(file, pathToFileURL(file.absolutePath).href);
    if (looksBinary(bytes)) {
      texts.push({ file, text: lenient.decode(bytes) });
      continue;
    }
    try {
      texts.push({ file, text: strict.decode(bytes) });
    } catch {
      badEncoding.set(file, encodingFinding(bytes, Math.max(0, firstInvalidUtf8Offset(bytes))));
    }
  }

  // CustomResourceDefinitions go in first, so the resources that use them are validated
  // against their schemas at once rather than re-analysed when the CRD arrives.
  const definesCrds = ({ text }: { text: string }): boolean => text.includes('CustomResourceDefinition');
  for (const { file, text } of [...texts.filter(definesCrds), ...texts.filter((entry) => !definesCrds(entry))]) {
    engine.setFile(uris.get(file)!, text);
  }

  const checked = files.map((file): CheckedFile => {
    const encoding = badEncoding.get(file);
    if (!encoding) return { ...file, findings: engine.diagnose(uris.get(file)!) };
    // The engine applies the per-rule levels to its own findings; this one is made here.
    const level = settings.rules[encoding.rule];
    const findings = !settings.validate.enable || level === 'off' ? [] : [level ? { ...encoding, severity: level } : encoding];
    return { ...file, findings };
  });
  return { files: checked, notes: [...engine.notes] };
}
