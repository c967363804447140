//! The native TOML/JSON format: the bad-input corpus (exact messages), the shipped scenarios,
//! and round trips (TOML, JSON, TOML → JSON) on the shipped and on random scenarios.

use detente_core::{
    Condition, Discount, IssueKind, MediatorRule, Opening, Patch, ProtocolName, RedLine, Reservation, Role, SalienceConvention, Scenario,
    Source, Utility, Variant,
};
use detente_formats::native::{from_json_str, from_toml_str, to_json_string, to_toml_string};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn repo_root() -> PathBuf {
    crate_dir().join("../..")
}

/// Loads one bad input and returns its error as the user sees it (`file:line:col: message`).
/// The file is named relative to the crate, as in the `.expected` files.
fn error_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("test input readable");
    let name = path.strip_prefix(crate_dir()).expect("under the crate").display().to_string();
    let result = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => from_json_str(&text, &name),
        Some("csv") => detente_formats::ktab::from_csv_str(&text, &name),
        _ => from_toml_str(&text, &name),
    };
    match result {
        Ok(_) => panic!("{name}: loaded without error, but it is in the bad corpus"),
        Err(e) => e.to_string(),
    }
}

/// Every `tests/bad/<case>.{toml,json}` must fail with exactly the message in
/// `tests/bad/<case>.expected`. Run with `DETENTE_BLESS=1` to (re)write the `.expected` files,
/// then review the diff.
#[test]
fn bad_corpus_gives_exact_messages() {
    let dir = crate_dir().join("tests/bad");
    let bless = std::env::var_os("DETENTE_BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/bad exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "json" | "csv")))
        .collect();
    cases.sort();
    assert!(cases.len() >= 17, "the bad corpus has only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let got = error_of(case);
        let expected_path = case.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, format!("{got}\n")).expect("write .expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| panic!("{} is missing", expected_path.display()));
        if got != expected.trim_end() {
            failures.push(format!("{}\n  expected: {}\n  got:      {got}", case.display(), expected.trim_end()));
        }
    }
    assert!(failures.is_empty(), "{} bad-corpus messages differ:\n{}", failures.len(), failures.join("\n"));
}

/// No message in the corpus lacks a position, except the ones only the whole file can explain.
#[test]
fn bad_corpus_errors_have_positions() {
    let dir = crate_dir().join("tests/bad");
    for e in std::fs::read_dir(&dir).expect("tests/bad exists") {
        let p = e.expect("dir entry").path();
        if !matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "json" | "csv")) {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("readable");
        let err = match p.extension().and_then(|e| e.to_str()) {
            Some("json") => from_json_str(&text, "x").expect_err("bad"),
            Some("csv") => detente_formats::ktab::from_csv_str(&text, "x").expect_err("bad"),
            _ => from_toml_str(&text, "x").expect_err("bad"),
        };
        let mut last = (0, 0);
        for err in err.errors() {
            let loc = err.location().unwrap_or_else(|| panic!("{}: no location in `{err}`", p.display()));
            assert!(loc.line >= 1 && loc.column >= 1, "{}: `{err}` has no line/column", p.display());
            assert!(loc.line <= text.lines().count().max(1), "{}: line {} beyond the file", p.display(), loc.line);
            assert!((loc.line, loc.column) >= last, "{}: errors out of file order", p.display());
            last = (loc.line, loc.column);
        }
    }
}

fn shipped(name: &str) -> (String, Scenario) {
    let path = repo_root().join("scenarios").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let s = from_toml_str(&text, name).unwrap_or_else(|e| panic!("{e}"));
    (text, s)
}

const SHIPPED: [&str; 3] = ["ukraine-ceasefire-2025.toml", "textbook-bilateral.toml", "textbook-three-party.toml"];

fn assert_round_trips(s: &Scenario) {
    let toml = to_toml_string(s).expect("writes TOML");
    let back = from_toml_str(&toml, "<toml>").unwrap_or_else(|e| panic!("{e}\n{toml}"));
    assert_eq!(&back, s, "TOML round trip changed the scenario:\n{toml}");
    let toml2 = to_toml_string(&back).expect("writes TOML");
    assert_eq!(toml, toml2, "writing is not stable");
    let json = to_json_string(s).expect("writes JSON");
    let back = from_json_str(&json, "<json>").unwrap_or_else(|e| panic!("{e}\n{json}"));
    assert_eq!(&back, s, "JSON round trip changed the scenario:\n{json}");
    // TOML → model → JSON → model.
    let via = from_json_str(&to_json_string(&from_toml_str(&toml, "<toml>").expect("reads")).expect("writes"), "<json>").expect("reads");
    assert_eq!(&via, s, "TOML → JSON changed the scenario");
}

