//! GeniusWeb JSON: the spec's worked example (§A.3) and a second, legacy-tagged profile, with
//! utilities computed by hand; folder loading; exact error messages.

use detente_core::{IssueKind, Reservation, Scenario};
use detente_formats::geniusweb;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/geniusweb").join(name)
}

fn u(s: &Scenario, actor: &str, outcome: &str) -> f64 {
    let o = s.space.parse(outcome).unwrap();
    s.actor(actor).unwrap().preferences.utility(&s.space, &o)
}

#[test]
fn folder_with_two_profiles_and_a_domain_is_one_scenario_with_hand_computed_utilities() {
    let s = geniusweb::load_folder(&fixture("ceasefire")).unwrap();
    assert_eq!(s.meta.id, "ceasefiremini");
    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["sideA", "sideB"], "profiles in file-name order");
    assert_eq!(s.actors[1].name.as_deref(), Some("side B"));
    assert_eq!(s.space.cardinality().as_u64(), Some(909));
    assert!(matches!(s.space.issues()[2].kind, IssueKind::Integer { min: 0, max: 100, step: 1, .. }));
    // Spec: 0.5·0.4 + 0.3·0.75 + 0.2·(1 − 40/100) = 0.545.
    assert!((u(&s, "sideA", "line=partial, guarantees=eu_force, relief=40") - 0.545).abs() < 1e-12);
    // Side B: "full" has no entry (worth 0); relief interpolates 0 → 0.9 on [20, 80], 0 outside.
    assert!((u(&s, "sideB", "line=full, guarantees=none, relief=50") - (0.25 * 0.0 + 0.25 * 1.0 + 0.5 * 0.45)).abs() < 1e-12);
    assert!((u(&s, "sideB", "line=freeze, guarantees=nato, relief=90") - 0.25).abs() < 1e-12);
    assert!((u(&s, "sideB", "line=freeze, guarantees=nato, relief=80") - (0.25 + 0.5 * 0.9)).abs() < 1e-12);
    assert_eq!(s.actors[0].preferences.reservation, Reservation::None);
    let rb = s.space.parse("line=partial, guarantees=eu_force, relief=50").unwrap();
    assert_eq!(s.actors[1].preferences.reservation, Reservation::Outcome(rb));
    let rv = s.actors[1].preferences.reservation_value(&s.space);
    assert!((rv - (0.25 * 0.5 + 0.25 * 0.4 + 0.5 * 0.45)).abs() < 1e-12, "{rv}");
}

#[test]
fn one_profile_file_loads_alone_and_load_path_dispatches() {
    let s = geniusweb::load_file(&fixture("ceasefire/sideA.json")).unwrap();
    assert_eq!(s.actors.len(), 1);
    let folder = detente_formats::load_path(&fixture("ceasefire")).unwrap();
    assert_eq!(folder.actors.len(), 2);
    let file = detente_formats::load_path(&fixture("ceasefire/sideB.json")).unwrap();
    assert_eq!(file.actors[0].preferences, folder.actors[1].preferences);
    assert!(geniusweb::is_geniusweb_folder(&fixture("ceasefire")));
    let text = std::fs::read_to_string(fixture("ceasefire/sideA.json")).unwrap();
    assert!(geniusweb::looks_like_geniusweb(&text));
    assert!(!geniusweb::looks_like_geniusweb(r#"{"format": 1, "issues": []}"#));
}

#[test]
fn number_value_sets_become_integer_or_real_grids() {
    let domain = r#"{"name": "n", "issuesValues": {"p": {"range": {"low": 12.2, "high": 12.6, "step": 0.3}}, "q": {"NumberValueSet": {"range": {"low": 2, "high": 10, "step": 4}}}}}"#;
    let profile = r#"{"LinearAdditiveUtilitySpace": {"domain": {"name": "n", "issuesValues": {"p": {"range": {"low": 12.2, "high": 12.6, "step": 0.3}}, "q": {"NumberValueSet": {"range": {"low": 2, "high": 10, "step": 4}}}}},
        "issueWeights": {"p": 0.5, "q": 0.5},
        "issueUtilities": {"p": {"NumberValueSetUtilities": {"lowValue": 12.2, "lowUtility": 0, "highValue": 12.8, "highUtility": 1}},
                           "q": {"numberutils": {"lowValue": 2, "lowUtility": 1, "highValue": 10, "highUtility": 0}}},
        "reserved_value": 0.2}}"#;
    let s = geniusweb::from_strs(Some(("d.json", domain)), &[("a.json", profile)]).unwrap();
    match s.space.issues()[0].kind {
        IssueKind::Real { min, max, grid, .. } => {
            assert_eq!((min, grid), (12.2, Some(2)));
            assert!((max - 12.5).abs() < 1e-12, "{max}");
        }
        ref k => panic!("{k:?}"),
    }
    assert!(matches!(s.space.issues()[1].kind, IssueKind::Integer { min: 2, max: 10, step: 4, .. }));
    assert_eq!(s.space.cardinality().as_u64(), Some(6));
    // p = 12.5 → 0.3/0.6 = 0.5; q = 6 → 0.5.
    let o = s.space.outcome_from_indices(&[1, 1]).unwrap();
    assert!((s.actors[0].preferences.utility(&s.space, &o) - 0.5).abs() < 1e-12);
    assert_eq!(s.actors[0].preferences.reservation, Reservation::Value(0.2));
}

