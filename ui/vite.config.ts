import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The Tauri shell loads the dev server at this fixed port (`devUrl` in tauri.conf.json).
// `HUMO_IDENT_BUILD=bank` builds the UI the bank ships: without the end-to-end tests' hooks,
// the demo's panel and the preview benchmark's page (its app has neither the demo nor the
// benchmark's commands).
const demoBuild = process.env.HUMO_IDENT_BUILD !== "bank";

export default defineConfig({
  plugins: [svelte()],
  define: { __TEST_HOOKS__: JSON.stringify(demoBuild), __DEMO_BUILD__: JSON.stringify(demoBuild) },
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: "safari15",
    // Nothing inline: the CSP allows scripts and styles from the app itself only.
    assetsInlineLimit: 0,
    sourcemap: false,
    // The wizard; the LUNA PASS page, the only page whose policy admits the vendor's library;
    // and the page that says why the app cannot start.
    rollupOptions: {
      input: { main: "index.html", lunaPassPage: "luna-pass.html", startupErrorPage: "startup-error.html" },
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
});
