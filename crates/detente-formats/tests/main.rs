//! Integration tests of detente-formats: one test binary for the crate (faster to build and smaller than one per file);
//! each module is one former test file, so a test is named `<file>::<test>`.

mod actor_table;
mod conflict;
mod fuzz_corpus;
mod genius;
mod geniusweb;
mod ktab;
mod limits;
mod native;
mod spreads;
mod units;
