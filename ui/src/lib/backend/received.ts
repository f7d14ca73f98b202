// A short log of what the app sent to the webview (answers and events, never frames). It lets
// the end-to-end tests prove that nothing secret, such as the access token, ever arrived. The
// bank's build (`HUMO_IDENT_BUILD=bank`) has none of it: `__TEST_HOOKS__` is false there, and
// the bundler drops the code.

const LIMIT = 2000;
const log: string[] = [];

export function record(value: unknown): void {
  if (!__TEST_HOOKS__ || value === undefined) return;
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

if (__TEST_HOOKS__ && typeof window !== "undefined") window.humoIdentReceived = received;
