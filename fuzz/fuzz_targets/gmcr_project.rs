#![no_main]
// See detente_formats::fuzzing::gmcr_project for what this target checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| detente_formats::fuzzing::gmcr_project(data));