fn side_a() -> String {
    std::fs::read_to_string(fixture("ceasefire/sideA.json")).unwrap()
}

fn err(profile: &str) -> String {
    geniusweb::from_strs(None, &[("a.json", profile)]).unwrap_err().to_string()
}

#[test]
fn errors_name_the_place_and_what_was_expected() {
    let p = side_a().replace(r#""relief": 0.2}"#, r#""relief": 0.3}"#);
    assert_eq!(err(&p), "a.json:7:20: the weights sum to 1.1; GeniusWeb requires them to sum to 1");
    let p = side_a().replace(r#""full": 1.0}"#, r#""full": 1.5}"#);
    assert_eq!(err(&p), "a.json:9:105: utility 1.5 on issue `line` is outside [0, 1]; GeniusWeb utilities lie in [0, 1]");
    let p = side_a().replace(r#""partial": 0.4"#, r#""withdraw": 0.4"#);
    assert_eq!(
        err(&p),
        "a.json:9:93: utility for \"withdraw\", which is not a value of issue `line`; expected one of: freeze, partial, full"
    );
    let p = side_a().replace(r#""issueWeights": {"line": 0.5, "guarantees": 0.3"#, r#""issueWeights": {"line": 0.5, "guarantee": 0.3"#);
    assert_eq!(err(&p), "a.json:7:47: weight for `guarantee`, which is not an issue of the domain");
    let p = side_a().replace("LinearAdditiveUtilitySpace", "SumOfGroupsUtilitySpace");
    assert_eq!(err(&p), "a.json:1:1: profile class `SumOfGroupsUtilitySpace` is not supported; expected LinearAdditiveUtilitySpace");
    let p = side_a().replace(r#""reservationBid": null"#, r#""reservationBid": {"issuevalues": {"line": "partial"}}"#);
    // Each value missing is its own error.
    assert_eq!(
        all_errors(geniusweb::from_strs(None, &[("a.json", &p)])),
        [
            "a.json:12:38: the reservation bid gives no value for issue `guarantees`; detente needs a complete reservation outcome",
            "a.json:12:38: the reservation bid gives no value for issue `relief`; detente needs a complete reservation outcome",
        ]
    );
    let p = side_a().replace(
        r#""reservationBid": null"#,
        r#""reservationBid": {"issuevalues": {"line": "partial", "guarantees": "none", "relief": 100.5}}"#,
    );
    assert_eq!(err(&p), "a.json:12:90: 100.5 is not a value of issue `relief`");
    let p = side_a().replace(r#""lowValue": 0,"#, r#""lowValue": 100,"#);
    assert_eq!(err(&p), "a.json:11:46: the number utilities of `relief` have lowValue 100 ≥ highValue 100; expected lowValue < highValue");
    // JSON syntax errors are serde_json's, worded as for detente's own JSON format.
    assert_eq!(err(r#"{"LinearAdditiveUtilitySpace": {"name": "x",}}"#), "a.json:1:45: key must be a string");
    assert_eq!(
        err(r#"{"LinearAdditiveUtilitySpace": {"name": "x", "name": "y"}}"#),
        "a.json:1:46: key \"name\" appears twice in this object; expected unique keys"
    );
    let p = side_a().replace(r#""name": "sideA","#, r#""name": "sideA", "discount": 0.9,"#);
    assert!(
        err(&p).starts_with("a.json:2:33: unknown field `discount` of LinearAdditiveUtilitySpace; expected one of: name, domain"),
        "{}",
        err(&p)
    );
}

#[test]
fn profiles_of_a_folder_must_share_the_domain() {
    let a = side_a();
    let b = a.replace(r#""high": 100, "step": 1}}}},"#, r#""high": 90, "step": 1}}}},"#);
    let e = geniusweb::from_strs(None, &[("a.json", &a), ("b.json", &b)]).unwrap_err().to_string();
    assert_eq!(
        e,
        "b.json:3:14: this profile's domain differs from the one in a.json; expected every profile of a folder to share one domain"
    );
}

#[test]
fn load_path_names_both_folder_formats_when_neither_is_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let e = detente_formats::load_path(dir.path()).unwrap_err().to_string();
    assert!(
        e.ends_with("is a folder with neither a GENIUS domain (an .xml file with <negotiation_template>) nor GeniusWeb profiles (.json files with a LinearAdditiveUtilitySpace)"),
        "{e}"
    );
}

// ---------------------------------------------------------------- every error, not the first

/// Each error of a result, one string per error, in the order reported.
fn all_errors(r: Result<Scenario, detente_formats::FormatError>) -> Vec<String> {
    match r {
        Ok(_) => panic!("expected errors, the files loaded"),
        Err(e) => e.errors().iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_profile_with_three_mistakes_reports_all_three_in_file_order() {
    let p = side_a()
        .replace(r#""guarantees": 0.3, "relief""#, r#""guarantees": 1.3, "relief""#)
        .replace(r#""full": 1.0}"#, r#""full": 1.5}"#)
        .replace(r#""lowValue": 0,"#, r#""lowValue": 100,"#);
    // Not also "the weights sum to 2.0": the bad weight is the reason, reported once.
    assert_eq!(
        all_errors(geniusweb::from_strs(None, &[("a.json", &p)])),
        [
            "a.json:7:48: the weight of `guarantees` is 1.3; expected a number in [0, 1]",
            "a.json:9:105: utility 1.5 on issue `line` is outside [0, 1]; GeniusWeb utilities lie in [0, 1]",
            "a.json:11:46: the number utilities of `relief` have lowValue 100 ≥ highValue 100; expected lowValue < highValue",
        ]
    );
}

#[test]
fn a_bad_domain_issue_is_reported_once_not_again_at_its_utilities() {
    let p = side_a()
        .replace(r#""line": {"values": ["freeze", "partial", "full"]}"#, r#""line": {"values": ["freeze", "partial", "freeze"]}"#)
        .replace(r#""step": 1}}}},"#, r#""step": 0}}}},"#)
        .replace(r#""relief": 0.2}"#, r#""relief": "low"}"#);
    // `line` lost `full`, which its utilities name; `relief` has no value set for its number
    // utilities to be checked against: neither is reported again.
    assert_eq!(
        all_errors(geniusweb::from_strs(None, &[("a.json", &p)])),
        [
            "a.json:4:49: value \"freeze\" of issue `line` is empty or listed twice; expected distinct values",
            "a.json:6:28: the range of issue `relief` has low 0, high 100, step 0; expected low ≤ high and step > 0",
            "a.json:7:63: the weight of `relief` is a string; expected a number",
        ]
    );
}

#[test]
fn every_bad_profile_of_a_folder_is_reported_and_a_misspelt_wrapper_is_one_of_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("ceasefire/ceasefiremini.json"), dir.path().join("ceasefiremini.json")).unwrap();
    std::fs::write(dir.path().join("a.json"), side_a().replace(r#""partial": 0.4"#, r#""withdraw": 0.4"#)).unwrap();
    std::fs::write(dir.path().join("b.json"), side_a().replace("LinearAdditiveUtilitySpace", "LinearAdditiveUtilitySpac")).unwrap();
    let c = side_a().replace(r#""name": "sideA","#, r#""name": "sideA", "discount": 0.9,"#).replace(r#""nato": 1.0"#, r#""nato": "high""#);
    std::fs::write(dir.path().join("c.json"), c).unwrap();
    std::fs::write(dir.path().join("d.json"), side_a()).unwrap();
    // Plainly something else: skipped, as before.
    std::fs::write(dir.path().join("settings.json"), r#"{"deadline": {"rounds": 100}}"#).unwrap();
    let at = |f: &str| dir.path().join(f).display().to_string();
    assert!(geniusweb::is_geniusweb_folder(dir.path()));
    assert_eq!(
        all_errors(geniusweb::load_folder(dir.path())),
        [
            format!(
                "{}:9:93: utility for \"withdraw\", which is not a value of issue `line`; expected one of: freeze, partial, full",
                at("a.json")
            ),
            format!(
                "{}:1:2: the wrapper key is `LinearAdditiveUtilitySpac`, which is not a GeniusWeb profile class; expected \
                 `LinearAdditiveUtilitySpace`: a misspelling? (files whose only key is far from every profile class are skipped)",
                at("b.json")
            ),
            format!(
                "{}:2:33: unknown field `discount` of LinearAdditiveUtilitySpace; expected one of: name, domain, issueWeights, \
                 issueUtilities, reservationBid, reserved_value",
                at("c.json")
            ),
            format!("{}:10:112: the utility of \"nato\" is a string; expected a number", at("c.json")),
        ]
    );
}

#[test]
fn a_misspelt_wrapper_is_named_wherever_the_file_is_loaded() {
    let p = side_a().replace("LinearAdditiveUtilitySpace", "linearadditiveutilityspace");
    assert!(geniusweb::looks_like_geniusweb(&p), "load_path sends it to the GeniusWeb reader");
    let want = "a.json:1:2: the wrapper key is `linearadditiveutilityspace`, which is not a GeniusWeb profile class; expected \
                `LinearAdditiveUtilitySpace`: a misspelling? (files whose only key is far from every profile class are skipped)";
    assert_eq!(err(&p), want);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), &p).unwrap();
    let e = detente_formats::load_path(&dir.path().join("a.json")).unwrap_err().to_string();
    assert!(e.ends_with(&want["a.json".len()..]), "{e}");
    let e = detente_formats::load_path(dir.path()).unwrap_err().to_string();
    assert!(e.ends_with(&want["a.json".len()..]), "{e}");
    // Far from every class: not a profile, as before.
    assert!(!geniusweb::looks_like_geniusweb(r#"{"LinearUtility": {}}"#));
}
