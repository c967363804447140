//! Issue #10, item 8: the study's protocol and mediator-rule comparisons are made over seeds and
//! report their spread — agreement rates with Wilson intervals, each required party's utility and
//! the distance to the frontier with mean, sd and quartiles — deterministically, whatever the
//! thread count.

use detente_core::{MediatorRule, ProtocolName};
use detente_study::{study, Arm, Section, StudyConfig, Topic, DEFAULT_SEEDS};

use detente_testkit::shipped_scenario as load;

fn config(seeds: usize) -> StudyConfig {
    StudyConfig { runs: 0, seeds, variant: Some("baseline".into()), ..StudyConfig::default() }
}

#[test]
fn every_protocol_and_rule_is_compared_over_seeds_with_its_spread() {
    assert_eq!(StudyConfig::default().seeds, DEFAULT_SEEDS);
    assert_eq!(DEFAULT_SEEDS, 40);
    let s = load("ukraine-ceasefire-2025.toml");
    let r = study(&s, &config(12)).expect("study");
    let c = r.simulation.comparison.ran().expect("the comparison ran");
    assert_eq!((c.case.as_str(), c.seeds, c.deadline), ("baseline", 12, 30));
    assert_eq!(c.parties, ["russia", "ukraine"]);
    assert_eq!(c.mediator.as_deref(), Some("usa"));
    // The joint table, then every mediated protocol under every rule, knowing only the votes and
    // knowing every utility; the one combination the library refuses is said not to run.
    let arms: Vec<Arm> = c.arms.iter().map(|a| a.arm).collect();
    assert_eq!(arms, Arm::all());
    assert_eq!(arms.len(), 1 + 2 * 4 * 3);
    assert!(arms.iter().any(|a| a.protocol == ProtocolName::Shuttle && a.rule == Some(MediatorRule::Welfare) && a.omniscient()));
    for a in &c.arms {
        let refused = !a.arm.omniscient()
            && a.arm.rule == Some(MediatorRule::Welfare)
            && matches!(a.arm.protocol, ProtocolName::SingleText | ProtocolName::SingleTextVeto);
        assert_eq!(a.not_run.is_some(), refused, "{}: {:?}", a.arm.label(), a.not_run);
        if refused {
            assert!(a.not_run.as_deref().unwrap().contains("welfare mediator rule has no effect here"), "{:?}", a.not_run);
        }
    }
    // each votes-only arm is set against its omniscient twin
    let knowing = c.contrasts.iter().filter(|x| x.a.protocol == x.b.protocol && x.a.rule == x.b.rule).count();
    assert_eq!(knowing, 4 * 3 - 2);
    for a in c.arms.iter().filter(|a| a.not_run.is_none()) {
        let label = a.arm.label();
        assert_eq!(a.runs, 12, "{label}");
        assert!(a.agreed.lo <= a.agreed.p && a.agreed.p <= a.agreed.hi, "{label}: {:?}", a.agreed);
        assert_eq!(a.agreed.p, a.deals as f64 / a.runs as f64);
        assert!(a.distinct_deals <= a.deals && (a.deals == 0) == (a.distinct_deals == 0), "{label}");
        // every required party's utility over every seed, with its spread
        let who: Vec<&str> = a.utilities.iter().map(|u| u.actor.as_str()).collect();
        assert_eq!(who, ["russia", "ukraine"]);
        for u in &a.utilities {
            let x = u.utility;
            assert_eq!(x.n, 12);
            assert!(x.min <= x.q1 && x.q1 <= x.median && x.median <= x.q3 && x.q3 <= x.max && x.sd >= 0.0, "{label}: {x:?}");
        }
        // distances over the deals only
        assert_eq!(a.pareto_distance.map_or(0, |d| d.n), a.deals, "{label}");
        assert_eq!(a.nash_distance.map_or(0, |d| d.n), a.deals, "{label}");
        // the mediator's price where it mediates, over the deals
        assert_eq!(a.mediator_gain.map_or(0, |g| g.n), if a.arm.rule.is_some() { a.deals } else { 0 }, "{label}");
    }
    // Contrasts: the higher rate first, and "borne out" exactly when the interval excludes zero.
    assert!(!c.contrasts.is_empty());
    for x in &c.contrasts {
        assert!(x.difference >= 0.0 && x.lo <= x.difference && x.difference <= x.hi);
        assert_eq!(x.borne_out, x.lo > 0.0);
    }
    // The findings say it with measured frequencies and intervals, pointing at the section.
    let f: Vec<_> = r.findings.iter().filter(|f| f.topic == Topic::Comparison).collect();
    assert!(!f.is_empty());
    assert!(f.iter().all(|f| f.evidence == "comparison"));
    assert!(f[0].text.contains("Over 12 seeds per protocol and mediator rule") && f[0].text.contains("% ["), "{}", f[0].text);
}

#[test]
fn the_comparison_is_the_same_whatever_the_thread_count_and_moves_with_the_seed() {
    let s = load("ukraine-ceasefire-2025.toml");
    let run = |threads: usize, seed: u64| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool");
        let r = pool.install(|| study(&s, &StudyConfig { seed, ..config(8) })).expect("study");
        serde_json::to_string(&r.simulation.comparison).expect("serialisable")
    };
    let one = run(1, 3);
    assert_eq!(one, run(2, 3), "same seed, same bytes on 1 and 2 threads");
    assert_ne!(one, run(2, 4), "the random arms move with the study's seed");
}

#[test]
fn no_seeds_no_comparison_and_too_many_are_refused() {
    let s = load("textbook-bilateral.toml");
    let r = study(&s, &StudyConfig { runs: 0, seeds: 0, ..StudyConfig::default() }).expect("study");
    assert!(matches!(&r.simulation.comparison, Section::NotRun { reason } if reason.contains("seeds = 0")));
    assert!(r.findings.iter().all(|f| f.topic != Topic::Comparison));
    let e = study(&s, &StudyConfig { seeds: detente_study::MAX_SEEDS + 1, ..StudyConfig::default() }).unwrap_err();
    assert!(e.to_string().starts_with("seeds: expected at most"), "{e}");
    // Without a mediator, a biased rule cannot run; the other arms still do.
    let r = study(&s, &StudyConfig { runs: 0, seeds: 4, ..StudyConfig::default() }).expect("study");
    let c = r.simulation.comparison.ran().expect("ran");
    assert!(c.mediator.is_none());
    for a in &c.arms {
        let votes_welfare = !a.arm.omniscient()
            && a.arm.rule == Some(MediatorRule::Welfare)
            && matches!(a.arm.protocol, ProtocolName::SingleText | ProtocolName::SingleTextVeto);
        assert_eq!(a.not_run.is_some(), a.arm.rule == Some(MediatorRule::Biased) || votes_welfare, "{}: {:?}", a.arm.label(), a.not_run);
    }
}
