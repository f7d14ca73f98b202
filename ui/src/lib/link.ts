// A first look at a pasted link, so the person hears at once when it cannot be one. The app
// checks it again, strictly, before anything is sent.

const KEY = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export function looksLikeLink(text: string): boolean {
  return KEY.test(text.trim());
}
