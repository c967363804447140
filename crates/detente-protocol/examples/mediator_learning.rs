//! What a votes-only mediator learns on the reference scenario: after `k` truthful votes per
//! party (yes iff `u(candidate) ≥ u(text)`), how well its estimate ranks each party's outcomes
//! (Spearman) and how often it picks the omniscient mediator's text.
//!
//! ```text
//! cargo run --release -p detente-protocol --example mediator_learning [-- SCENARIO [SEEDS [VARIANT]]]
//! ```
//!
//! Pairs are drawn three ways: uniformly random candidate and text (`random`); a random text
//! and one of its neighbours, as a hill-climbing mediator proposes (`neighbour`); and random
//! pairs answered by the default voter, which says no to a candidate across its red lines
//! (`red lines`). "Nash" compares the text maximising the product of the required parties'
//! estimated gains with the omniscient neutral mediator's (the Nash text among those every
//! required party prefers to walking away and may accept); "best-rational" compares the biased
//! mediator's best text among those it estimates every required party prefers to walking away
//! with the omniscient one (`MediationSetup::initial_text`). "Nash eff." is the true Nash
//! product of the estimate's Nash text as a share of the omniscient one's (0 when the text is
//! below a required party's walk-away value), averaged over seeds. Without answers on texts alone
//! the estimated walk-away levels are 0; `+ k/10 verdicts` adds, per party, k/10 truthful
//! ratification answers (`u(text) ≥ reservation`) on random texts.

use detente_protocol::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq)]
enum Pairs {
    Random,
    Neighbour,
    RedLines,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/ukraine-ceasefire-2025.toml").into());
    let seeds: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(20);
    let mut scenario = detente_formats::load_path(std::path::Path::new(&path))?;
    if let Some(v) = args.next() {
        scenario = scenario.with_variant(&v)?;
    }
    let prepared = Arc::new(PreparedScenario::new(&scenario)?);
    let setup = MediationSetup::new(&scenario, prepared.clone())?;
    let n = prepared.n_outcomes();
    let ids = prepared.actor_ids();
    let names: Vec<&str> = setup.parties.iter().map(|&a| ids[a].as_str()).collect();
    let utils: Vec<&PartyUtility> = setup.parties.iter().map(|&a| &**prepared.utility(a)).collect();
    let truth: Vec<&[f64]> = utils.iter().map(|u| u.utilities()).collect();

    // the omniscient picks
    let required: Vec<usize> = (0..setup.parties.len()).filter(|&p| setup.required[p]).collect();
    let nash = (0..n)
        .filter(|&o| setup.rational_for_required(o) && required.iter().all(|&p| utils[p].acceptable(o)))
        .fold(None, |b: Option<(f64, u64)>, o| {
            let x = setup.objective(Objective::Neutral, o);
            if b.is_none_or(|(bx, _)| x > bx) {
                Some((x, o))
            } else {
                b
            }
        })
        .map(|b| b.1);
    let mediator = setup.mediator.ok_or("the scenario names no mediator")?;
    let biased = Objective::Biased { mediator };
    let best_rational = setup.initial_text(biased);
    let own = &**prepared.utility(mediator);
    // the true Nash product of a pick as a share of the Nash text's (0 if not rational)
    let best_nash = nash.map_or(f64::NEG_INFINITY, |o| setup.objective(Objective::Neutral, o));
    let efficiency = |pick: Option<u64>| match pick {
        Some(o) if setup.rational_for_required(o) => (setup.objective(Objective::Neutral, o) - best_nash).exp(),
        _ => 0.0,
    };

