// The LUNA PASS webview's page (luna-pass.html): the app opens that webview, a window of its own,
// with the wizard's language in its address (`?lang=ru`), and `kiosk=1` at a kiosk.

import { LANGUAGES, type Language } from "./i18n.svelte";

/** The language the page was opened in, if its address says. */
export function languageInAddress(search: string): Language | null {
  const lang = new URLSearchParams(search).get("lang");
  return (LANGUAGES as readonly string[]).includes(lang ?? "") ? (lang as Language) : null;
}

/** Whether the page was opened at a kiosk. */
export function kioskInAddress(search: string): boolean {
  return new URLSearchParams(search).get("kiosk") === "1";
}
