// The vendor's LUNA PASS library, loaded from the address the bank's configuration gives.
// Its public shape is all the app relies on: `new LunaPass(element, wsUrl, onReady, onSuccess)`,
// then `checkLiveness()`; `onSuccess({ isOk, jwt })` when a check ends.

/** What `onSuccess` receives. */
export interface LunaPassResult {
  isOk: boolean;
  jwt: string;
}

export interface LunaPassInstance {
  checkLiveness(): void;
  /** Not every version has it; called when the screen closes, if there. */
  destroy?(): void;
}

export type LunaPassConstructor = new (
  element: HTMLElement,
  wsUrl: string,
  onReady: () => void,
  onSuccess: (result: LunaPassResult) => void,
  onError?: (message: string) => void,
) => LunaPassInstance;

/** Loads the library's script once and returns its `LunaPass` class. With `integrity` (an SRI
 * hash), the webview runs the script only if it is exactly that file. */
export type LibraryLoader = (scriptUrl: string, integrity?: string | null) => Promise<LunaPassConstructor>;

export const loadLibrary: LibraryLoader = (scriptUrl, integrity) =>
  new Promise((resolve, reject) => {
    const existing = (window as unknown as { LunaPass?: LunaPassConstructor }).LunaPass;
    if (existing) return resolve(existing);
    const script = document.createElement("script");
    script.src = scriptUrl;
    script.async = true;
    if (integrity) {
      script.setAttribute("integrity", integrity);
      script.setAttribute("crossorigin", "anonymous");
    }
    script.onload = () => {
      const loaded = (window as unknown as { LunaPass?: LunaPassConstructor }).LunaPass;
      if (typeof loaded === "function") resolve(loaded);
      else reject(new Error("the library defines no LunaPass"));
    };
    script.onerror = () => reject(new Error("the library could not be loaded"));
    document.head.appendChild(script);
  });
