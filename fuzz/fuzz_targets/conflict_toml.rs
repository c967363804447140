#![no_main]
// See detente_formats::fuzzing::conflict_toml for what this target checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| detente_formats::fuzzing::conflict_toml(data));
