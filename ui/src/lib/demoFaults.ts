// The demo's switches, in the order the demo panel shows them. Every `DemoFault` has its place:
// a switch added in Rust fails the type check until it is placed here.

import type { DemoFault } from "./bindings/DemoFault";

export const DEMO_FAULTS = Object.keys({
  failNextDocument: true,
  failNextSelfie: true,
  failNextLivenessCheck: true,
  dropConnection: true,
  serverErrors: true,
  slowNetwork: true,
  expireLink: true,
  heal: true,
} satisfies Record<DemoFault, true>) as DemoFault[];
