//! Discounting during a negotiation, as NegMAS 0.16 does it: NegMAS-computed runs of its
//! time-based negotiators on the project's own random scenarios, every profile discounted per
//! round (`ExpDiscountedUFun(factor="step")`, as NegMAS's GENIUS loader wraps a discounted
//! profile) — in some runs only the first party's. Written by `scripts/negmas_discount_pins.py`
//! (NegMAS with a stable argsort) into `negmas_discount.json`; replayed here offer by offer.
//!
//! What this pins: each negotiator accepts on the offer's utility discounted at the current
//! round (`View::utility_now`) against its undiscounted threshold, so a discount makes agreement
//! harder; and the final utilities are the agreement's discounted at the agreement round.

use detente_agents::TimeBased;
use detente_core::{Discount, Issue, OutcomeSpace};
use detente_protocol::{Action, Negotiator, PartyUtility, PreparedScenario, Session, SessionConfig, Status};
use serde_json::Value as Json;
use std::sync::Arc;

fn negotiator(name: &str) -> Box<dyn Negotiator> {
    Box::new(match name {
        "boulware" => TimeBased::BOULWARE,
        "linear" => TimeBased::LINEAR,
        "conceder" => TimeBased::CONCEDER,
        "aspiration" => TimeBased::ASPIRATION,
        other => panic!("no negotiator for {other}"),
    })
}

fn pins() -> Json {
    serde_json::from_str(include_str!("negmas_discount.json")).expect("the pinned runs parse")
}

fn trace(s: &Session<'_>) -> Vec<[u64; 3]> {
    s.history()
        .iter()
        .filter_map(|e| match e.action {
            Action::Offer(o) => Some([u64::from(e.round), u64::from(e.actor), o]),
            _ => None,
        })
        .collect()
}

/// Replays every pinned run with the given discount kind; returns the mismatches.
fn replay(per_round: bool) -> (usize, Vec<String>) {
    let v = pins();
    let (mut total, mut bad) = (0, Vec::new());
    for case in v["cases"].as_array().unwrap() {
        let sizes: Vec<i64> = case["sizes"].as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect();
        let space = OutcomeSpace::new(sizes.iter().enumerate().map(|(j, &k)| Issue::integer(format!("i{j}"), 0, k - 1, 0)).collect());
        let tables: Vec<Vec<f64>> = case["utilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect())
            .collect();
        for run in case["runs"].as_array().unwrap() {
            total += 1;
            let names: Vec<&str> = run["negotiators"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
            let discounts: Vec<Option<f64>> = run["discounts"].as_array().unwrap().iter().map(Json::as_f64).collect();
            let utilities: Vec<Arc<PartyUtility>> = tables
                .iter()
                .zip(&discounts)
                .enumerate()
                .map(|(k, (t, d))| {
                    let discount = match d {
                        Some(factor) if per_round => Discount::PerRound { factor: *factor },
                        Some(factor) => Discount::Time { factor: *factor },
                        None => Discount::None,
                    };
                    Arc::new(PartyUtility::from_utilities(t.clone(), None, &format!("p{k}")).unwrap().with_discount(discount))
                })
                .collect();
            let ids = (0..tables.len()).map(|k| format!("p{k}")).collect();
            let prepared = Arc::new(PreparedScenario::from_parts(space.clone(), ids, utilities.clone()));
            let n_steps = run["n_steps"].as_u64().unwrap() as u32;
            let negs = names.iter().map(|n| negotiator(n)).collect();
            let mut s = Session::new(prepared, (0..names.len()).collect(), negs, SessionConfig::rounds(n_steps)).unwrap();
            let r = s.run(&mut ());
            let want_trace: Vec<[u64; 3]> = run["trace"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| [t[0].as_u64().unwrap(), t[1].as_u64().unwrap(), t[2].as_u64().unwrap()])
                .collect();
            let ok = match (&r.status, run["agreement_index"].as_u64()) {
                (Status::Agreed { outcome, round }, Some(idx)) => {
                    // the final utility is the agreement's, discounted at the agreement round
                    let want_u: Vec<f64> =
                        utilities.iter().map(|u| u.discounted(u.utility(idx), r_time(*round, n_steps), *round)).collect();
                    *outcome == idx && u64::from(*round) == run["agreement_step"].as_u64().unwrap() && r.utilities == want_u
                }
                (Status::TimedOut, None) => run["timedout"].as_bool() == Some(true),
                _ => false,
            } && trace(&s) == want_trace;
            if !ok {
                bad.push(format!(
                    "{:?} {names:?} {discounts:?} n_steps={n_steps}: got {:?}\n  trace {:?}\n  want  {:?}",
                    case["sizes"],
                    r.status,
                    trace(&s),
                    want_trace
                ));
            }
        }
    }
    (total, bad)
}

fn r_time(round: u32, n_rounds: u32) -> f64 {
    f64::from(round + 1) / (f64::from(n_rounds) + 1.0)
}

#[test]
fn negmas_per_round_discounted_negotiations_reproduce_offer_by_offer() {
    let (total, bad) = replay(true);
    assert!(total >= 100, "{total} pinned runs");
    assert!(bad.is_empty(), "{} of {total} differ:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn the_pins_depend_on_the_discount_so_this_test_can_fail() {
    // Without honouring the per-round discount (a GENIUS `d^t` on the same factors is a far
    // milder discount), many of the pinned runs end differently.
    let (total, bad) = replay(false);
    assert!(bad.len() * 4 > total, "only {} of {total} differ when the discount is taken on normalised time", bad.len());
}
