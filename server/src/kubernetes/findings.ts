import type { Severity } from '../core/types';
import type { ResourceReport } from './resource';

/** A report with its rule and severity; its path is relative to the document root. */
export interface ResourceFinding extends ResourceReport {
  rule: string;
  severity: Severity;
}
