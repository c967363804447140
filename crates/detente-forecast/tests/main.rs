//! Integration tests of detente-forecast: one test binary for the crate (faster to build and smaller than one per file);
//! each module is one former test file, so a test is named `<file>::<test>`.

mod common;
mod eu_capitulation;
mod exchange;
mod properties;
mod scenario;
mod units;
mod vectors_eu;
mod vectors_smp;
