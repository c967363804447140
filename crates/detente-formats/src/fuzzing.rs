//! The bodies of the fuzz targets (`fuzz/fuzz_targets/*.rs`, run with `cargo fuzz`), here so
//! that the regression test (`tests/fuzz_corpus.rs`) runs every kept corpus input and crash
//! reproducer through exactly the same code on stable Rust. Not an API: each function takes
//! arbitrary bytes and must return without panicking, hanging or running out of memory; what it
//! checks beyond that is said on each.

use crate::genius::Semantics;
use crate::{genius, geniusweb, ktab, native, FormatError};
use detente_core::{NegotiatorSpec, Scenario};

/// A fuzz target's body.
pub type Body = fn(&[u8]);

/// Every fuzz target, by the name of its file in `fuzz/fuzz_targets/` and of its corpus folder.
pub const TARGETS: [(&str, Body); 9] = [
    ("native_toml", native_toml),
    ("native_json", native_json),
    ("genius_xml", genius_xml),
    ("geniusweb_json", geniusweb_json),
    ("variants", variants),
    ("negotiator_spec", negotiator_spec),
    ("ktab_csv", ktab_csv),
    ("gmcr_project", gmcr_project),
    ("conflict_toml", conflict_toml),
];

/// The error is rendered as the CLI would print its message (every located error of a list).
fn render(e: &FormatError) {
    let _ = e.to_string();
}

/// A read's result checked: a scenario round-trips, an error renders.
fn check(read: Result<Scenario, FormatError>) {
    match read {
        Ok(s) => round_trip(&s),
        Err(e) => render(&e),
    }
}

/// A scenario that loaded writes itself in both native formats, and what it writes loads again
/// (a scenario that cannot be written back, or whose file is refused, is a bug).
fn round_trip(s: &Scenario) {
    let toml = native::to_toml_string(s).expect("a valid scenario writes as TOML");
    native::from_toml_str(&toml, "round-trip.toml").unwrap_or_else(|e| panic!("its own TOML is refused: {e}\n{toml}"));
    let json = native::to_json_string(s).expect("a valid scenario writes as JSON");
    native::from_json_str(&json, "round-trip.json").unwrap_or_else(|e| panic!("its own JSON is refused: {e}\n{json}"));
}

/// A native TOML scenario: read; if valid, written back and read again.
pub fn native_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    check(native::from_toml_str(text, "fuzz.toml"))
}

/// A native JSON scenario: read; if valid, written back and read again.
pub fn native_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    check(native::from_json_str(text, "fuzz.json"))
}

/// Splits an input at the first NUL byte (absent: all of it is the first part).
fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// A GENIUS domain and one profile (the input split at its first NUL byte), read as raw bytes
/// (the reader's lenient sanitiser and encoding detection included) under both semantics.
pub fn genius_xml(data: &[u8]) {
    let (domain, profile) = split(data);
    for semantics in [Semantics::Genius, Semantics::Negmas] {
        check(genius::from_bytes(("domain.xml", domain), &[("party.xml", profile)], semantics));
    }
}

/// A GeniusWeb profile, with a domain file before it when the input has a NUL byte.
pub fn geniusweb_json(data: &[u8]) {
    let (first, second) = split(data);
    let (Ok(a), Ok(b)) = (std::str::from_utf8(first), std::str::from_utf8(second)) else { return };
    let r = if data.contains(&0) {
        geniusweb::from_strs(Some(("domain.json", a)), &[("party.json", b)])
    } else {
        geniusweb::from_strs(None, &[("party.json", a)])
    };
    check(r)
}

/// KTAB's SMP CSV input: read; if valid, written back in the native formats and read again.
pub fn ktab_csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    check(ktab::from_csv_str(text, "case.csv"))
}

/// A native TOML scenario whose every variant is applied (a variant that validates is a
/// scenario, and is written back and read again).
pub fn variants(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(s) = native::from_toml_str(text, "fuzz.toml") else { return };
    for v in &s.variants {
        if let Ok(w) = s.with_variant(&v.id) {
            round_trip(&w);
        }
    }
}

/// The negotiator grammar of `--negotiators` and `strategy` (`boa(e=0.2,ac=next)`): what parses
/// prints in canonical form, and that form parses to the same spec.
pub fn negotiator_spec(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(spec) = NegotiatorSpec::parse(text) {
        let canonical = spec.to_string();
        assert_eq!(NegotiatorSpec::parse(&canonical).as_ref(), Ok(&spec), "{text:?} prints as {canonical:?}");
    }
}

/// A gmcr-py / GMCR+ project (`.gmcr`): a conflict, or an error that renders.
pub fn gmcr_project(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = crate::conflict::from_gmcr_str(text, "project.gmcr") {
        render(&e);
    }
}

/// A detente TOML file's `[conflict]` part: a conflict, or an error that renders.
pub fn conflict_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = crate::conflict::from_toml_str(text, "conflict.toml") {
        render(&e);
    }
}
