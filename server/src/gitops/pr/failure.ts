/**
 * The one error type of the PR flow: a reason the client can act on, what happened in words
 * and the next step. Everything the flow throws on purpose is a PrError; the shells turn it
 * into a PrFailure (LSP) or a message and exit status (CLI).
 */
import type { PrFailure, PrFailureReason, PrValidation } from '../../protocol';

export class PrError extends Error {
  constructor(
    readonly reason: PrFailureReason,
    message: string,
    readonly nextStep: string,
    readonly validation?: PrValidation,
  ) {
    super(message);
  }

  toFailure(): PrFailure {
    return { ok: false, reason: this.reason, message: this.message, nextStep: this.nextStep, ...(this.validation ? { validation: this.validation } : {}) };
  }
}

/** Said after every failure, because it is true of every failure: the flow undoes what it did. */
export const NOTHING_CHANGED = 'Nothing was changed: your branch, files, index and stashes are as they were.';

/** `https://user:token@host/…` → `https://host/…`: git and fetch errors may quote a URL with credentials. */
export function withoutCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1');
}
