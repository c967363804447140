//! Stated spreads (format 1, extended compatibly): read into the model's spread slots, checked
//! with located errors, absent from files that do not state them, written back by the writer.

use detente_core::{Scenario, Spread, Utility};
use detente_formats::native::{from_json_str, from_toml_str, to_json_string, to_toml_string};

fn positions(s: &Scenario) -> Vec<Option<detente_core::Position>> {
    let Utility::Spatial(sp) = &s.actors[0].preferences.utility else { panic!("spatial") };
    sp.positions.clone()
}

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
    let s = from_toml_str(&text, "mini.toml").unwrap();
    assert_eq!(s.actors[0].capability_spread, None);
    assert!(positions(&s).iter().flatten().all(|p| p.ideal_spread.is_none() && p.salience_spread.is_none()));
    assert!(!to_toml_string(&s).unwrap().contains("_range"));
}

#[test]
fn every_shape_is_read_and_written_back() {
    let text = file("capability_range = [60, 100]", ", ideal_range = [67, 100], ideal_mode = 100, salience_sd = 0.1", "");
    let s = from_toml_str(&text, "mini.toml").unwrap();
    assert_eq!(s.actors[0].capability_spread, Some(Spread::Uniform { lo: 60.0, hi: 100.0 }));
    let territory = positions(&s)[0].clone().unwrap();
    assert_eq!(territory.ideal_spread, Some(Spread::Triangular { lo: 67.0, mode: 100.0, hi: 100.0 }));
    assert_eq!(territory.salience_spread, Some(Spread::Normal { sd: 0.1 }));
    let toml = to_toml_string(&s).unwrap();
    assert!(toml.contains("capability_range = [60.0, 100.0]") || toml.contains("capability_range = [60, 100]"), "{toml}");
    assert!(toml.contains("ideal_mode") && toml.contains("salience_sd"), "{toml}");
    assert_eq!(from_toml_str(&toml, "out.toml").unwrap(), s);
    assert_eq!(from_json_str(&to_json_string(&s).unwrap(), "out.json").unwrap(), s);
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
        let e = from_toml_str(&text, "mini.toml").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(says), "{key}: {msg}");
        let loc = e.location().expect("located");
        let line = text.lines().nth(loc.line - 1).unwrap();
        assert!(line.contains(key.split('_').next().unwrap()), "{key} at line {}: {line}", loc.line);
    }
}
