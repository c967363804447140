//! `detente conflict` as a person uses it: the seed's stability lens (golden), its JSON (the
//! library's report, states by number and Y/N pattern), the DOT file (never clobbered), a
//! conflict-only file, a gmcr-py project, filters and mistakes.

use crate::common::{detente, json, stderr, stdout};

fn s(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn the_seed_conflict_is_golden() {
    let o = detente(&["conflict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("## Options and states") && text.contains("## Stability") && text.contains("## From the status quo"), "{text}");
    let wide: Vec<&str> = text.lines().filter(|l| l.chars().count() > 100).collect();
    assert!(wide.is_empty(), "lines over 100 columns: {wide:#?}");
    insta::assert_snapshot!("seed_conflict", text);
}

#[test]
fn json_is_the_library_report_with_numbers_and_patterns() {
    let o = detente(&["conflict", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["schema"], "detente.stability/1");
    let states = v["states"].as_array().unwrap();
    assert_eq!(states.len(), 60);
    assert_eq!(states[0]["number"], 1);
    assert_eq!(states[0]["label"].as_str().unwrap().len(), 9);
    assert!(v["status_quo"]["state"].as_u64().is_some());
}

#[test]
fn filters_by_concept_and_decision_maker() {
    let o = detente(&["conflict", "--concept", "nash", "--concept", "seq", "--dm", "russia", "--dm", "ukraine"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("(russia, ukraine)"), "{text}");
    assert!(!text.contains("GMR"), "{text}");
    let o = detente(&["conflict", "--dm", "china"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no decision maker `china`; its ids are russia, ukraine, usa, europe"), "{}", stderr(&o));
    assert_eq!(detente(&["conflict", "--concept", "nashh"]).status.code(), Some(2));
}

#[test]
fn dot_is_written_once_and_not_clobbered_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("g.dot");
    let o = detente(&["conflict", "--dot", s(&p)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dot = std::fs::read_to_string(&p).unwrap();
    assert!(dot.starts_with("digraph transitions {") && dot.contains("digraph status_quo {"), "{dot}");
    let o = detente(&["conflict", "--dot", s(&p)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("g.dot: already exists; give --force to replace it"), "{}", stderr(&o));
    assert!(detente(&["conflict", "--dot", s(&p), "--force"]).status.success());
}

#[test]
fn a_conflict_only_file_and_a_gmcr_project() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c.toml");
    std::fs::write(
        &c,
        "format = 2\n[conflict]\ntitle = \"Chicken\"\nstatus_quo = []\n[[conflict.dms]]\nid = \"a\"\noptions = [{ id = \"swerve\" }]\npriorities = [\"-b.swerve\", \"a.swerve\"]\n[[conflict.dms]]\nid = \"b\"\noptions = [{ id = \"swerve\" }]\npriorities = [\"-a.swerve\", \"b.swerve\"]\n",
    )
    .unwrap();
    let o = detente(&["conflict", s(&c)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Chicken") && stdout(&o).contains("## Tableau (SEQ)"), "{}", stdout(&o));
    // as a scenario, it is a conflict only, not a list of missing keys
    let o = detente(&["scenario", "show", s(&c)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("holds only a `[conflict]` part") && stderr(&o).contains("detente conflict"), "{}", stderr(&o));
    let g = dir.path().join("pd.gmcr");
    std::fs::write(
        &g,
        r#"{"options": [{"name": "Cooperate with 2", "permittedDirection": "both"}, {"name": "Cooperate with One", "permittedDirection": "both"}],
 "decisionMakers": [{"name": "Prisoner One", "options": [0], "preferences": [[[1, "Y"]], [[0, "N"]]]},
  {"name": "prisoner 2", "options": [1], "preferences": [[[0, "Y"]], [[1, "N"]]]}],
 "infeasibles": [], "useManualPreferenceRanking": false, "program": "gmcr-py", "version": "0.4.1"}"#,
    )
    .unwrap();
    let o = detente(&["conflict", s(&g), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    let labels: Vec<&str> = v["states"].as_array().unwrap().iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["NN", "YN", "NY", "YY"]);
    assert_eq!(v["equilibria"]["Nash"], serde_json::json!([1]));
    assert_eq!(v["equilibria"]["GMR"], serde_json::json!([1, 4]));
    // a located error
    std::fs::write(&g, "{\"options\": 3}").unwrap();
    let o = detente(&["conflict", s(&g)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("pd.gmcr:1:13: found a number; expected an array of options"), "{}", stderr(&o));
}

#[test]
fn study_shows_the_stability_lens_in_text_json_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("r.html");
    let o = detente(&["study", "--runs", "0", "--seeds", "0", "--html", s(&page)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("id=\"stability\"") && html.contains("What deters each side from leaving"), "no stability section");
    let o = detente(&["study", "--runs", "0", "--seeds", "0", "--json"]);
    let v = json(&o);
    assert_eq!(v["stability"]["states"].as_array().unwrap().len(), 60);
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["evidence"] == "stability"));
    // a scenario without a conflict part: nothing in the briefing, a line in --full, no JSON key
    let o = detente(&["study", "scenarios/textbook-bilateral.toml", "--runs", "0", "--seeds", "0", "--json"]);
    assert!(json(&o).get("stability").is_none());
}
