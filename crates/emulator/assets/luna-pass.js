/*
 * A test double of VisionLabs' LUNA PASS browser library, served by the Humo Ident emulator
 * at /luna-pass/luna-pass.js. It has the vendor library's public shape, so the app's
 * `luna-pass` selfie provider can run end to end in a real webview:
 *
 *   const lp = new LunaPass(element, wsUrl, onReady, onSuccess[, onError]);
 *   // after onReady():
 *   lp.checkLiveness();          // later onSuccess({ isOk, jwt }); may be called again to retry
 *   lp.destroy();                // stops the camera (also done when element leaves the document)
 *
 * Additions of the double, not known of the vendor's library: the optional fifth argument
 * `onError(message)`, called when a check fails without a verdict (the real library's failure
 * callback is not publicly known, so the app must also time out on its own), and `destroy()`.
 *
 * The camera is used when the webview has one; otherwise (no mediaDevices, permission refused,
 * no device, as in CI) a synthetic face is drawn on a canvas instead, and the check goes on.
 * For tests, `element` carries data-source="camera|synthetic" and
 * data-state="starting|ready|checking|done|failed".
 *
 * Wire protocol (the double's own; the vendor's is not public): one JSON text message
 *   {"type":"check","bestshot":"<base64 JPEG>","source":"camera|synthetic"}
 * answered by {"isOk":bool,"jwt":"<compact JWT>"}, or {"error":"..."} before the server closes.
 *
 * Plain ES2020 script, no dependencies, no network besides the WebSocket.
 */