#[test]
fn shipped_scenarios_load_validate_and_round_trip() {
    for name in SHIPPED {
        let (_, s) = shipped(name);
        assert_round_trips(&s);
        for v in &s.variants {
            s.with_variant(&v.id).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn reference_scenario_matches_the_brief() {
    let (text, s) = shipped("ukraine-ceasefire-2025.toml");
    assert!(text.contains("illustrative"), "the header must say the numbers are illustrative");
    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["usa", "russia", "ukraine", "europe"]);
    let usa = s.actor("usa").expect("usa");
    assert_eq!((usa.role, usa.required, usa.capability), (Role::Mediator, false, 100.0));
    assert_eq!(s.actor("russia").expect("russia").capability, 80.0);
    assert_eq!(s.actor("europe").expect("europe").capability, 50.0);
    assert_eq!(s.actor("ukraine").expect("ukraine").capability, 40.0);
    assert!(s.actor("russia").expect("russia").required && s.actor("ukraine").expect("ukraine").required);
    assert!(!s.actor("europe").expect("europe").required);
    assert_eq!(s.space.issues().len(), 10);
    for a in &s.actors {
        assert!(matches!(a.preferences.utility, Utility::Spatial(_)), "{} is spatial", a.id);
        assert!(matches!(a.preferences.reservation, Reservation::Value(_)), "{} has an explicit reservation", a.id);
        assert!(a.strategy.is_some(), "{} has a default strategy", a.id);
    }
    assert_eq!(s.protocol.mediator.as_deref(), Some("usa"));
    let variants: Vec<&str> = s.variants.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(variants, ["baseline", "europe_at_the_table", "neutral_mediator", "early_concession", "us_steps_back"]);
    // The table of the brief, spot-checked against the file (ideal, salience).
    let pos = |actor: &str, issue: &str| {
        let a = s.actor(actor).expect("actor");
        let Utility::Spatial(sp) = &a.preferences.utility else { unreachable!() };
        let p = sp.positions[s.space.issue_index(issue).expect("issue")].as_ref().expect("position");
        (p.ideal, p.salience)
    };
    assert_eq!(pos("usa", "territory"), (67.0, 0.2));
    assert_eq!(pos("russia", "sanctions"), (100.0, 0.8));
    assert_eq!(pos("ukraine", "security_guarantee"), (10.0, 0.9));
    assert_eq!(pos("europe", "europe_role"), (0.0, 0.9));
    assert_eq!(pos("russia", "prisoners"), (10.0, 0.2));
    let steps_back = s.with_variant("us_steps_back").expect("applies");
    let sg = &steps_back.space.issues()[steps_back.space.issue_index("security_guarantee").expect("issue")];
    assert!(sg.option_index("article5_with_us").is_none() && sg.option_index("european_force_us_backstop").is_none());
    assert!(s.with_variant("europe_at_the_table").expect("applies").actor("europe").expect("europe").required);
}

#[test]
fn every_line_citation_in_the_reference_scenario_names_a_line_of_the_article() {
    let (text, _) = shipped("ukraine-ceasefire-2025.toml");
    let mut n = 0;
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('L') {
        let prev_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let digits: String = text[i + 1..].chars().take_while(|c| c.is_ascii_digit()).collect();
        if prev_ok && !digits.is_empty() {
            let line: usize = digits.parse().expect("digits");
            assert!((1..=40).contains(&line), "citation L{line} is not a line of the 40-line article");
            n += 1;
        }
    }
    assert!(n >= 40, "only {n} line citations");
}

#[test]
fn sources_fold_into_descriptions_and_split_back() {
    let (_, s) = shipped("textbook-three-party.toml");
    let toml = to_toml_string(&s).expect("writes");
    assert_eq!(from_toml_str(&toml, "x").expect("reads"), s);
    let text = "format = 1\nid = \"s\"\ntitle = \"t\"\n[[issues]]\nid = \"i\"\nkind = \"categorical\"\noptions = [\"a\", \"b\"]\nsource = \"L3\"\n[[actors]]\nid = \"a\"\ndescription = \"An actor.\"\nsource = \"L4\"\n[actors.preferences]\ntype = \"spatial\"\npositions.i = { ideal = \"b\", salience = 1 }\n";
    let s = from_toml_str(text, "x").expect("reads");
    assert_eq!(s.space.issues()[0].description.as_deref(), Some("Source: L3"));
    assert_eq!(s.actors[0].description.as_deref(), Some("An actor.\n\nSource: L4"));
    let out = to_toml_string(&s).expect("writes");
    assert!(out.contains("source = \"L3\"") && out.contains("description = \"An actor.\"\nsource = \"L4\""), "{out}");
}

#[test]
fn an_opening_text_is_read_by_option_names_and_written_back() {
    let text = "format = 1\nid = \"s\"\ntitle = \"t\"\n[protocol]\nprotocol = \"single_text\"\nopening_text = { t = \"mid\", n = 5 }\n[[issues]]\nid = \"t\"\nkind = \"ordinal\"\noptions = [{ id = \"lo\", scale = 0 }, { id = \"mid\", scale = 50 }, { id = \"hi\", scale = 100 }]\n[[issues]]\nid = \"n\"\nkind = \"integer\"\nmin = 0\nmax = 10\nstep = 5\n[[actors]]\nid = \"p\"\n[actors.preferences]\ntype = \"spatial\"\npositions.t = { ideal = 30, salience = 1 }\npositions.n = { ideal = 30, salience = 1 }\n[[actors]]\nid = \"q\"\n[actors.preferences]\ntype = \"spatial\"\npositions.t = { ideal = 80, salience = 1 }\npositions.n = { ideal = 70, salience = 1 }\n";
    let s = from_toml_str(text, "x").expect("reads");
    let o = s.protocol.opening_text.clone().expect("an opening text");
    assert_eq!(s.space.format(&o), "t=mid, n=5");
    let out = to_toml_string(&s).expect("writes");
    assert!(out.contains("opening_text = { t = \"mid\", n = 5 }"), "{out}");
    assert_round_trips(&s);
    let json = to_json_string(&s).expect("writes");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["protocol"]["opening_text"], serde_json::json!({ "t": "mid", "n": 5 }));
}

/// The salience convention is read, written back only when it is not the default, and
/// round-trips through TOML and JSON; a file without the key states intensities.
#[test]
fn the_salience_convention_is_read_and_written_back() {
    let body = "[[issues]]\nid = \"a\"\nkind = \"real\"\nmin = 0\nmax = 1\n[[issues]]\nid = \"b\"\nkind = \"real\"\nmin = 0\nmax = 1\n[[actors]]\nid = \"p\"\n[actors.preferences]\ntype = \"spatial\"\npositions.a = { ideal = 30, salience = 0.7 }\npositions.b = { ideal = 60, salience = 0.3 }\n";
    let plain = from_toml_str(&format!("format = 1\nid = \"s\"\ntitle = \"t\"\n{body}"), "x").expect("reads");
    assert_eq!(plain.salience, SalienceConvention::Intensities);
    assert!(!to_toml_string(&plain).expect("writes").contains("salience = \""), "the default is not written");
    let shares =
        from_toml_str(&format!("format = 1\nid = \"s\"\ntitle = \"t\"\nsalience = \"attention_shares\"\n{body}"), "x").expect("reads");
    assert_eq!(shares.salience, SalienceConvention::AttentionShares);
    let out = to_toml_string(&shares).expect("writes");
    assert!(out.contains("salience = \"attention_shares\""), "{out}");
    assert_round_trips(&shares);
    let json = to_json_string(&shares).expect("writes");
    assert_eq!(from_json_str(&json, "x").expect("reads"), shares);
}

#[test]
fn defaults_are_applied_as_documented() {
    let text = "format = 1\nid = \"s\"\ntitle = \"t\"\n[[issues]]\nid = \"n\"\nkind = \"integer\"\nmin = 0\nmax = 10\n[[actors]]\nid = \"p\"\n[actors.preferences]\ntype = \"spatial\"\npositions.n = { ideal = 30, salience = 1 }\n[[actors]]\nid = \"m\"\nrole = \"mediator\"\n[actors.preferences]\ntype = \"spatial\"\nloss = \"quadratic\"\npositions.n = { ideal = 30, salience = 1 }\n";
    let s = from_toml_str(text, "x").expect("reads");
    assert!(s.actors[0].required && !s.actors[1].required, "required defaults to role == party");
    assert_eq!(s.actors[0].capability, 1.0);
    assert_eq!(s.space.issues()[0].cardinality(), Some(11), "step defaults to 1");
    assert_eq!(s.actors[0].preferences.reservation, Reservation::None);
}

#[test]
fn json_twin_of_a_shipped_scenario_equals_it() {
    let (_, s) = shipped("textbook-bilateral.toml");
    let json = to_json_string(&s).expect("writes");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["format"], 2);
    assert_eq!(v["issues"][0]["id"], "price");
    assert_eq!(from_json_str(&json, "x").expect("reads"), s);
}

