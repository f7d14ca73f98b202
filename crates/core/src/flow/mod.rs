//! The identification flow: a pure state machine ([`Flow`]) and the driver that runs it on tokio
//! ([`start_flow`]).

mod driver;
mod machine;
mod state;
#[cfg(test)]
mod tests;

pub use driver::{start_flow, FlowHandle};
pub use machine::{Effect, Flow, IoResult};
pub use state::{Action, FlowEvent, FlowState, StepInput, StepKind, StepResult, StepView};
