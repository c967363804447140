//! Integration tests of detente-agents: one test binary for the crate (faster to build and smaller than one per file);
//! each module is one former test file, so a test is named `<file>::<test>`.

mod golden;
mod mediated_deadlines;
mod mediated_replay;
mod mediator_rules;
mod negmas_discount;
mod negmas_pins;
mod negmas_vectors;
mod negotiators;
mod oracle;
mod play;
mod red_lines;
mod reference_scenario;
mod specs;
