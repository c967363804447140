//! Integration tests of detente-study: one test binary for the crate (faster to build and smaller than one per file);
//! each module is one former test file, so a test is named `<file>::<test>`.

mod comparison;
mod quality;
mod study;
