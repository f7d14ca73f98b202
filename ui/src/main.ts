import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";

// A point of the start that the footprint benchmark reads (docs/PERFORMANCE.md): every module
// imported above has run.
performance.mark("UI modules run");

// The preview benchmark runs the same preview in a page of its own (`#bench`); the bank's build
// leaves it out (`__DEMO_BUILD__`), imported here only where it is built.
const target = document.getElementById("app")!;
const bench = __DEMO_BUILD__ && location.hash.startsWith("#bench");
export default bench
  ? mount((await import("./lib/bench/Bench.svelte")).default, { target })
  : mount(App, { target });
