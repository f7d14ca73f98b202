// Moves keyboard and screen-reader focus to a new screen's heading.

export function focusOnMount(node: HTMLElement): void {
  queueMicrotask(() => node.focus({ preventScroll: true }));
}
