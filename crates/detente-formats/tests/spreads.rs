//! Stated spreads (format 1, extended compatibly): read beside the scenario, checked with located
//! errors, absent from files that do not state them.

use detente_formats::native::{from_toml_str, spreads_from_toml_str, SpreadShape, SpreadTarget};

const BASE: &str = r#"
format = 1
id = "mini"
title = "Mini"

[[issues]]
id = "territory"
kind = "ordinal"
options = [{ id = "a", scale = 0 }, { id = "b", scale = 50 }, { id = "c", scale = 100 }]

[[issues]]
id = "flag"
kind = "categorical"
options = ["x", "y"]

[[actors]]
id = "russia"
capability = 80
CAPABILITY

[actors.preferences]
type = "spatial"

[actors.preferences.positions]
territory = { ideal = 100, salience = 0.9 TERRITORY }
flag = { ideal = "x", salience = 0.5 FLAG }
"#;

fn file(capability: &str, territory: &str, flag: &str) -> String {
    BASE.replace("CAPABILITY", capability).replace("TERRITORY", territory).replace("FLAG", flag)
}

#[test]
fn files_without_spreads_read_as_before() {
    let text = file("", "", "");
    let (s, spreads) = spreads_from_toml_str(&text, "mini.toml").unwrap();
    assert!(spreads.is_empty());
    assert_eq!(s, from_toml_str(&text, "mini.toml").unwrap());
}

#[test]
fn every_shape_is_read() {
    let text = file("capability_range = [60, 100]", ", ideal_range = [67, 100], ideal_mode = 100, salience_sd = 0.1", "");
    let (_, spreads) = spreads_from_toml_str(&text, "mini.toml").unwrap();
    assert_eq!(spreads.len(), 3);
    assert_eq!(spreads[0].target, SpreadTarget::Capability);
    assert_eq!(spreads[0].shape, SpreadShape::Uniform { lo: 60.0, hi: 100.0 });
    assert_eq!(spreads[1].target, SpreadTarget::Ideal("territory".into()));
    assert_eq!(spreads[1].shape, SpreadShape::Triangular { lo: 67.0, mode: 100.0, hi: 100.0 });
    assert_eq!(spreads[2].target, SpreadTarget::Salience("territory".into()));
    assert_eq!(spreads[2].shape, SpreadShape::Normal { mean: 0.9, sd: 0.1 });
}

#[test]
fn bad_spreads_get_located_errors() {
    let cases = [
        (file("", ", ideal_range = [90, 110]", ""), "ideal_range", "within [0, 100]"),
        (file("", ", ideal_range = [10, 50]", ""), "ideal_range", "must contain the stated ideal 100"),
        (file("", ", ideal_mode = 90", ""), "ideal_mode", "needs `ideal_range"),
        (file("", ", salience_range = [0.5, 1], salience_sd = 0.1", ""), "salience_sd", "not both"),
        (file("capability_sd = -1", "", ""), "capability_sd", "≥ 0"),
        (file("", "", ", ideal_range = [0, 1]"), "ideal_range", "categorical"),
    ];
    for (text, key, says) in cases {
        let e = spreads_from_toml_str(&text, "mini.toml").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(says), "{key}: {msg}");
        let loc = e.location().expect("located");
        let line = text.lines().nth(loc.line - 1).unwrap();
        assert!(line.contains(key.split('_').next().unwrap()), "{key} at line {}: {line}", loc.line);
        // the plain reader checks the spreads too: a bad range is never silently accepted
        assert!(from_toml_str(&text, "mini.toml").is_err());
    }
}
