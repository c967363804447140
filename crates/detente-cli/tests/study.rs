//! The study as a reader gets it: golden snapshots of the text briefing and the JSON report,
//! determinism (same seed, same bytes, whatever the thread count), and the promises the
//! briefing makes (its length and width, no reference-scenario text for another scenario).

use crate::common::{detente, json, repo, stderr, stdout};
use std::process::Command;

fn study(args: &[&str]) -> String {
    let mut all = vec!["study"];
    all.extend_from_slice(args);
    let o = detente(&all);
    assert!(o.status.success(), "{all:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn the_built_in_briefing_is_golden() {
    // 20 robustness runs keep the test quick; the sentences and tables are those of the default.
    insta::assert_snapshot!("built_in_briefing", study(&["--runs", "20"]));
}

#[test]
fn the_full_briefing_of_a_textbook_scenario_is_golden() {
    insta::assert_snapshot!("three_party_full", study(&["scenarios/textbook-three-party.toml", "--full", "--runs", "10"]));
}

#[test]
fn the_json_report_is_golden() {
    insta::assert_snapshot!("bilateral_json", study(&["scenarios/textbook-bilateral.toml", "--runs", "10", "--json"]));
}

#[test]
fn the_briefing_fits_a_terminal() {
    let text = study(&[]);
    let lines = text.lines().count();
    // 180 before red lines and the notes on changes a lens does not read, 185 before the third
    // mediated deal (#10) lengthened the simulation finding. The aim is ~150: trim, do not raise.
    // 199 with the comparison over seeds (#10, item 8), back to 180 by condensing: the rates over
    // seeds are the simulation section's one compact table (the one-seed runs are in the
    // findings and --full), cases with the same zone and deals share a row, long issue-by-issue
    // changes of the opening test are in --full; 182 with the words that say which Nash deal is
    // meant (the one with the mediator counted, or that of the parties that must agree).
    assert!(lines <= 188, "the default briefing has {lines} lines (391 before the briefing; ~150 is the aim)");
    let wide: Vec<&str> = text.lines().filter(|l| l.chars().count() > 100).collect();
    assert!(wide.is_empty(), "lines over 100 columns: {wide:#?}");
    assert!(text.starts_with("US-mediated Russia–Ukraine ceasefire talks"), "{text}");
    let findings = text.find("## Findings").expect("findings");
    assert!(findings < text.find("## The scenario").expect("scenario"), "findings come first");
}

#[test]
fn same_seed_same_bytes_whatever_the_thread_count() {
    let run = |threads: &str, seed: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_detente"))
            .args(["study", "--json", "--runs", "12", "--seed", seed])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(repo())
            .output()
            .expect("the binary runs");
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let one = run("1", "3");
    assert_eq!(one, run("2", "3"), "1 and 2 threads give the same report");
    assert_eq!(one, run("1", "3"), "the same seed gives the same bytes");
    assert_ne!(one, run("1", "4"), "another seed draws other inputs");
}

#[test]
fn nothing_about_the_reference_article_is_printed_for_another_scenario() {
    let text = study(&["scenarios/textbook-three-party.toml", "--runs", "0"]);
    for needle in ["L29", "ceasefire", "russia", "ukraine", "early concessions"] {
        assert!(!text.contains(needle), "{needle:?} in a study of another scenario:\n{text}");
    }
}

#[test]
fn a_scenario_without_spreads_says_why_robustness_did_not_run() {
    let v = json(&detente(&["study", "scenarios/textbook-bilateral.toml", "--json"]));
    assert_eq!(v["robustness"]["status"], "not_run");
    assert!(v["robustness"]["reason"].as_str().is_some_and(|r| r.contains("states no spreads")), "{}", v["robustness"]);
}

#[test]
fn robustness_reports_probabilities_with_intervals() {
    let v = json(&detente(&["study", "--json", "--runs", "16"]));
    let r = &v["robustness"];
    assert_eq!(r["status"], "ran");
    assert_eq!(r["runs"], 16);
    let inputs = r["inputs"].as_array().expect("inputs");
    assert!(inputs.len() >= 4, "the reference scenario states spreads: {inputs:?}");
    for p in [&r["zone"], &r["nash_unchanged"], &r["protocols"][0]["deal"]] {
        let (x, lo, hi) = (p["p"].as_f64().unwrap(), p["lo"].as_f64().unwrap(), p["hi"].as_f64().unwrap());
        assert!((0.0..=1.0).contains(&x) && lo <= x && x <= hi, "{p}");
    }
    assert_eq!(r["sensitivity"].as_array().map(Vec::len), Some(inputs.len()), "one row per uncertain input");
    let bands = v["forecast"]["trajectories"][0]["bands"].as_array().expect("Monte Carlo bands on the rounds");
    assert_eq!(bands.len(), v["forecast"]["trajectories"][0]["forecast"].as_array().unwrap().len());
}

#[test]
fn too_many_runs_is_bad_input() {
    let o = detente(&["study", "--runs", "100001"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("at most 100000 robustness runs"), "{}", stderr(&o));
}

#[test]
fn the_utility_space_shows_the_pair_asked_for() {
    let v = json(&detente(&["study", "--json", "--runs", "0", "--pair", "europe,russia"]));
    let u = &v["deal"]["utility_space"];
    assert_eq!((u["x_party"].as_str(), u["y_party"].as_str()), (Some("europe"), Some("russia")), "{u}");
    let default = json(&detente(&["study", "--json", "--runs", "0"]));
    assert_eq!(default["deal"]["utility_space"]["x_party"], "russia", "the first two parties that must agree");
    for (pair, needle, code) in
        [("russia,nobody", "unknown actor `nobody`", 1), ("russia,russia", "two different actors", 1), ("russia", "as `a,b`", 2)]
    {
        let o = detente(&["study", "--runs", "0", "--pair", pair]);
        assert_eq!(o.status.code(), Some(code), "{pair}");
        assert!(stderr(&o).contains(needle), "{pair}: {}", stderr(&o));
    }
}

#[test]
fn a_variant_studied_alone_says_which_and_what_it_changes() {
    // the briefing wraps at 100 columns: compare with the line breaks folded
    let text = study(&["--variant", "us_steps_back", "--runs", "0"]).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Studied alone: the what-if us_steps_back (The US steps back from the security guarantee): security_guarantee loses"),
        "{text}"
    );
    assert!(text.contains("9,833 of 81,648 possible deals do"), "the variant's own space: {text}");
}
