import { mount } from "svelte";
import "./app.css";
import LunaPassApp from "./LunaPassApp.svelte";

export default mount(LunaPassApp, { target: document.getElementById("app")! });
