// The backend the app uses. Tests install their own with `setBackend`.

import type { Backend } from "./backend";
import { tauriBackend } from "./tauri";

export type { Backend, BackendError, PreviewFrame } from "./backend";
export { toBackendError } from "./backend";

let current: Backend = tauriBackend;

export function backend(): Backend {
  return current;
}

export function setBackend(next: Backend): void {
  current = next;
}
export { benchBackend, type BenchReport } from "./bench";