/// Strings that stress quoting: quotes, backslashes, line breaks, `"""`, control characters,
/// non-ASCII, and text that looks like the `source` folding.
const TRICKY: [&str; 12] = [
    "plain",
    "with \"quotes\"",
    "back\\slash",
    "multi\nline\n",
    "ends with a quote\"",
    "\"\"\" triple \"\"",
    "tab\there\r\u{7}",
    "unicode – ü ✓",
    "Source: only a source",
    "text\n\nSource: L1, L2",
    "",
    " spaces around ",
];

/// A small deterministic generator (xorshift) so one proptest `u64` drives every decoration.
struct Pick(u64);

impl Pick {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
    fn text(&mut self) -> Option<String> {
        let i = self.next(TRICKY.len() + 1);
        TRICKY.get(i).map(|s| s.to_string())
    }
}

/// Adds what `strategies::scenario` leaves out: metadata text, sources, labels, names,
/// descriptions, roles, strategies, discounts, reservation outcomes, protocol defaults,
/// openings, and variants with every kind of patch (kept only when the variant still applies).
fn decorate(s: Scenario, seed: u64) -> Scenario {
    let mut s = s.into_draft();
    let mut p = Pick(seed | 1);
    if p.next(2) == 0 {
        // An id that needs quoting as a TOML key.
        let issue = &mut s.space.issues().to_vec()[0];
        issue.id = "first issue.ü".into();
        let mut issues = s.space.issues().to_vec();
        issues[0] = issue.clone();
        s.space = detente_core::OutcomeSpace::new(issues);
    }
    s.meta.description = p.text();
    s.meta.assumptions = p.text();
    if p.next(2) == 0 {
        s.meta.sources.push(Source { id: "src".into(), title: p.text(), location: p.text(), note: p.text() });
    }
    let mut issues = s.space.issues().to_vec();
    for issue in &mut issues {
        issue.name = p.text();
        issue.description = p.text();
        if let detente_core::IssueKind::Categorical { options } | detente_core::IssueKind::Ordinal { options } = &mut issue.kind {
            for o in options {
                o.label = p.text();
            }
        }
    }
    s.space = detente_core::OutcomeSpace::new(issues);
    let n = s.space.cardinality().as_u64().expect("strategies build small spaces");
    for a in &mut s.actors {
        a.name = p.text();
        a.description = p.text();
        a.strategy = [None, Some("boulware"), Some("timebased(exponent=2, eps=0.01)")][p.next(3)]
            .map(|t| detente_core::NegotiatorSpec::parse(t).expect("a known negotiator"));
        a.preferences.discount = match p.next(3) {
            0 => Discount::None,
            1 => Discount::Time { factor: 0.5 + 0.5 * (p.next(100) as f64) / 100.0 },
            _ => Discount::PerRound { factor: 0.9 },
        };
        if p.next(3) == 0 {
            a.preferences.reservation = Reservation::Outcome(s.space.outcome_at(p.next(n as usize) as u64).expect("in range"));
        }
    }
    if s.actors.len() > 2 && p.next(2) == 0 {
        s.actors[2].role = if p.next(2) == 0 { Role::Mediator } else { Role::Observer };
    }
    s.protocol.protocol = [ProtocolName::JointTable, ProtocolName::SingleText].get(p.next(3)).copied();
    s.protocol.rounds = [None, Some(1), Some(100)][p.next(3)];
    if p.next(2) == 0 {
        s.protocol.opening_text = Some(s.space.outcome_at(p.next(n as usize) as u64).expect("in range"));
    }
    if p.next(2) == 0 {
        // the protocol's mediator is the actor with the mediator role
        s.actors[0].role = Role::Mediator;
        for a in s.actors.iter_mut().skip(1).filter(|a| a.role == Role::Mediator) {
            a.role = Role::Observer;
        }
        s.protocol.mediator = Some(s.actors[0].id.clone());
        s.protocol.mediator_rule = [None, Some(MediatorRule::Biased), Some(MediatorRule::Neutral), Some(MediatorRule::Welfare)][p.next(4)];
    }
    if p.next(2) == 0 {
        // a red line on one value of the first issue, and sometimes a range on a numeric one
        let issue = &s.space.issues()[0];
        let value = issue.value_at(p.next(issue.cardinality().expect("finite") as usize) as u32).expect("in range");
        let mut line = RedLine::one(issue.id.clone(), value);
        line.description = p.text();
        if let Some(k) = s.space.issues().iter().skip(1).position(|i| matches!(i.kind, IssueKind::Integer { .. })) {
            let IssueKind::Integer { min, .. } = s.space.issues()[k + 1].kind else { unreachable!() };
            line.terms.push((s.space.issues()[k + 1].id.clone(), Condition::Range { min: Some(min as f64), max: None }));
        }
        s.actors[1].red_lines.push(line);
    }
    if p.next(2) == 0 {
        let issue = &s.space.issues()[0];
        let value = issue.value_at(p.next(issue.cardinality().expect("finite") as usize) as u32).expect("in range");
        s.openings.push(Opening { actor: s.actors[1].id.clone(), issue: issue.id.clone(), value });
    }
    let issue_ids: Vec<String> = s.space.issues().iter().map(|i| i.id.clone()).collect();
    for v in 0..p.next(3) {
        let mut variant = Variant { id: format!("v{v}"), title: p.text(), description: p.text(), patches: Vec::new() };
        for _ in 0..6 {
            let actor = s.actors[p.next(s.actors.len())].id.clone();
            let issue = issue_ids[p.next(issue_ids.len())].clone();
            let k = s.space.issue_index(&issue).expect("issue");
            let patch = match p.next(9) {
                0 => Patch::Role { actor, role: [Role::Party, Role::Mediator, Role::Observer][p.next(3)] },
                1 => Patch::Required { actor, required: p.next(2) == 0 },
                2 => Patch::Reservation {
                    actor,
                    reservation: if p.next(3) == 0 {
                        Reservation::None
                    } else if p.next(2) == 0 {
                        Reservation::Value(0.25)
                    } else {
                        Reservation::Outcome(s.space.outcome_at(p.next(n as usize) as u64).expect("in range"))
                    },
                },
                3 => Patch::Position {
                    actor,
                    issue,
                    ideal: [None, Some(0.0), Some(1.0), Some(42.5)][p.next(4)],
                    salience: [None, Some(0.5)][p.next(2)],
                },
                4 if p.next(2) == 0 => {
                    let iss = &s.space.issues()[k];
                    let value = iss.value_at(p.next(iss.cardinality().expect("finite") as usize) as u32).expect("in range");
                    Patch::RedLines { actor, red_lines: if p.next(3) == 0 { vec![] } else { vec![RedLine::one(issue, value)] } }
                }
                4 => Patch::Capability { actor, capability: 7.5 },
                5 => Patch::Strategy { actor, strategy: detente_core::NegotiatorKind::Conceder.into() },
                6 => Patch::MediatorRule([MediatorRule::Biased, MediatorRule::Neutral, MediatorRule::Welfare][p.next(3)]),
                7 => {
                    let iss = &s.space.issues()[k];
                    let value = iss.value_at(p.next(iss.cardinality().expect("finite") as usize) as u32).expect("in range");
                    Patch::Opening(Opening { actor, issue, value })
                }
                _ => match s.space.issues()[k].options() {
                    Some(opts) if opts.len() > 1 => Patch::ExcludeOptions { issue, options: vec![opts[opts.len() - 1].id.clone()] },
                    _ => Patch::Capability { actor, capability: 0.0 },
                },
            };
            variant.patches.push(patch);
            let mut trial = s.clone();
            trial.variants = vec![variant.clone()];
            if trial.validate().is_err() {
                variant.patches.pop();
            }
        }
        s.variants.push(variant);
    }
    s.validate().expect("decorations keep the scenario valid")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Random valid scenarios (every issue kind, linear and spatial preferences) survive
    /// TOML, JSON and TOML → JSON round trips unchanged.
    #[test]
    fn random_scenarios_round_trip(s in detente_core::strategies::scenario(4, 4, 5)) {
        assert_round_trips(&s);
    }

    /// The same with every optional part of the format filled in (texts that stress quoting,
    /// reservation outcomes, discounts, openings, variants with every kind of patch).
    #[test]
    fn decorated_random_scenarios_round_trip(s in detente_core::strategies::scenario(4, 4, 5), seed in any::<u64>()) {
        assert_round_trips(&decorate(s, seed));
    }
}

