// At a kiosk no page may open the system's file picker: it shows the kiosk account's files and
// any USB drive, and its dialogs lead out of the app. Linux's WebKit is also told so by the
// shell (kiosk.rs); WebView2 and WKWebView have no such switch. This runs before any script of
// the page, in every document of the kiosk's windows, and holds what it needs before a page can
// change it, so a page's script cannot undo it.
(() => {
  "use strict";
  const refusal = () => new DOMException("No file picker opens at a kiosk", "NotAllowedError");
  const defineProperty = Object.defineProperty;
  const lock = (target, name, value) => {
    try {
      defineProperty(target, name, { value, writable: false, configurable: false, enumerable: false });
    } catch {
      // Already locked by this script in this realm.
    }
  };
  const typeOf = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "type").get;
  const isFileInput = (node) => {
    try {
      return node != null && node.localName === "input" && typeOf.call(node) === "file";
    } catch {
      return false;
    }
  };
  const showPicker = HTMLInputElement.prototype.showPicker;
  lock(HTMLInputElement.prototype, "showPicker", function (...args) {
    if (isFileInput(this)) throw refusal();
    return showPicker?.apply(this, args);
  });
  for (const name of ["showOpenFilePicker", "showSaveFilePicker", "showDirectoryPicker"]) {
    lock(window, name, () => Promise.reject(refusal()));
  }
  // A click on a file input, a label for one, or `input.click()`: its default action (the
  // picker) is cancelled before any page listener runs.
  const composedPath = Event.prototype.composedPath;
  const preventDefault = Event.prototype.preventDefault;
  const cancelPickers = (event) => {
    if (composedPath.call(event).some(isFileInput)) preventDefault.call(event);
  };
  EventTarget.prototype.addEventListener.call(window, "click", cancelPickers, { capture: true });
})();
