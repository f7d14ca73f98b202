import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import Bench from "./lib/bench/Bench.svelte";

// The preview benchmark runs the same preview in a page of its own (`#bench`).
const target = document.getElementById("app")!;
export default location.hash.startsWith("#bench") ? mount(Bench, { target }) : mount(App, { target });