/// The fenced blocks of `docs/scenario-format.md` with this info string.
fn doc_blocks(lang: &str) -> Vec<String> {
    let doc = std::fs::read_to_string(repo_root().join("docs/scenario-format.md")).expect("docs/scenario-format.md");
    let fence = format!("```{lang}\n");
    doc.split(fence.as_str()).skip(1).map(|b| b.split("```").next().expect("closed block").to_string()).collect()
}

#[test]
fn the_documented_examples_load_and_round_trip() {
    // the conflict part's example is read by the conflict reader (tests/conflict.rs)
    let toml: Vec<String> = doc_blocks("toml").into_iter().filter(|b| !b.contains("[conflict]")).collect();
    assert_eq!(toml.len(), 1, "one annotated TOML example");
    let s = from_toml_str(&toml[0], "docs/scenario-format.md").unwrap_or_else(|e| panic!("{e}"));
    assert_round_trips(&s);
    let kinds: Vec<String> =
        s.space.issues().iter().map(|i| format!("{:?}", i.kind).split(' ').next().expect("name").to_string()).collect();
    assert_eq!(kinds, ["Categorical", "Ordinal", "Integer", "Real"]);
    let prefs: Vec<&str> = s
        .actors
        .iter()
        .map(|a| match a.preferences.utility {
            Utility::Spatial(_) => "spatial",
            Utility::LinearAdditive(_) => "linear",
            Utility::Table(_) => "table",
        })
        .collect();
    assert_eq!(prefs, ["spatial", "linear", "table", "spatial"]);
    let patch_kinds: std::collections::BTreeSet<String> =
        s.variants.iter().flat_map(|v| &v.patches).map(|p| format!("{p:?}").split([' ', '(']).next().expect("name").to_string()).collect();
    assert_eq!(patch_kinds.len(), 8, "every patch kind but exclude_options: {patch_kinds:?}");
    for v in &s.variants {
        s.with_variant(&v.id).unwrap_or_else(|e| panic!("{e}"));
    }
    let json = doc_blocks("json");
    assert_eq!(json.len(), 1, "one JSON example");
    let j = from_json_str(&json[0], "docs/scenario-format.md").unwrap_or_else(|e| panic!("{e}"));
    assert_round_trips(&j);
}

