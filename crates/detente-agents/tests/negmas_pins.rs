//! NegMAS 0.16 runs of every negotiator detente says reproduces a NegMAS-native one, pinned
//! offer by offer (`negmas_pins/pins.json`, written by `scripts/negmas-pins/pins.py` from the
//! project's own small random scenarios, NegMAS re-run with ties broken the stable way).
//!
//! Covered: `NaiveTitForTatNegotiator` (detente `tft`), `MiCRONegotiator` (`micro`),
//! `ToughNegotiator` (against detente's `hardliner`, the GENIUS Hardliner), and the time-based
//! family (`aspiration`, `boulware`, `linear`, `conceder`) as their partners and on their own.
//! Not covered: `RandomNegotiator` (its draws come from Python's generator).
//!
//! Documented difference: when several outcomes tie at a party's maximum, NegMAS's
//! `ToughNegotiator` offers the highest-index one (`extreme_outcomes()`), the GENIUS
//! `hardliner` the lowest-index one (its nearest-utility search). Such runs are checked to
//! differ for exactly that reason; every other run reproduces offer by offer.
//!
//! MiCRO repeats a random earlier offer when the other side has not sent as many distinct
//! offers as it has; detente's choice comes from its own seeded generator, so a run in which
//! NegMAS made such a choice among two or more outcomes is compared up to that step only.

use detente_agents::{Micro, NaiveTitForTat, TimeBased, TimeDependent};
use detente_core::{Issue, OutcomeSpace};
use detente_protocol::{Action, Negotiator, PartyUtility, PreparedScenario, Session, SessionConfig, Status};
use rand::SeedableRng;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::sync::Arc;

const PINS: &str = include_str!("negmas_pins/pins.json");

fn negotiator(class: &str) -> Box<dyn Negotiator> {
    match class {
        "AspirationNegotiator" => Box::new(TimeBased::ASPIRATION),
        "BoulwareTBNegotiator" => Box::new(TimeBased::BOULWARE),
        "LinearTBNegotiator" => Box::new(TimeBased::LINEAR),
        "ConcederTBNegotiator" => Box::new(TimeBased::CONCEDER),
        "NaiveTitForTatNegotiator" => Box::new(NaiveTitForTat::DEFAULT),
        "NaiveTitForTatNegotiator(kindness=0.05)" => Box::new(NaiveTitForTat::new(0.05, false)),
        "NaiveTitForTatNegotiator(punish=True)" => Box::new(NaiveTitForTat::new(0.0, true)),
        "MiCRONegotiator" => Box::new(Micro::new(rand_chacha::ChaCha8Rng::seed_from_u64(0))),
        "ToughNegotiator" => Box::new(TimeDependent::HARDLINER),
        other => panic!("no negotiator for {other}"),
    }
}

fn prepared(s: &Json) -> Arc<PreparedScenario> {
    let issues: Vec<Issue> = s["issues"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(k, n)| Issue::integer(format!("i{k}"), 0, n.as_i64().unwrap() - 1, 1))
        .collect();
    let space = OutcomeSpace::new(issues);
    let utilities: Vec<Arc<PartyUtility>> = s["utilities"]
        .as_array()
        .unwrap()
        .iter()
        .zip(s["reserved"].as_array().unwrap())
        .enumerate()
        .map(|(k, (row, r))| {
            let u: Vec<f64> = row.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
            Arc::new(PartyUtility::from_utilities(u, r.as_f64(), &format!("p{k}")).unwrap())
        })
        .collect();
    let ids = (0..utilities.len()).map(|k| format!("p{k}")).collect();
    Arc::new(PreparedScenario::from_parts(space, ids, utilities))
}

