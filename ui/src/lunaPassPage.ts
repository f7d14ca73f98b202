// The LUNA PASS webview's entry (luna-pass.html); the wizard's is main.ts.
import { mount } from "svelte";
import "./app.css";
import LunaPassApp from "./LunaPassApp.svelte";

export default mount(LunaPassApp, { target: document.getElementById("app")! });