(function () {
  "use strict";

  /** Width of the frame sent as the best shot. */
  const FRAME_WIDTH = 640;
  /** How long a started camera may take to show a frame before the synthetic face is used. */
  const PLAY_TIMEOUT_MS = 10000;
  const JPEG_PREFIX = "data:image/jpeg;base64,";

  class LunaPass {
    constructor(element, wsUrl, onReady, onSuccess, onError) {
      if (!element || typeof element.appendChild !== "function") {
        throw new TypeError("LunaPass: element must be a DOM element");
      }
      this._element = element;
      this._wsUrl = String(wsUrl);
      this._onReady = onReady;
      this._onSuccess = onSuccess;
      this._onError = onError;
      this._source = null;
      this._stream = null;
      this._video = null;
      this._canvas = null;
      this._socket = null;
      this._ready = false;
      this._checking = false;
      this._destroyed = false;
      this._observer = null;
      this._setState("starting");
      this._watchRemoval();
      this._start();
    }

    /** "camera" or "synthetic" once ready; null before. */
    get source() {
      return this._source;
    }

    /** Sends the current frame to the server; the verdict goes to onSuccess({isOk, jwt}). */
    checkLiveness() {
      if (this._destroyed) {
        this._fail("checkLiveness() after destroy()");
        return;
      }
      if (!this._ready) {
        this._fail("checkLiveness() before onReady()");
        return;
      }
      if (this._checking) {
        console.warn("LunaPass: a check is already running");
        return;
      }
      let bestshot;
      try {
        bestshot = this._grabFrame();
      } catch (err) {
        this._fail("could not take a frame: " + describe(err));
        return;
      }
      this._checking = true;
      this._setState("checking");
      this._send(bestshot);
    }

    /** Stops the camera, closes any socket, and removes what the double added to element. */
    destroy() {
      if (this._destroyed) {
        return;
      }
      this._destroyed = true;
      this._checking = false;
      if (this._observer) {
        this._observer.disconnect();
        this._observer = null;
      }
      if (this._socket) {
        const socket = this._socket;
        this._socket = null;
        socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
        try {
          socket.close(1000);
        } catch (_) {
          // Already closing.
        }
      }
      this._stopCamera();
      if (this._canvas) {
        this._canvas.remove();
        this._canvas = null;
      }
    }

    async _start() {
      try {
        await this._startCamera();
        this._source = "camera";
      } catch (err) {
        if (this._destroyed) {
          return;
        }
        console.info("LunaPass: no camera (" + describe(err) + "); using a synthetic face");
        this._stopCamera();
        this._drawSyntheticFace();
        this._source = "synthetic";
      }
      if (this._destroyed) {
        return;
      }
      this._element.dataset.source = this._source;
      this._ready = true;
      this._setState("ready");
      call(this._onReady);
    }

    async _startCamera() {
      const devices = navigator.mediaDevices;
      if (!devices || typeof devices.getUserMedia !== "function") {
        throw new Error("navigator.mediaDevices.getUserMedia is not available");
      }
      const stream = await devices.getUserMedia({ video: true, audio: false });
      this._stream = stream;
      if (this._destroyed) {
        this._stopCamera();
        throw new Error("destroyed while the camera started");
      }
      const video = document.createElement("video");
      video.autoplay = true;
      video.muted = true;
      video.playsInline = true;
      video.setAttribute("autoplay", "");
      video.setAttribute("muted", "");
      video.setAttribute("playsinline", "");
      video.srcObject = stream;
      this._video = video;
      this._element.appendChild(video);
      await playing(video);
    }

    _stopCamera() {
      if (this._stream) {
        for (const track of this._stream.getTracks()) {
          track.stop();
        }
        this._stream = null;
      }
      if (this._video) {
        this._video.srcObject = null;
        this._video.remove();
        this._video = null;
      }
    }

    /** A skin-coloured oval with eyes and a mouth, centred and half the height, on plain grey. */
    _drawSyntheticFace() {
      const canvas = document.createElement("canvas");
      canvas.width = 640;
      canvas.height = 480;
      const g = canvas.getContext("2d");
      const cx = canvas.width / 2;
      const cy = canvas.height / 2;
      const faceHeight = canvas.height / 2;
      g.fillStyle = "#c9d2da";
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = "#e2b08e";
      g.beginPath();
      g.ellipse(cx, cy, faceHeight * 0.38, faceHeight / 2, 0, 0, 2 * Math.PI);
      g.fill();
      g.fillStyle = "#2b2b2b";
      for (const dx of [-0.14, 0.14]) {
        g.beginPath();
        g.ellipse(cx + dx * faceHeight, cy - 0.1 * faceHeight, 0.05 * faceHeight,
          0.03 * faceHeight, 0, 0, 2 * Math.PI);
        g.fill();
      }
      g.strokeStyle = "#8a3b3b";
      g.lineWidth = 0.025 * faceHeight;
      g.lineCap = "round";
      g.beginPath();
      g.ellipse(cx, cy + 0.18 * faceHeight, 0.12 * faceHeight, 0.05 * faceHeight, 0, 0.15 * Math.PI,
        0.85 * Math.PI);
      g.stroke();
      canvas.style.maxWidth = "100%";
      this._canvas = canvas;
      this._element.appendChild(canvas);
    }

    /** The current picture as base64 JPEG, FRAME_WIDTH pixels wide. */
    _grabFrame() {
      const source = this._video || this._canvas;
      const width = this._video ? this._video.videoWidth : this._canvas.width;
      const height = this._video ? this._video.videoHeight : this._canvas.height;
      if (!source || !width || !height) {
        throw new Error("the picture has no size yet");
      }
      const frame = document.createElement("canvas");
      frame.width = FRAME_WIDTH;
      frame.height = Math.max(1, Math.round((height * FRAME_WIDTH) / width));
      frame.getContext("2d").drawImage(source, 0, 0, frame.width, frame.height);
      const url = frame.toDataURL("image/jpeg", 0.9);
      if (!url.startsWith(JPEG_PREFIX)) {
        throw new Error("the webview cannot encode a JPEG");
      }
      return url.slice(JPEG_PREFIX.length);
    }

    _send(bestshot) {
      let socket;
      try {
        socket = new WebSocket(this._wsUrl);
      } catch (err) {
        this._checkFailed("cannot open " + this._wsUrl + ": " + describe(err));
        return;
      }
      this._socket = socket;
      let settled = false;
      const settle = () => {
        const first = !settled;
        settled = true;
        if (this._socket === socket) {
          this._socket = null;
        }
        return first;
      };
      socket.onopen = () => {
        socket.send(JSON.stringify({ type: "check", bestshot: bestshot, source: this._source }));
      };
      socket.onmessage = (event) => {
        if (!settle()) {
          return;
        }
        socket.close(1000);
        let reply = null;
        try {
          reply = JSON.parse(event.data);
        } catch (_) {
          // Handled below as an unexpected reply.
        }
        if (reply && typeof reply.isOk === "boolean" && typeof reply.jwt === "string") {
          this._checking = false;
          this._setState("done");
          call(this._onSuccess, { isOk: reply.isOk, jwt: reply.jwt });
        } else if (reply && typeof reply.error === "string") {
          this._checkFailed("the server refused the check: " + reply.error);
        } else {
          this._checkFailed("unexpected reply from the server");
        }
      };
      socket.onerror = () => {
        if (settle()) {
          this._checkFailed("the connection to " + this._wsUrl + " failed");
        }
      };
      socket.onclose = (event) => {
        if (settle()) {
          this._checkFailed("the connection closed without a verdict (code " + event.code + ")");
        }
      };
    }

    _checkFailed(message) {
      this._checking = false;
      this._fail(message);
    }

    _fail(message) {
      console.warn("LunaPass: " + message);
      if (!this._destroyed) {
        this._setState("failed");
      }
      call(this._onError, message);
    }

    _setState(state) {
      this._element.dataset.state = state;
    }

    /** Stops the camera once element, having been in the document, is taken out of it. */
    _watchRemoval() {
      if (typeof MutationObserver !== "function") {
        return;
      }
      let wasConnected = this._element.isConnected;
      this._observer = new MutationObserver(() => {
        if (this._element.isConnected) {
          wasConnected = true;
        } else if (wasConnected) {
          this.destroy();
        }
      });
      this._observer.observe(document, { childList: true, subtree: true });
    }
  }

  /** Resolves when the video shows frames; rejects if it does not within PLAY_TIMEOUT_MS. */
  function playing(video) {
    return new Promise((resolve, reject) => {
      const shows = () => video.readyState >= 2 && video.videoWidth > 0;
      const done = (ok, err) => {
        clearTimeout(timer);
        video.removeEventListener("playing", check);
        video.removeEventListener("loadeddata", check);
        if (ok) {
          resolve();
        } else {
          reject(err);
        }
      };
      const check = () => {
        if (shows()) {
          done(true);
        }
      };
      const timer = setTimeout(() => done(false, new Error("the camera shows no picture")),
        PLAY_TIMEOUT_MS);
      video.addEventListener("playing", check);
      video.addEventListener("loadeddata", check);
      const play = video.play();
      if (play && typeof play.then === "function") {
        // A refused play() only matters if no picture comes; autoplay may still show one.
        play.then(check, (err) => {
          if (!shows()) {
            done(false, err);
          }
        });
      }
      check();
    });
  }

  /** Calls a user callback, if given, so that its exceptions do not break the double. */
  function call(callback, value) {
    if (typeof callback !== "function") {
      return;
    }
    try {
      callback(value);
    } catch (err) {
      console.error("LunaPass: a callback threw", err);
    }
  }

  function describe(err) {
    return err && err.message ? err.message : String(err);
  }

  window.LunaPass = LunaPass;
})();
