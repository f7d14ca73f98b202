// Constants the bundler puts in (vite.config.ts).

/** Whether the end-to-end tests' hooks are built in: false in the bank's build. */
declare const __TEST_HOOKS__: boolean;

/** Whether the demo's panel and the preview benchmark's page are built in: false in the bank's
 * build. */
declare const __DEMO_BUILD__: boolean;
