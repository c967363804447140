//! End-to-end tests of the `detente` binary: exit codes, JSON shape, messages.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn show_json_lists_four_parties_and_ten_issues() {
    let o = detente(&["scenario", "show", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["parties"].as_array().map(Vec::len), Some(4));
    assert_eq!(v["issues"].as_array().map(Vec::len), Some(10));
    let ids: Vec<&str> = v["parties"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["usa", "russia", "ukraine", "europe"]);
    assert_eq!(v["variants"].as_array().map(Vec::len), Some(5));
    // the stated spreads are part of the scenario: listed per actor and per position
    let russia = &v["parties"].as_array().unwrap().iter().find(|a| a["id"] == "russia").unwrap().clone();
    assert_eq!(russia["capability_spread"], serde_json::json!({ "shape": "uniform", "lo": 64.0, "hi": 96.0 }), "{russia}");
    let elections = &russia["positions"]["elections"];
    assert_eq!(
        elections["ideal_spread"],
        serde_json::json!({ "shape": "triangular", "lo": 70.0, "mode": 100.0, "hi": 100.0 }),
        "{elections}"
    );
    assert!(russia["positions"]["territory"].get("ideal_spread").is_none(), "no spread stated, none listed");
}

#[test]
fn study_prints_the_reference_scenario_and_every_variant() {
    let o = detente(&["study", "--runs", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "## Findings",
        "## The scenario",
        "territory",
        "russia",
        "## Is there a deal?",
        "## How robust are the findings? [robustness]",
        "Not run: no robustness runs were asked for (runs = 0).",
        "europe_at_the_table",
        "neutral_mediator",
        "early_concession",
        "us_steps_back",
    ] {
        assert!(out.contains(needle), "study output lacks {needle:?}:\n{out}");
    }
}

#[test]
fn variant_changes_who_must_agree() {
    let base = json(&detente(&["scenario", "show", "--json"]));
    let v = json(&detente(&["scenario", "show", "--json", "--variant", "europe_at_the_table"]));
    let required = |v: &serde_json::Value| {
        v["parties"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["required"] == true)
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(!required(&base).contains(&"europe".to_string()));
    assert!(required(&v).contains(&"europe".to_string()));
}

#[test]
fn unknown_variant_is_bad_input_with_the_known_ones() {
    let o = detente(&["study", "--variant", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("unknown variant `nope`; expected one of: baseline, europe_at_the_table"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(detente(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(detente(&["utility"]).status.code(), Some(2), "--outcome is required");
    assert_eq!(detente(&["scenario", "validate"]).status.code(), Some(2), "validate needs files");
}

#[test]
fn utility_rejects_partial_outcomes() {
    let o = detente(&["utility", "--outcome", "territory=current_line"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("--outcome: the outcome is partial: no value for nato,"), "{err}");
}

#[test]
fn utility_reports_every_party() {
    let outcome = "territory=current_line,nato=neutrality,security_guarantee=european_force_us_backstop,deterrent_force=100,\
demilitarization=partial_cap,sanctions=phased_relief,resources=partnership_with_guarantees,elections=soon_after_ceasefire,\
europe_role=consulted,prisoners=all_for_all";
    let o = detente(&["utility", "--json", "--outcome", outcome]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    let us = v["utilities"].as_array().unwrap();
    assert_eq!(us.len(), 4);
    for u in us {
        let x = u["utility"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{u}");
        assert_eq!(u["beats_reservation"].as_bool().unwrap(), x > u["reservation"].as_f64().unwrap());
    }
}

#[test]
fn validate_summarises_each_file_and_fails_on_any_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "format = 1\n[scenario\n").unwrap();
    let o = detente(&["scenario", "validate", "scenarios/ukraine-ceasefire-2025.toml", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("ok      scenarios/ukraine-ceasefire-2025.toml: 10 issues, 4 actors,"), "{out}");
    assert!(out.contains(&format!("invalid {}", bad.display())), "{out}");
    assert!(out.contains("1 of 2 valid"), "{out}");
    assert!(stderr(&o).contains(&format!("{}:2:", bad.display())), "location in: {}", stderr(&o));
}

#[test]
fn shipped_scenarios_validate() {
    let o = detente(&[
        "scenario",
        "validate",
        "scenarios/ukraine-ceasefire-2025.toml",
        "scenarios/textbook-bilateral.toml",
        "scenarios/textbook-three-party.toml",
    ]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn convert_round_trips_through_json_and_toml() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("s.json");
    let t = dir.path().join("s.toml");
    assert!(detente(&["scenario", "convert", "scenarios/ukraine-ceasefire-2025.toml", "--to", "json", j.to_str().unwrap()])
        .status
        .success());
    assert!(detente(&["scenario", "convert", j.to_str().unwrap(), "--to", "toml", t.to_str().unwrap()]).status.success());
    let a = json(&detente(&["scenario", "show", "--json", "scenarios/ukraine-ceasefire-2025.toml"]));
    let b = json(&detente(&["scenario", "show", "--json", t.to_str().unwrap()]));
    assert_eq!(a["parties"], b["parties"]);
    assert_eq!(a["issues"], b["issues"]);
    assert_eq!(a["variants"], b["variants"]);
}

#[test]
fn genius_export_says_what_it_cannot_carry() {
    let dir = tempfile::tempdir().unwrap();
    let o = detente(&["scenario", "convert", "scenarios/ukraine-ceasefire-2025.toml", "--to", "genius", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for lost in ["5 variant(s)", "8 stated spread(s)", "1 non-party role(s)", "4 default strategy(ies)", "protocol defaults"] {
        assert!(err.contains(lost), "missing {lost:?} in: {err}");
    }
}

#[test]
#[ignore = "needs ../shared"]
fn genius_folders_work_wherever_a_file_does() {
    let laptop = detente_testkit::shared_data("genius/Laptop");
    let o = detente(&["scenario", "show", "--json", laptop.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["outcomes"], "27");
    assert_eq!(v["parties"].as_array().map(Vec::len), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    let o = detente(&["scenario", "convert", laptop.to_str().unwrap(), "--to", "genius", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = detente(&["utility", "--json", out.to_str().unwrap(), "--outcome", "Laptop=Dell,Harddisk=60 Gb,External Monitor=19'' LCD"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    let u = |who: &str| {
        v["utilities"].as_array().unwrap().iter().find(|u| u["actor"].as_str().unwrap().contains(who)).unwrap()["utility"].as_f64().unwrap()
    };
    // SOURCES.md spot check: buyer 0.732924, seller 0.714283 (after a GENIUS export round trip).
    assert!((u("buyer") - 0.732924).abs() < 1e-6 && (u("seller") - 0.714283).abs() < 1e-6, "{v}");
}

#[test]
fn analyze_reports_frontier_solutions_and_zopa_as_options() {
    let o = detente(&["analyze", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["semantics"], "negmas");
    assert_eq!(v["parties"].as_array().map(Vec::len), Some(4));
    assert!(v["frontier_size"].as_u64().unwrap() > 0);
    assert!(v.get("frontier").is_none(), "frontier points only with --frontier");
    let nash = &v["solutions"]["nash"]["points"][0];
    let deal = v["deals"][nash["outcome"].as_u64().unwrap().to_string()].as_str().unwrap();
    assert!(deal.starts_with("territory="), "{deal}");
    assert_eq!(v["zopa"]["required"], serde_json::json!(["russia", "ukraine"]));
    assert_eq!(v["zopa"]["exists"], true);

    let o = detente(&["analyze", "--json", "--frontier"]);
    let f = json(&o);
    assert_eq!(f["frontier"].as_array().map(Vec::len), f["frontier_size"].as_u64().map(|n| n as usize));

    let o = detente(&["analyze"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in ["Pareto frontier:", "Zone of possible agreement", "Nash", "Kalai-Smorodinsky", "best for russia:"] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn analyze_says_when_no_deal_beats_walking_away() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    let text = std::fs::read_to_string(repo().join("scenarios/ukraine-ceasefire-2025.toml")).unwrap();
    // Russia's walk-away value above anything it can get.
    let text = text.replace("reservation = 0.55", "reservation = 0.999");
    std::fs::write(&path, text).unwrap();
    let o = detente(&["analyze", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("no deal beats walking away for russia"), "{}", stdout(&o));
}

#[test]
fn study_has_the_analysis_section_for_every_case() {
    let o = detente(&["study", "--json", "--runs", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["schema"], "detente-study/2");
    let cases = v["cases"].as_array().unwrap().len();
    assert_eq!(cases, 6, "base and five variants");
    assert_eq!(v["deal"]["cases"].as_array().map(Vec::len), Some(cases));
    for c in v["deal"]["cases"].as_array().unwrap() {
        assert_eq!(c["nash"]["terms"][0]["issue"], "territory", "{c}");
        assert!(c["zone_size"].as_u64().is_some_and(|n| n > 0), "{c}");
    }
    assert_eq!(v["robustness"]["status"], "not_run");
}

#[test]
fn negotiate_prints_the_deal_and_utilities() {
    let o = detente(&["negotiate", "--protocol", "sao", "--negotiators", "boulware,linear", "--rounds", "40", "--seed", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "Protocol: sao",
        "russia (boulware), ukraine (linear)",
        "Result:",
        "Utilities",
        "reservation",
        "in the utility space of the parties that must agree: russia, ukraine",
        "distance to their Pareto frontier",
        "usa gets",
    ] {
        assert!(out.contains(needle), "negotiate output lacks {needle:?}:\n{out}");
    }
}

#[test]
fn negotiate_json_and_trace_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let t1 = dir.path().join("a.jsonl");
    let t2 = dir.path().join("b.jsonl");
    let run = |t: &Path| {
        detente(&["negotiate", "--json", "--protocol", "shuttle", "--rounds", "12", "--seed", "5", "--trace", t.to_str().unwrap()])
    };
    let (a, b) = (run(&t1), run(&t2));
    assert!(a.status.success(), "{}", stderr(&a));
    let (mut ja, mut jb) = (json(&a), json(&b));
    assert_eq!(ja["protocol"], "shuttle");
    assert_eq!(ja["parties"].as_array().unwrap().len(), 3, "russia, ukraine, europe; the US mediates");
    assert_eq!(ja["utilities"].as_array().unwrap().len(), 4);
    let q = &ja["quality"];
    assert!(q["pareto_distance"].as_f64().is_some_and(|d| d >= 0.0), "{q}");
    assert!(q["nash_distance"].as_f64().is_some_and(|d| d >= 0.0), "{q}");
    // measured over the parties that must agree; the mediator's own utility beside (issue #10)
    assert_eq!(q["parties"], serde_json::json!(["russia", "ukraine"]));
    assert_eq!(ja["mediator"]["actor"], "usa");
    assert!(ja["mediator"]["over_nash"].as_f64().is_some(), "{}", ja["mediator"]);
    ja["trace_file"] = serde_json::Value::Null;
    jb["trace_file"] = serde_json::Value::Null;
    assert_eq!(ja, jb);
    let (ta, tb) = (std::fs::read(&t1).unwrap(), std::fs::read(&t2).unwrap());
    assert_eq!(ta, tb, "same scenario, negotiators and seed: the same trace bytes");
    let first: serde_json::Value = serde_json::from_slice(ta.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["trace"], "detente/2");
}

/// Usage errors (a bad flag value, options that cannot go together or would have no effect)
/// exit 2, as clap's own; what the scenario makes impossible exits 1.
#[test]
fn negotiate_rejects_bad_arguments_with_exit_2_and_bad_input_with_exit_1() {
    for (args, needle, code) in [
        (vec!["negotiate", "--protocol", "auction"], "unknown protocol", 2),
        (vec!["negotiate", "--mediator-rule", "kind"], "unknown mediator rule `kind`", 2),
        (vec!["negotiate", "--rules", "anarchy"], "unknown rule set `anarchy`", 2),
        (vec!["negotiate", "--protocol", "sao", "--negotiators", "boulware"], "2 participating parties", 1),
        (vec!["negotiate", "--protocol", "sao", "--negotiators", "boulware,nobody"], "unknown negotiator `nobody`", 2),
        // A typo is named even when the count is also wrong.
        (vec!["negotiate", "--protocol", "sao", "--negotiators", "nobody"], "--negotiators: unknown negotiator `nobody`", 2),
        (vec!["negotiate", "--protocol", "sao", "--negotiators", "boulware,linear(k=1)"], "has no parameter `k`", 2),
        (vec!["negotiate", "--rounds", "0"], "at least 1 round", 2),
        (vec!["negotiate", "--protocol", "shuttle", "--rules", "genius_saop"], "--rules genius_saop has no effect: it applies to sao", 2),
        (vec!["negotiate", "--protocol", "shuttle", "--rules", "negmas"], "--rules negmas has no effect", 2),
        (vec!["negotiate", "--protocol", "single_text_steepest", "--rules", "negmas"], "NegMAS has no steepest or shuttle mechanism", 2),
        (
            vec!["negotiate", "--protocol", "single_text_veto", "--rules", "negmas", "--mediator-rule", "neutral"],
            "--mediator-rule has no effect with --rules negmas",
            2,
        ),
        (
            vec!["negotiate", "--protocol", "single_text", "--rules", "negmas", "--negotiators", "boulware,boulware,boulware"],
            "--negotiators has no effect with --rules negmas",
            2,
        ),
        (vec!["negotiate", "--protocol", "shuttle", "--stall", "5"], "--stall has no effect: it applies to the single-text protocols", 2),
        (vec!["negotiate", "--protocol", "single_text", "--stall", "0"], "--stall: a stall limit must be at least 1 round", 2),
        (
            vec!["negotiate", "--protocol", "sao", "--mediator-rule", "neutral"],
            "--mediator-rule has no effect: it applies to the mediated",
            2,
        ),
        (vec!["negotiate", "--protocol", "single_text", "--least-satisfied-first"], "applies to shuttle only", 2),
        (vec!["analyze", "--html", "x.html", "--frontier"], "--frontier and --semantics apply to the text", 2),
        (vec!["forecast", "--model", "mean", "--preset", "dmasad"], "--preset applies to --model eu only", 2),
    ] {
        let o = detente(&args);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
}

/// `--rules negmas` runs NegMAS 0.16's single-text mechanisms; the default run says why it
/// ends without a deal.
#[test]
fn negotiate_runs_negmas_single_text_rules_and_says_why_there_is_no_deal() {
    let o = detente(&["negotiate", "--protocol", "single_text_veto", "--rules", "negmas", "--rounds", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Protocol: single_text_veto, NegMAS 0.16 rules; deadline 200 rounds"), "{out}");
    assert!(out.contains("russia (negmas-voter), ukraine (negmas-voter), europe (negmas-voter)"), "{out}");
    let o = detente(&["negotiate", "--protocol", "single_text", "--rules", "negmas", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // the reference shuttle with an omniscient biased mediator (30 rounds) says why in words
    let o = detente(&["negotiate", "--knowledge", "omniscient"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Protocol: shuttle, biased mediator (omniscient); deadline 30 rounds"), "{out}");
    assert!(out.contains("\nWhy: the deadline passed before every required party accepted the same text"), "{out}");
    let o = detente(&["negotiate", "--knowledge", "omniscient", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["why"].as_str().is_some_and(|w| w.contains("no visit was left for russia")), "{v}");
    assert_eq!(v["knowledge"], "omniscient");
    assert!(v["learnt"].is_null());
}

#[test]
fn negotiate_says_what_the_mediator_knew_and_learnt() {
    // the default: a mediator that knows only the votes, and how well it came to know each party
    let o = detente(&["negotiate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Protocol: shuttle, biased mediator knowing only the votes; deadline 30 rounds"), "{out}");
    assert!(out.contains("What the mediator learnt from the votes: "), "{out}");
    let o = detente(&["negotiate", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["knowledge"], "votes");
    let learnt = v["learnt"].as_array().unwrap();
    assert_eq!(learnt.iter().map(|g| g["party"].as_str().unwrap()).collect::<Vec<_>>(), ["russia", "ukraine", "europe"]);
    assert!(learnt.iter().all(|g| g["rank_correlation"].as_f64().unwrap() > 0.3), "{v}");
    // where no mediator consults an objective, the option is refused
    for args in [
        &["negotiate", "--protocol", "sao", "--knowledge", "votes"][..],
        &["negotiate", "--protocol", "single_text", "--rules", "negmas", "--knowledge", "votes"],
    ] {
        let o = detente(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("--knowledge has no effect"), "{}", stderr(&o));
    }
    // a votes-only welfare mediator in hill-climbing single text would be the neutral one
    let o = detente(&["negotiate", "--protocol", "single_text", "--mediator-rule", "welfare"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("the welfare mediator rule has no effect here"), "{}", stderr(&o));
    let o = detente(&["negotiate", "--protocol", "single_text", "--mediator-rule", "welfare", "--knowledge", "omniscient"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A what-if whose change a lens does not read is said so, not silently run as the base.
#[test]
fn a_variant_a_lens_does_not_read_is_named() {
    for (args, needle) in [
        (
            vec!["--variant", "early_concession", "analyze"],
            "\"ukraine opens by conceding territory = current_line\" has no effect here: the analysis does not read opening concessions",
        ),
        (
            vec!["--variant", "early_concession", "negotiate", "--protocol", "single_text"],
            "the single_text protocol with these options does not read opening concessions",
        ),
        (
            vec!["--variant", "neutral_mediator", "negotiate", "--protocol", "sao"],
            "the sao protocol with these options does not read mediator rules",
        ),
        (
            vec!["--variant", "neutral_mediator", "negotiate", "--protocol", "shuttle", "--mediator-rule", "welfare"],
            "does not read mediator rules",
        ),
        (vec!["--variant", "europe_at_the_table", "forecast"], "the forecast does not read who must agree"),
        (vec!["--variant", "baseline", "analyze"], "\"europe's acceptance is no longer required\" restates the base scenario"),
    ] {
        let o = detente(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
    // and a change the lens reads goes without a note
    let o = detente(&["--variant", "early_concession", "negotiate", "--protocol", "sao"]);
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
}

#[test]
fn study_simulates_every_protocol_and_the_opening_concession() {
    let o = detente(&["study", "--json", "--runs", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    let sim = &v["simulation"];
    assert_eq!(sim["protocols"].as_array().unwrap().len(), 4);
    let cases = sim["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 6, "base and five variants");
    for c in cases {
        assert_eq!(c["runs"].as_array().unwrap().len(), 4, "{}", c["case"]);
        for r in c["runs"].as_array().unwrap() {
            assert!(r["quality"]["pareto_distance"].as_f64().is_some(), "{}", r["quality"]);
        }
    }
    let oc = sim["opening_tests"].as_array().unwrap();
    assert_eq!(oc.len(), 1);
    assert_eq!(oc[0]["status"], "ran");
    assert_eq!(oc[0]["variant"], "early_concession");
    assert_eq!(oc[0]["demands"][0]["party"], "russia");
    let text = stdout(&detente(&["study", "--runs", "0"]));
    assert!(
        text.contains("## Simulated negotiations") && text.contains("## Opening-concession test: Ukraine concedes territory early"),
        "{text}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(["study", "--runs", "0"])
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = [0u8; 16];
    child.stdout.take().expect("piped").read_exact(&mut first).expect("some output");
    // stdout is now closed: the next write hits a broken pipe.
    let out = child.wait_with_output().expect("the binary ends");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// Writes `text` as a scenario file in a fresh temporary folder.
fn temp_scenario(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path().join("s.toml");
    std::fs::write(&p, text).expect("write");
    (dir, p)
}

fn bilateral_with(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(repo().join("scenarios/textbook-bilateral.toml")).expect("shipped scenario");
    assert!(text.contains(from), "the shipped scenario has `{from}`");
    text.replacen(from, to, 1)
}

#[test]
fn every_error_of_a_file_is_reported_in_file_order_with_its_snippet() {
    let text = bilateral_with("reservation = 0.4 ", "reservation = 1.4 ").replacen("capability = 1", "capability = -1", 1).replacen(
        "reservation = 0.35",
        "reservation = -7",
        1,
    );
    let (_d, p) = temp_scenario(&text);
    let o = detente(&["scenario", "validate", p.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let e = stderr(&o);
    let at = |needle: &str| e.find(needle).unwrap_or_else(|| panic!("`{needle}` missing: {e}"));
    // three errors, each with its line, in the order of the file
    assert!(at("s.toml:48:14: actor `buyer`: capability -1") < at("s.toml:50:15: actor `buyer`: reservation 1.4"), "{e}");
    assert!(at("s.toml:50:15") < at("s.toml:75:15: actor `seller`: reservation -7"), "{e}");
    assert!(e.contains("3 errors"), "{e}");
    assert_eq!(e.matches("╰── here").count(), 3, "a snippet each: {e}");
}

#[test]
fn an_unknown_scenario_protocol_is_refused_when_the_file_is_loaded() {
    let (_d, p) = temp_scenario(&bilateral_with("protocol = \"sao\"", "protocol = \"xyz\""));
    let p = p.to_str().expect("utf-8 path");
    // The name is part of the file's meaning: every command refuses the file, located, and an
    // explicit --protocol does not make an invalid file valid.
    for args in [vec!["negotiate", p], vec!["negotiate", p, "--protocol", "sao"], vec!["scenario", "validate", p], vec!["analyze", p]] {
        let o = detente(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        let e = stderr(&o);
        assert!(e.contains("unknown protocol `xyz`; expected one of: sao, single_text"), "{args:?}: {e}");
        assert!(e.contains(&format!("{p}:")), "located: {e}");
    }
}

#[test]
fn validate_refuses_unknown_strategies_in_actors_and_variants() {
    let (_d, p) = temp_scenario(&bilateral_with("strategy = \"boulware\"", "strategy = \"nonsense\""));
    let o = detente(&["scenario", "validate", p.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // located at the actor's `strategy` key, with the known names
    assert!(stderr(&o).contains("s.toml:49:12: strategy `nonsense`: unknown negotiator `nonsense`; known: boulware"), "{}", stderr(&o));
    let (_d, p) = temp_scenario(&bilateral_with("strategy = \"hardliner\"", "strategy = \"zzz\""));
    let o = detente(&["scenario", "validate", p.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // located at the variant patch's `strategy` key
    assert!(stderr(&o).contains("s.toml:97:52: strategy `zzz`: unknown negotiator `zzz`"), "{}", stderr(&o));
    let o = detente(&["scenario", "validate", "scenarios/textbook-bilateral.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("81 outcomes, 1 variant\n"), "{}", stdout(&o));
}

#[test]
fn a_failed_genius_export_leaves_no_folder_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let o = detente(&["scenario", "convert", "--to", "genius", "scenarios/textbook-three-party.toml", out.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("cannot export to genius"), "{}", stderr(&o));
    assert!(!out.exists(), "the failed export left {} behind", out.display());
}

#[test]
fn huge_deadlines_and_run_counts_are_refused_rather_than_run_for_hours() {
    let o = detente(&["negotiate", "--rounds", "4294967295"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("--rounds: expected at most 1000000 rounds, got 4294967295"), "{}", stderr(&o));
    let o = detente(&["forecast", "--runs", "100000000000"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("--runs: expected at most 1000000 runs"), "{}", stderr(&o));
    let (_d, p) = temp_scenario(&bilateral_with("rounds = 20", "rounds = 2000000000"));
    let p = p.to_str().expect("utf-8 path");
    let o = detente(&["negotiate", p]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("[protocol] rounds = 2000000000"), "{}", stderr(&o));
    assert!(detente(&["negotiate", p, "--rounds", "20"]).status.success());
}

#[test]
fn a_continuous_issue_still_gets_a_study_that_says_what_cannot_be_done() {
    let text = bilateral_with("kind = \"integer\"", "kind = \"real\"").replacen("step = 500", "", 1).replacen(
        "price = [0, 0.15, 0.3, 0.45, 0.6, 0.72, 0.84, 0.93, 1]",
        "price = { slope = 0.00025, offset = 0, origin = 8000 }",
        1,
    );
    let (_d, p) = temp_scenario(&text);
    let p = p.to_str().expect("utf-8 path");
    assert!(detente(&["scenario", "validate", p]).status.success());
    let o = detente(&["study", p]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("base: not analysed: ") && out.contains("an issue is continuous"), "{out}");
    assert!(out.contains("The deals were not analysed: "), "a finding says so: {out}");
    assert!(out.contains("too many to negotiate (limit"), "{out}");
    let o = detente(&["study", p, "--json"]);
    let v = json(&o);
    assert!(v["deal"]["not_analysed"][0][1].as_str().is_some_and(|m| m.contains("continuous")), "{}", v["deal"]);
    assert_eq!(v["deal"]["utility_space"]["status"], "not_run");
    let o = detente(&["analyze", p]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn genius_export_refuses_a_folder_that_already_holds_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("utf-8 path");
    let first = detente(&["scenario", "convert", "--to", "genius", "scenarios/textbook-bilateral.toml", out]);
    assert!(first.status.success(), "{}", stderr(&first));
    let o = detente(&["scenario", "convert", "--to", "genius", "scenarios/ukraine-ceasefire-2025.toml", out]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("the folder is not empty"), "{}", stderr(&o));
    // The first export is intact and still reads.
    assert!(detente(&["scenario", "validate", out]).status.success());
}

#[test]
fn study_names_whose_utilities_a_variant_row_lists_when_the_variant_changes_the_parties() {
    // southam_hosts turns the anglers (an observer) into a party: its row has five utilities.
    let o = detente(&["study", "scenarios/textbook-three-party.toml", "--full", "--runs", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("(southam_hosts: utilities of northbury eastwick southam authority anglers)"), "{out}");
    assert!(!out.contains("(neutral_authority: utilities of"), "{out}");
}

#[test]
fn a_folder_of_scenario_files_is_named_as_such() {
    let o = detente(&["scenario", "validate", "scenarios"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("is a folder of scenario files, not one scenario"), "{}", stderr(&o));
    assert!(stderr(&o).contains("scenarios/*.toml"), "{}", stderr(&o));
}

#[test]
fn a_genius_export_says_it_drops_red_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let o = detente(&["scenario", "convert", "--to", "genius", "scenarios/ukraine-ceasefire-2025.toml", out.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("5 red line(s)"), "{}", stderr(&o));
}

#[test]
fn utilities_that_overflow_are_refused_by_analyze_and_negotiate_alike() {
    // Weights of 1e308 on values of 1.5 sum past the largest float; GENIUS's clamp at 1 once hid
    // that from negotiate (the deal scored 1.0), while analyze refused the file.
    let (_d, p) = temp_scenario(
        r#"format = 1
id = "overflow"
title = "Utilities that overflow"
issues = [{ id = "a", kind = "categorical", options = ["x", "y"] }, { id = "b", kind = "categorical", options = ["x", "y"] }]

[[actors]]
id = "p"
preferences = { type = "linear", clamp = { max = 1 }, weights = { a = 1e308, b = 1e308 }, values = { a = { x = 0, y = 1.5 }, b = { x = 0, y = 1.5 } } }

[[actors]]
id = "q"
preferences = { type = "linear", weights = { a = 1, b = 1 }, values = { a = { x = 1, y = 0 }, b = { x = 1, y = 0 } } }
"#,
    );
    let p = p.to_str().expect("utf-8 path");
    let o = detente(&["analyze", p]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("actor `p` has a utility or reservation value that is not a finite number"), "{}", stderr(&o));
    let o = detente(&["negotiate", p, "--protocol", "sao"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("cannot negotiate on overflow: actor `p` has a non-finite utility (inf) at outcome 3"), "{}", stderr(&o));
}

#[test]
fn utility_refuses_a_real_value_off_the_issue_grid() {
    // `min_flow` is 1, 1.5, …, 3: 1.7 once scored as 0 on the grid table instead of being refused.
    let o = detente(&[
        "utility",
        "scenarios/textbook-three-party.toml",
        "--outcome",
        "site=north, cost_split=equal, capacity=50, min_flow=1.7",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains(
            "value `1.7` is not valid for issue `min_flow`: expected a point of the issue's grid of 5 evenly spaced values from 1 to 3 \
             (the nearest are 1.5 and 2)"
        ),
        "{}",
        stderr(&o)
    );
    let o = detente(&[
        "utility",
        "scenarios/textbook-three-party.toml",
        "--outcome",
        "site=north, cost_split=equal, capacity=50, min_flow=1.5",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_price_of_bias_is_said_of_a_deal_only() {
    // the reference shuttle with an omniscient mediator: no deal at 30 rounds, a deal at 100
    let o = detente(&["negotiate", "--knowledge", "omniscient"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("usa (the mediator) gets") && !text.contains("price of its bias"), "{text}");
    let o = detente(&["negotiate", "--rounds", "100", "--knowledge", "omniscient"]);
    let text = stdout(&o);
    assert!(text.contains("Result: deal") && text.contains("the price of its bias"), "{text}");
}

/// One run, three printers, one round number (issue #11): the text's "deal in round N of D",
/// the JSON report's `round`, and the trace's end line and last event all number
/// rounds from 1 (the trace once said 29 where the report said 30).
#[test]
fn round_numbers_agree_between_text_json_and_trace() {
    let dir = tempfile::tempdir().unwrap();
    for protocol in ["sao", "single_text", "shuttle"] {
        let args = ["negotiate", "--protocol", protocol, "--rounds", "30"];
        let text = stdout(&detente(&args));
        let trace = dir.path().join(format!("{protocol}.jsonl"));
        let o = detente(&[&["--json"][..], &args, &["--trace", trace.to_str().unwrap()]].concat());
        let j = json(&o);
        let round = j["round"].as_u64().unwrap_or_else(|| panic!("{protocol}: the reference runs agree: {j}"));
        assert!(text.contains(&format!("deal in round {round} of 30")), "{protocol}: {text}");
        let lines: Vec<serde_json::Value> =
            std::fs::read_to_string(&trace).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let end = lines.last().unwrap();
        assert_eq!(end["round"].as_u64(), Some(round), "{protocol}: the trace's end line");
        assert_eq!(lines[lines.len() - 2]["round"].as_u64(), Some(round), "{protocol}: the accepting move is in that round");
        assert_eq!(lines[1]["round"], 1, "{protocol}: the first move is in round 1");
    }
}