    println!("{} outcomes; parties {names:?} (required {:?}); mediator {}; {seeds} seeds", n, setup.required, ids[mediator]);
    println!("omniscient Nash text {nash:?}, biased best-rational text {best_rational}");
    let own_best =
        (0..n)
            .filter(|&o| own.acceptable(o))
            .fold(None, |b: Option<u64>, o| if b.is_none_or(|b| own.utility(o) > own.utility(b)) { Some(o) } else { b });
    println!(
        "the mediator's own best text {own_best:?} is {}rational for every required party",
        if own_best.is_some_and(|o| setup.rational_for_required(o)) { "" } else { "not " }
    );
    println!();
    let ks = [10usize, 30, 100, 300];
    for pairs in [Pairs::Random, Pairs::Neighbour, Pairs::RedLines] {
        let label = match pairs {
            Pairs::Random => "random pairs",
            Pairs::Neighbour => "neighbour pairs",
            Pairs::RedLines => "random pairs, default voter (red lines say no)",
        };
        println!("{label}");
        println!(
            "| k | {} | Nash same | rational | Nash eff. | + k/10 verdicts: Nash same | rational | Nash eff. | best-rational same | rational |",
            names.iter().map(|s| format!("ρ {s}")).collect::<Vec<_>>().join(" | ")
        );
        println!("|---|{}---|---|---|---|---|---|---|---|", "---|".repeat(names.len()));
        for &k in &ks {
            let mut rho = vec![0.0; names.len()];
            let (mut nash_same, mut nash_rational, mut nash_v_same, mut nash_v_rational, mut br_same, mut br_rational) = (0, 0, 0, 0, 0, 0);
            let (mut eff, mut eff_v) = (0.0, 0.0);
            for seed in 0..seeds {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let mut m =
                    MediatorModel::for_space(prepared.space(), setup.required.clone(), ModelConfig::default()).ok_or("not enumerable")?;
                for (p, u) in utils.iter().enumerate() {
                    for _ in 0..k {
                        let t = rng.gen_range(0..n);
                        let c = match pairs {
                            Pairs::Neighbour => {
                                let nb = setup.neighbours(t);
                                nb[rng.gen_range(0..nb.len())]
                            }
                            _ => rng.gen_range(0..n),
                        };
                        let yes = u.utility(c) >= u.utility(t) && (pairs != Pairs::RedLines || u.acceptable(c));
                        m.vote(p, c, t, yes);
                    }
                }
                for (p, r) in rho.iter_mut().enumerate() {
                    *r += rank_correlation(&m.estimates(p), truth[p]);
                }
                let pick = m.best(ModelObjective::Neutral, 0..n);
                nash_same += usize::from(pick == nash);
                nash_rational += usize::from(pick.is_some_and(|o| setup.rational_for_required(o)));
                eff += efficiency(pick);
                for (p, u) in utils.iter().enumerate() {
                    for _ in 0..k.div_ceil(10) {
                        let t = rng.gen_range(0..n);
                        m.verdict(p, t, u.utility(t) >= u.reservation_value());
                    }
                }
                let pick = m.best(ModelObjective::Neutral, 0..n);
                nash_v_same += usize::from(pick == nash);
                nash_v_rational += usize::from(pick.is_some_and(|o| setup.rational_for_required(o)));
                eff_v += efficiency(pick);
                let res = m.reservations();
                let br = m.best(ModelObjective::Biased(own), (0..n).filter(|&o| own.acceptable(o) && m.likely_rational(o, &res)));
                br_same += usize::from(br == Some(best_rational));
                br_rational += usize::from(br.is_some_and(|o| setup.rational_for_required(o)));
            }
            let pct = |x: usize| format!("{:.0}%", 100.0 * x as f64 / seeds as f64);
            println!(
                "| {k} | {} | {} | {} | {:.2} | {} | {} | {:.2} | {} | {} |",
                rho.iter().map(|r| format!("{:.3}", r / seeds as f64)).collect::<Vec<_>>().join(" | "),
                pct(nash_same),
                pct(nash_rational),
                eff / seeds as f64,
                pct(nash_v_same),
                pct(nash_v_rational),
                eff_v / seeds as f64,
                pct(br_same),
                pct(br_rational)
            );
        }
        println!();
    }
    Ok(())
}
