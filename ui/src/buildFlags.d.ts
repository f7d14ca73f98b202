// Constants the bundler puts in (vite.config.ts).

/** Whether the end-to-end tests' hooks are built in: false in the bank's build. */
declare const __TEST_HOOKS__: boolean;
