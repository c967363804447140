//! End-to-end tests of the `detente` binary: one test binary for the crate (faster to build and smaller than one per file);
//! each module is one former test file, so a test is named `<file>::<test>`.

mod cli;
mod common;
mod conflict;
mod corpus;
mod forecast;
mod html_report;
mod limits;
mod outputs;
mod serve;
mod study;
mod tournament;
