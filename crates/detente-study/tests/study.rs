//! The study as a library: every finding points to evidence that exists, variants that change
//! nothing are said to, the opening test is generic, and probabilities are honest.

use detente_study::{study, Direction, Probability, Section, StudyConfig, Topic};

use detente_testkit::shipped_scenario as load;

fn quick() -> StudyConfig {
    StudyConfig { runs: 0, ..StudyConfig::default() }
}

#[test]
fn every_finding_points_to_a_section_of_the_report() {
    let s = load("ukraine-ceasefire-2025.toml");
    let r = study(&s, &quick()).expect("study");
    assert_eq!(r.schema, "detente-study/2");
    assert!(r.findings.len() >= 6, "{:#?}", r.findings);
    let mut anchors: Vec<String> = ["deal", "simulation", "comparison", "forecast", "robustness"].map(String::from).to_vec();
    anchors.extend(r.cases.iter().map(|c| format!("variant-{}", c.id)));
    anchors.extend(r.simulation.opening_tests.iter().filter_map(Section::ran).map(|t| format!("opening-{}", t.variant)));
    for f in &r.findings {
        assert!(anchors.contains(&f.evidence), "finding {:?} points to {}, which is not a section", f.text, f.evidence);
        assert!(f.text.ends_with('.'), "a finding is a sentence: {:?}", f.text);
    }
    assert_eq!(r.findings[0].topic, Topic::Zone);
    // one sentence per variant, in variant order
    let variants: Vec<&str> = r.findings.iter().filter(|f| f.topic == Topic::Variant).map(|f| f.evidence.as_str()).collect();
    assert_eq!(variants, s.variants.iter().map(|v| format!("variant-{}", v.id)).collect::<Vec<_>>());
}

#[test]
fn a_variant_that_restates_the_base_is_said_to_change_nothing() {
    let s = load("ukraine-ceasefire-2025.toml");
    let r = study(&s, &quick()).expect("study");
    let baseline = r.findings.iter().find(|f| f.evidence == "variant-baseline").expect("a finding for baseline");
    assert!(baseline.text.contains("restates the base case: none of its changes changes anything"), "{}", baseline.text);
    let unread = &r.cases.iter().find(|c| c.id == "baseline").expect("case").unread;
    assert!(unread.len() == 2 && unread.iter().all(|u| u.restates_base), "{unread:?}");
    // a change some lenses cannot read is named with them
    let early = r.findings.iter().find(|f| f.evidence == "variant-early_concession").expect("finding");
    assert!(early.text.contains("Not read by the analysis, the single-text runs and the forecasts"), "{}", early.text);
    let europe = r.findings.iter().find(|f| f.evidence == "variant-europe_at_the_table").expect("finding");
    assert!(europe.text.contains("shrinks the zone from 13,806 to 13,704 deals"), "{}", europe.text);
    assert!(europe.text.contains("leaves the Nash and Kalai-Smorodinsky deals"), "{}", europe.text);
    // identical simulation results are grouped, not repeated
    let same: Vec<(&str, Option<&str>)> = r.simulation.cases.iter().map(|c| (c.case.as_str(), c.same_as.as_deref())).collect();
    assert!(same.contains(&("baseline", Some("base"))), "{same:?}");
    assert!(same.contains(&("us_steps_back", None)), "{same:?}");
}

#[test]
fn the_opening_test_runs_for_any_variant_that_adds_an_opening() {
    let s = load("textbook-three-party.toml");
    let r = study(&s, &quick()).expect("study");
    let tests: Vec<_> = r.simulation.opening_tests.iter().filter_map(Section::ran).collect();
    assert_eq!(tests.len(), 1, "{:#?}", r.simulation.opening_tests);
    let t = tests[0];
    assert_eq!(t.variant, "neutral_authority");
    assert_eq!(t.conceding, ["northbury"]);
    assert!(t.demands.iter().all(|d| d.party != "northbury"), "the conceding party is not asked for its demand");
    assert_eq!(t.larger_demands, t.demands.iter().any(|d| d.direction == Direction::More));
    let f = r.findings.iter().find(|f| f.topic == Topic::OpeningTest).expect("an opening finding");
    assert!(f.text.contains("northbury concedes capacity = 50"), "{}", f.text);
}

