// The app's two pages: the wizard, and the LUNA PASS screen, a page of its own because only it
// may load the vendor's library (its content security policy is wider). The language travels
// in the address.

import { LANGUAGES, type Language } from "./i18n.svelte";

export const WIZARD_PAGE = "index.html";
export const LUNA_PASS_PAGE = "luna-pass.html";

/** Goes to another page of the app; tests replace it. */
export let navigate = (address: string): void => {
  window.location.replace(address);
};

export function setNavigate(next: (address: string) => void): void {
  navigate = next;
}

export function goTo(page: string, language: Language): void {
  navigate(`${page}?lang=${language}`);
}

/** The language the previous page was in, if it said. */
export function languageInAddress(search: string): Language | null {
  const lang = new URLSearchParams(search).get("lang");
  return (LANGUAGES as readonly string[]).includes(lang ?? "") ? (lang as Language) : null;
}
