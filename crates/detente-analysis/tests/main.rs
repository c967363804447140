//! Integration tests of detente-analysis: one test binary for the crate (faster to build and smaller than one per file);
//! each module is one former test file, so a test is named `<file>::<test>`.

mod genius_golden;
mod large_and_quality;
mod negmas_vectors;
mod properties;
mod quality;
