// A short log of what the app sent to the webview (answers and events, never frames). It lets
// the end-to-end tests prove that nothing secret, such as the access token, ever arrived.

const LIMIT = 2000;
const log: string[] = [];

export function record(value: unknown): void {
  if (value === undefined) return;
  log.push(JSON.stringify(value));
  if (log.length > LIMIT) log.shift();
}

export function received(): readonly string[] {
  return log;
}

declare global {
  interface Window {
    humoIdentReceived?: () => readonly string[];
  }
}

if (typeof window !== "undefined") window.humoIdentReceived = received;