/// One pinned run replayed: `None` when it reproduces, else what differs.
fn replay(p: &Arc<PreparedScenario>, run: &Json) -> Option<String> {
    let classes: Vec<&str> = run["negotiators"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let n_steps = run["n_steps"].as_u64().unwrap() as u32;
    let negs = classes.iter().map(|c| negotiator(c)).collect();
    let mut s = Session::new(Arc::clone(p), (0..classes.len()).collect(), negs, SessionConfig::rounds(n_steps)).unwrap();
    let r = s.run(&mut ());
    let got: Vec<[u64; 3]> = s
        .history()
        .iter()
        .filter_map(|e| match e.action {
            Action::Offer(o) => Some([u64::from(e.round), u64::from(e.actor), o]),
            _ => None,
        })
        .collect();
    let want: Vec<[u64; 3]> =
        run["trace"].as_array().unwrap().iter().map(|t| [t[0].as_u64().unwrap(), t[1].as_u64().unwrap(), t[2].as_u64().unwrap()]).collect();
    if let Some(step) = run["random_from_step"].as_u64() {
        let (g, w): (Vec<_>, Vec<_>) = (got.iter().filter(|t| t[0] < step).collect(), want.iter().filter(|t| t[0] < step).collect());
        return (g != w).then(|| format!("before step {step}: got {g:?}\nwant {w:?}"));
    }
    let result_ok = match (&r.status, run["agreement"].as_u64()) {
        (Status::Agreed { outcome, round }, Some(idx)) => *outcome == idx && u64::from(*round) == run["agreement_round"].as_u64().unwrap(),
        (Status::TimedOut, None) => run["timedout"].as_bool() == Some(true),
        (Status::Broken { .. }, None) => run["broken"].as_bool() == Some(true),
        _ => false,
    };
    (!result_ok || got != want).then(|| {
        format!(
            "got {:?} want agreement {} round {} timedout {} broken {}\ngot  {got:?}\nwant {want:?}",
            r.status, run["agreement"], run["agreement_round"], run["timedout"], run["broken"]
        )
    })
}

/// The outcomes tied at party `k`'s maximum, when there are several.
fn tied_maxima(p: &PreparedScenario, k: usize) -> Option<Vec<u64>> {
    let u = p.utility(k);
    let t: Vec<u64> = (0..u.len() as u64).filter(|&o| u.utility(o) == u.max()).collect();
    (t.len() > 1).then_some(t)
}

/// Every pinned run, with matches counted per NegMAS class taking part.
#[test]
fn negmas_pinned_runs_reproduce_offer_by_offer() {
    let pins: Json = serde_json::from_str(PINS).unwrap();
    assert_eq!(pins["negmas_version"], "0.16.0");
    let mut per_class: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let (mut total, mut documented) = (0, 0);
    for s in pins["scenarios"].as_array().unwrap() {
        let p = prepared(s);
        for run in s["runs"].as_array().unwrap() {
            total += 1;
            let classes: Vec<&str> = run["negotiators"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
            let tough = classes.iter().position(|&c| c == "ToughNegotiator");
            if let Some(ties) = tough.and_then(|k| tied_maxima(&p, k)) {
                // the documented difference: NegMAS's ToughNegotiator offers the highest-index
                // maximum, detente's hardliner the lowest
                let k = tough.unwrap() as u64;
                let first =
                    |trace: &Json| trace.as_array().unwrap().iter().find(|t| t[1].as_u64() == Some(k)).map(|t| t[2].as_u64().unwrap());
                assert_eq!(first(&run["trace"]), ties.last().copied(), "{} {classes:?}", s["name"]);
                let negs = classes.iter().map(|c| negotiator(c)).collect();
                let mut session = Session::new(
                    Arc::clone(&p),
                    (0..classes.len()).collect(),
                    negs,
                    SessionConfig::rounds(run["n_steps"].as_u64().unwrap() as u32),
                )
                .unwrap();
                session.run(&mut ());
                let mine = session.history().iter().find(|e| u64::from(e.actor) == k && matches!(e.action, Action::Offer(_)));
                assert_eq!(mine.map(|e| e.action), Some(Action::Offer(ties[0])), "{} {classes:?}", s["name"]);
                documented += 1;
                continue;
            }
            let bad = replay(&p, run);
            let mut seen = classes.clone();
            seen.dedup();
            seen.sort_unstable();
            seen.dedup();
            for c in seen {
                let e = per_class.entry(c).or_default();
                e.1 += 1;
                e.0 += usize::from(bad.is_none());
            }
            if let Some(why) = bad {
                failures.push(format!("{} {classes:?} n_steps={}: {why}", s["name"], run["n_steps"]));
            }
        }
    }
    for (c, (ok, n)) in &per_class {
        eprintln!("{c}: {ok}/{n}");
    }
    eprintln!("{documented} runs with a tied ToughNegotiator maximum (documented difference)");
    assert!(total >= 150 && documented < total / 4, "{total} {documented}");
    assert!(failures.is_empty(), "{} of {total} differ:\n{}", failures.len(), failures.join("\n\n"));
}
