// Calls the app on the person's behalf; a refusal is kept to be shown where it was made.

import { toBackendError, type BackendError } from "./backend";
import { has, t } from "./i18n.svelte";
import { app } from "./state.svelte";

export async function run(call: () => Promise<void>): Promise<boolean> {
  app.error = null;
  try {
    await call();
    return true;
  } catch (error) {
    app.error = toBackendError(error);
    return false;
  }
}

/** An error in the person's language: by its code where there is a text for it. */
export function errorText(error: { code: string; message: string }): string {
  const key = `errors.${error.code}`;
  return has(key) ? t(key) : error.message;
}

export type { BackendError };