#[test]
fn extreme_numbers_round_trip_exactly() {
    let (_, s) = shipped("textbook-bilateral.toml");
    for x in [1e20, 1e15, 123456789012345.6, 0.1 + 0.2, 1e-7, 5e-324, f64::MAX] {
        let s = s
            .edited(|s| {
                s.actors[0].capability = x;
                // a reservation must be a utility the actor can reach: the same digits, scaled into [0, 1]
                s.actors[1].preferences.reservation = Reservation::Value(if x <= 1.0 { x } else { 1.0 / x });
            })
            .unwrap();
        assert_round_trips(&s);
    }
}

#[test]
fn load_path_reads_native_toml_and_json_by_extension() {
    let (_, s) = shipped("textbook-three-party.toml");
    let dir = tempfile::tempdir().expect("temp dir");
    let toml = dir.path().join("s.toml");
    let json = dir.path().join("s.json");
    std::fs::write(&toml, to_toml_string(&s).expect("writes")).expect("write");
    std::fs::write(&json, to_json_string(&s).expect("writes")).expect("write");
    assert_eq!(detente_formats::load_path(&toml).expect("loads TOML"), s);
    assert_eq!(detente_formats::load_path(&json).expect("loads JSON"), s);
    std::fs::write(&toml, "format = 1\nid = \"x\"\n").expect("write");
    let err = detente_formats::load_path(&toml).expect_err("incomplete");
    let shown = err.to_string();
    assert!(shown.starts_with(&format!("{}:1:1: missing field", toml.display())), "{shown}");
}
