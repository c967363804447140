//! All 96 NegMAS reference negotiations (`negmas-vectors/vectors.json`, negmas 0.16.0),
//! reproduced exactly against their `stable_ties` results (NegMAS re-run with ties broken by
//! lowest outcome index): agreement outcome, agreement round, both utilities bit for bit, and
//! the full offer trace.

use detente_agents::TimeBased;
use detente_protocol::{Action, Negotiator, PreparedScenario, Session, SessionConfig, Status};
use detente_testkit::{negmas_vectors, vector_scenario};
use serde_json::Value as Json;
use std::sync::Arc;

fn negotiator(class: &str) -> Box<dyn Negotiator> {
    Box::new(match class {
        "BoulwareTBNegotiator" => TimeBased::BOULWARE,
        "LinearTBNegotiator" => TimeBased::LINEAR,
        "ConcederTBNegotiator" => TimeBased::CONCEDER,
        "AspirationNegotiator" => TimeBased::ASPIRATION,
        other => panic!("no negotiator for {other}"),
    })
}

#[test]
#[ignore = "needs ../shared"]
fn all_96_negmas_vector_negotiations_reproduce_exactly() {
    let v = negmas_vectors();
    // the defaults we hard-code are the ones recorded
    for (class, tb) in [
        ("BoulwareTBNegotiator", TimeBased::BOULWARE),
        ("LinearTBNegotiator", TimeBased::LINEAR),
        ("ConcederTBNegotiator", TimeBased::CONCEDER),
        ("AspirationNegotiator", TimeBased::ASPIRATION),
    ] {
        let p = &v["negotiator_params"][class];
        assert_eq!(p["exponent"].as_f64(), Some(tb.exponent), "{class}");
        assert_eq!(p["eps"].as_f64(), Some(tb.eps), "{class}");
        assert_eq!(p["max_aspiration"].as_f64(), Some(tb.max_aspiration), "{class}");
        assert_eq!(p["stochastic"], Json::Bool(false));
    }
    let mut total = 0;
    let mut mismatches = Vec::new();
    for entry in v["scenarios"].as_array().unwrap() {
        let scenario = vector_scenario(entry);
        let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
        for neg in entry["negotiations"].as_array().unwrap() {
            total += 1;
            let classes: Vec<&str> = neg["negotiators"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
            let n_steps = neg["n_steps"].as_u64().unwrap() as u32;
            let negs = classes.iter().map(|c| negotiator(c)).collect();
            let mut s = Session::new(Arc::clone(&prepared), (0..classes.len()).collect(), negs, SessionConfig::rounds(n_steps)).unwrap();
            let r = s.run(&mut ());
            let st = &neg["stable_ties"];
            let want_trace = if st["same_trace_as_default"].as_bool().unwrap() { &neg["trace"] } else { &st["trace"] };
            let got_trace: Vec<[u64; 3]> = s
                .history()
                .iter()
                .filter_map(|e| match e.action {
                    Action::Offer(o) => Some([u64::from(e.round), u64::from(e.actor), o]),
                    _ => None,
                })
                .collect();
            let want_trace: Vec<[u64; 3]> = want_trace
                .as_array()
                .unwrap()
                .iter()
                .map(|t| [t[0].as_u64().unwrap(), t[1].as_u64().unwrap(), t[2].as_u64().unwrap()])
                .collect();
            let ok = match (&r.status, st["agreement_index"].as_u64()) {
                (Status::Agreed { outcome, round }, Some(idx)) => {
                    let want_u: Vec<f64> = st["agreement_utilities"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
                    *outcome == idx && u64::from(*round) == st["agreement_round"].as_u64().unwrap() && r.utilities == want_u
                }
                (Status::TimedOut, None) => st["timedout"].as_bool() == Some(true) && r.rounds == n_steps,
                _ => false,
            } && got_trace == want_trace;
            if !ok {
                mismatches.push(format!(
                    "{} {:?} n_steps={n_steps}: got {:?} rounds {} utils {:?} want {} trace {:?} want {:?}",
                    entry["path"],
                    classes,
                    r.status,
                    r.rounds,
                    r.utilities,
                    st,
                    got_trace.len(),
                    want_trace.len()
                ));
            }
        }
    }
    assert_eq!(total, 96);
    assert!(mismatches.is_empty(), "{} of 96 differ:\n{}", mismatches.len(), mismatches.join("\n"));
}

/// Our precomputed utilities equal NegMAS's recorded utility tables bit for bit (the
/// summation order `bias + w₁v₁ + w₂v₂ + …` matters: a 1-ulp difference can reorder ties).
#[test]
#[ignore = "needs ../shared"]
fn prepared_utilities_equal_negmas_tables_bit_for_bit() {
    let v = negmas_vectors();
    let mut checked = 0;
    for entry in v["scenarios"].as_array().unwrap() {
        let Some(table) = entry["utility_table"].as_array() else { continue };
        let prepared = PreparedScenario::new(&vector_scenario(entry)).unwrap();
        for (i, row) in table.iter().enumerate() {
            for (k, want) in row.as_array().unwrap().iter().enumerate() {
                assert_eq!(prepared.utility(k).utility(i as u64), want.as_f64().unwrap(), "{} outcome {i} party {k}", entry["path"]);
                checked += 1;
            }
        }
    }
    assert!(checked > 9_000, "{checked}");
}

/// The same 96 negotiations end to end through detente's own GENIUS reader (NegMAS semantics)
/// on the XML files the vectors were made from.
#[test]
#[ignore = "needs ../shared"]
fn all_96_reproduce_through_the_genius_reader() {
    let v = negmas_vectors();
    let root = detente_testkit::shared_data("negmas-vectors/scenarios");
    let mut n = 0;
    for entry in v["scenarios"].as_array().unwrap() {
        let path = root.join(entry["path"].as_str().unwrap());
        let scenario = detente_formats::genius::load_folder(&path, detente_formats::genius::Semantics::Negmas).unwrap();
        let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
        assert_eq!(prepared.n_outcomes(), entry["n_outcomes"].as_u64().unwrap());
        for neg in entry["negotiations"].as_array().unwrap() {
            let classes: Vec<&str> = neg["negotiators"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
            let n_steps = neg["n_steps"].as_u64().unwrap() as u32;
            let negs = classes.iter().map(|c| negotiator(c)).collect();
            let mut s = Session::new(Arc::clone(&prepared), (0..classes.len()).collect(), negs, SessionConfig::rounds(n_steps)).unwrap();
            let r = s.run(&mut ());
            let st = &neg["stable_ties"];
            let got = r.status.agreement();
            assert_eq!(got, st["agreement_index"].as_u64(), "{} {classes:?} {n_steps}", entry["path"]);
            if got.is_some() {
                assert_eq!(u64::from(r.rounds) - 1, st["agreement_round"].as_u64().unwrap());
                let want: Vec<f64> = st["agreement_utilities"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
                assert_eq!(r.utilities, want, "{} {classes:?} {n_steps}", entry["path"]);
            }
            n += 1;
        }
    }
    assert_eq!(n, 96);
}
