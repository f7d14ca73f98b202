// What every page of a kiosk does with the person's input: keep the client's session alive,
// and never reload or leave the page from the keyboard or a context menu.

import { backend } from "./backend";
import { app } from "./state.svelte";

let lastActivity = 0;

/** Any touch or key keeps the client's session alive (at most one call in 5 s). */
export function touched(): void {
  if (!app.info?.kiosk) return;
  const now = Date.now();
  if (now - lastActivity < 5000) return;
  lastActivity = now;
  backend().activity().catch(() => {});
}

export function keydown(event: KeyboardEvent): void {
  touched();
  if (app.info?.kiosk) {
    const reload = event.key === "F5" || ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "r");
    const history = event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight");
    if (reload || history) event.preventDefault();
  }
}

export function contextmenu(event: MouseEvent): void {
  if (app.info?.kiosk) event.preventDefault();
}
