// What every page of a kiosk does with the person's input: keep the client's session alive,
// and never reload or leave the page from the keyboard or a context menu.

import { backend } from "./backend";
import { app } from "./state.svelte";

let lastActivity = 0;
/** The LUNA PASS webview has no app info: its address says whether it is at a kiosk. */
let kioskPage = false;

export function setKioskPage(on: boolean): void {
  kioskPage = on;
}

const atKiosk = () => app.info?.kiosk ?? kioskPage;

/** Any touch or key keeps the client's session alive (at most one call in 5 s). */
export function touched(): void {
  if (!atKiosk()) return;
  const now = Date.now();
  if (now - lastActivity < 5000) return;
  lastActivity = now;
  backend().activity().catch(() => {});
}

export function keydown(event: KeyboardEvent): void {
  touched();
  if (atKiosk()) {
    const reload = event.key === "F5" || ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "r");
    const history = event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight");
    if (reload || history) event.preventDefault();
  }
}

export function contextmenu(event: MouseEvent): void {
  if (atKiosk()) event.preventDefault();
}
