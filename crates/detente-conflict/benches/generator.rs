// A seeded large option-form conflict, shared by the bench and the `large` example
// (included with `include!`): 17 binary options over 4 DMs (5, 4, 4, 4), options 1 and 2
// mutually exclusive (131 072 → 98 304 feasible states), reversible, and a random utility per
// state and DM from ChaCha8 seeded with `seed` (ties possible).

use detente_conflict::{Conflict, ConflictSpec, Constraint, DecisionMaker, OptionDef, Preference, StateRef, Structure};
use rand::Rng;
use rand_chacha::rand_core::SeedableRng;

/// The generated conflict.
pub fn large_conflict(seed: u64) -> Conflict {
    let owners = [0usize, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3];
    let options: Vec<OptionDef> = owners.iter().enumerate().map(|(o, &d)| OptionDef::new(format!("o{o}"), d)).collect();
    let n_states = 98_304usize;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let preferences = (0..4)
        .map(|_| Preference::Cardinal((1..=n_states).map(|s| (StateRef::Number(s), rng.gen_range(0..50_000u32) as f64)).collect()))
        .collect();
    ConflictSpec {
        name: "generated".into(),
        dms: (0..4).map(|d| DecisionMaker::new(format!("dm{d}"))).collect(),
        structure: Structure::Options { options, constraints: vec![Constraint::MutuallyExclusive(vec![0, 1])] },
        preferences,
        status_quo: None,
    }
    .validate()
    .unwrap_or_else(|e| panic!("generated model invalid: {e:?}"))
}