#[test]
fn wilson_intervals_contain_the_share_and_shrink_with_runs() {
    let a = Probability::of(5, 10);
    let b = Probability::of(500, 1000);
    assert!(a.lo < 0.5 && 0.5 < a.hi);
    assert!(b.hi - b.lo < a.hi - a.lo);
    let none = Probability::of(0, 20);
    assert_eq!(none.p, 0.0);
    assert_eq!(none.lo, 0.0);
    assert!(none.hi > 0.1 && none.hi < 0.2, "0 of 20 does not prove 0 %: {}", none.hi);
    // The interval holds the share at every count (0 of 12 once gave a lower end of 3e-17).
    for n in 1..=200 {
        for hits in 0..=n {
            let p = Probability::of(hits, n);
            assert!(p.lo <= p.p && p.p <= p.hi, "{hits} of {n}: {p:?}");
        }
        assert_eq!((Probability::of(0, n).lo, Probability::of(n, n).hi), (0.0, 1.0));
    }
}

#[test]
fn robustness_is_off_without_runs_or_spreads() {
    let s = load("textbook-bilateral.toml");
    let r = study(&s, &StudyConfig::default()).expect("study");
    assert!(matches!(&r.robustness, Section::NotRun { reason } if reason.contains("states no spreads")));
    let r = study(&load("ukraine-ceasefire-2025.toml"), &quick()).expect("study");
    assert!(matches!(&r.robustness, Section::NotRun { reason } if reason.contains("runs = 0")));
}

#[test]
fn the_nash_deal_with_the_mediator_counted_is_named_apart_from_that_of_the_parties_that_must_agree() {
    let s = load("ukraine-ceasefire-2025.toml");
    let r = study(&s, &StudyConfig { seeds: 5, ..quick() }).expect("study"); // 5: the distances need arms with 5 deals
    let text = |t: Topic| r.findings.iter().filter(|f| f.topic == t).map(|f| f.text.as_str()).collect::<Vec<_>>().join(" ");
    // the deal lens counts every analysed party, the mediator too
    assert!(
        text(Topic::Solutions)
            .starts_with("The Nash deal with the mediator counted (the most gain for usa, russia, ukraine and europe, multiplied)"),
        "{}",
        text(Topic::Solutions)
    );
    assert_eq!(r.nash_counted("base"), " (mediator counted)");
    // simulated results are measured against the Nash deal of the parties that must agree
    assert!(text(Topic::Protocols).contains("Frontier and Nash point are those of russia and ukraine, who must agree."));
    assert!(text(Topic::Comparison).contains("at the Nash deal of russia and ukraine"), "{}", text(Topic::Comparison));
    // where the parties that must agree are every party, there is one Nash deal and no qualifier
    let b = study(&load("textbook-bilateral.toml"), &quick()).expect("study");
    assert_eq!(b.nash_counted("base"), "");
    let sol = b.findings.iter().find(|f| f.topic == Topic::Solutions).expect("solutions");
    assert!(sol.text.starts_with("The Nash deal (the most gain for all, multiplied)"), "{}", sol.text);
}

/// A scenario that states attention shares gets a note in the forecast section naming the models
/// that do not read the convention; one that states the default gets none.
#[test]
fn the_forecast_section_says_which_models_do_not_read_attention_shares() {
    let base = load("textbook-three-party.toml");
    assert_eq!(detente_study::forecast::salience_note(&base), None);
    let mut draft = base.into_draft();
    draft.salience = detente_core::SalienceConvention::AttentionShares;
    for a in &mut draft.actors {
        if let detente_core::Utility::Spatial(sp) = &mut a.preferences.utility {
            let total: f64 = sp.positions.iter().flatten().map(|p| p.salience).sum();
            for p in sp.positions.iter_mut().flatten() {
                p.salience /= total.max(1.0);
            }
        }
    }
    let shares = draft.validate().expect("shares summing to at most 1");
    let note = detente_study::forecast::salience_note(&shares).expect("a note");
    assert!(note.contains("only smp reads that: mean, median, eu"), "{note}");
}
