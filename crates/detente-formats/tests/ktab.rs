//! KTAB's SMP CSV input: a fixture of our own read field by field, its TOML pinned as a golden
//! file, the TOML read back equal to the CSV's scenario, and dispatch by extension.

use detente_core::{SalienceConvention, Utility};
use detente_formats::ktab::from_csv_str;
use detente_formats::native::{from_toml_str, to_toml_string};
use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/ktab/grid-reform.csv")
}

#[test]
fn a_ktab_csv_reads_as_its_layout_says() {
    let s = detente_formats::load_path(&fixture()).expect("reads by extension");
    assert_eq!(s.meta.id, "grid-reform");
    assert_eq!(s.meta.description.as_deref(), Some("Made-up case for the reader test: tariffs, subsidies, market opening"));
    assert_eq!(s.salience, SalienceConvention::AttentionShares);
    let dims: Vec<&str> = s.space.issues().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(dims, ["Tariff Level", "Market Opening"], "dimensions are named by the header's position columns");
    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["Ministry", "Regulator", "Utility", "Consumers"]);
    let m = &s.actors[0];
    assert_eq!(m.description.as_deref(), Some("Energy ministry, planning"), "a quoted field keeps its comma");
    assert_eq!(m.capability, 80.0);
    let Utility::Spatial(sp) = &m.preferences.utility else { panic!("spatial") };
    let cells: Vec<(f64, f64)> = sp.positions.iter().map(|p| p.as_ref().map(|p| (p.ideal, p.salience)).unwrap()).collect();
    assert_eq!(cells, [(30.0, 0.6), (20.0, 0.4)], "positions as stated on 0-100, saliences / 100");
    assert_eq!(s.actors[1].capability, 45.5);
}

/// The TOML `scenario convert` writes for the fixture, pinned; it reads back to the same
/// scenario. `DETENTE_BLESS=1` rewrites the golden file.
#[test]
fn a_ktab_csv_converts_to_pinned_toml_and_back() {
    let text = std::fs::read_to_string(fixture()).unwrap();
    let s = from_csv_str(&text, "grid-reform.csv").expect("reads");
    let toml = to_toml_string(&s).expect("writes");
    let golden = fixture().with_extension("toml");
    if std::env::var_os("DETENTE_BLESS").is_some() {
        std::fs::write(&golden, &toml).unwrap();
    }
    assert_eq!(toml, std::fs::read_to_string(&golden).expect("golden file"), "the converted TOML changed");
    assert!(toml.contains("salience = \"attention_shares\""), "{toml}");
    assert_eq!(from_toml_str(&toml, "grid-reform.toml").expect("reads back"), s);
}

#[test]
fn a_blank_or_truncated_file_is_an_error_not_a_panic() {
    for text in ["", "\n\n", "x", "x,y", "x,y,3", "x,y,3,1", "x,y,3,1\nActor", "x,y,99999999999999999999,1", "x,y,3,18446744073709551615"] {
        let e = from_csv_str(text, "t.csv").expect_err(text);
        assert!(e.to_string().starts_with("t.csv:") || e.to_string().contains("t.csv:"), "{text:?}: {e}");
    }
}
