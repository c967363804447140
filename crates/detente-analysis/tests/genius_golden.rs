//! GENIUS golden values (`../shared/data/genius/SOURCES.md`): opposition, Pareto size and Nash
//! point with GENIUS 10.4 semantics (evaluations ÷ issue maximum, clamp at 1, undiscounted).
//!
//! Read through the GENIUS XML reader (`detente_formats::genius::load_folder`, GENIUS semantics).

use detente_analysis::{analyze, Options, Semantics};
use detente_core::{Role, Scenario};
use detente_formats::genius::{load_folder, Semantics as Read};
use detente_testkit::shared_data;

/// Keeps only the actors whose id mentions one of `names` (case-insensitive), in that order;
/// the others become observers, which the analysis ignores.
fn select(s: Scenario, names: &[&str]) -> Scenario {
    let mut order = Vec::new();
    for n in names {
        // Prefer an id that ends with the name (`ItexvsCypress_Itex`), then one containing it.
        let n = n.to_lowercase();
        let ends = s.actors.iter().position(|a| a.id.to_lowercase().ends_with(&n));
        let i = ends
            .or_else(|| s.actors.iter().position(|a| a.id.to_lowercase().contains(&n)))
            .unwrap_or_else(|| panic!("no actor matching `{n}` among {:?}", s.actors.iter().map(|a| &a.id).collect::<Vec<_>>()));
        order.push(i);
    }
    let mut actors: Vec<_> = order.iter().map(|&i| s.actors[i].clone()).collect();
    for (i, a) in s.actors.iter().enumerate() {
        if !order.contains(&i) {
            let mut a = a.clone();
            a.role = Role::Observer;
            actors.push(a);
        }
    }
    s.edited(|s| s.actors = actors).expect("reordering actors keeps the scenario valid")
}

fn check(folder: &str, names: &[&str], opposition: f64, pareto: Option<usize>, nash: Option<&[f64]>) {
    let path = shared_data(&format!("genius/{folder}"));
    let s = load_folder(&path, Read::Genius).unwrap_or_else(|e| panic!("{folder}: {e}"));
    let s = select(s, names);
    let a = analyze(&s, &Options { semantics: Semantics::Genius, ..Options::default() }).expect("analysis");
    let opp = a.opposition.expect("opposition");
    assert!((opp - opposition).abs() < 5e-5, "{folder}: opposition {opp} vs {opposition}");
    if let Some(n) = pareto {
        assert_eq!(a.frontier.len(), n, "{folder}: Pareto size");
    }
    if let Some(want) = nash {
        let got = &a.solutions.nash.chosen().expect("nash").utilities;
        assert!(got.iter().zip(want).all(|(g, w)| (g - w).abs() < 5e-5), "{folder}: Nash {got:?} vs {want:?}");
    }
}

#[test]
#[ignore = "needs ../shared"]
fn laptop() {
    check("Laptop", &["buyer", "seller"], 0.15961, Some(4), Some(&[1.0, 0.81511]));
}

#[test]
#[ignore = "needs ../shared"]
fn itex_vs_cypress() {
    check("ItexvsCypress", &["itex", "cypress"], 0.43146, Some(18), Some(&[0.72148, 0.67048]));
}

#[test]
#[ignore = "needs ../shared"]
fn england_zimbabwe() {
    check("EnglandZimbabwe", &["england", "zimbabwe"], 0.27212, Some(25), Some(&[0.91092, 0.73322]));
}

#[test]
#[ignore = "needs ../shared"]
fn grocery() {
    check("Grocery", &["mary", "sam"], 0.19138, Some(7), Some(&[0.84, 0.895]));
}

#[test]
#[ignore = "needs ../shared"]
fn party_three_and_nine_profiles() {
    check("Party", &["party1", "party2", "party3"], 0.35410, None, None);
    let names: Vec<String> = (1..=9).map(|i| format!("party{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    check("Party", &names, 0.73145, None, None);
}

#[test]
#[ignore = "needs ../shared"]
fn smart_energy_grid() {
    check("SmartEnergyGrid", &["util1", "util2", "util3"], 0.40140, None, None);
}

#[test]
#[ignore = "needs ../shared"]
fn politics() {
    check("Politics", &["util1", "util2", "util3"], 0.46350, None, None);
}

#[test]
#[ignore = "needs ../shared"]
fn travel() {
    check("Travel", &["chox", "fanny"], 0.23027, Some(12), Some(&[0.88241, 0.80202]));
}

/// Energy's Pareto *size* is not checked: it depends on the floating-point summation order
/// (many outcomes tie in exact arithmetic). Measured with the same normalised tables: exact
/// rational sums give 204 points, the issue-order left fold (GENIUS's and ours) 210, other
/// orders 205–222; the golden 208 came from an order we could not identify.
#[test]
#[ignore = "needs ../shared"]
fn energy() {
    check("Energy", &["consumer", "distributor"], 0.44541, None, Some(&[0.625, 0.75429]));
}
