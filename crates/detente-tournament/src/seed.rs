//! The one seeding scheme of a batch.

/// SplitMix64's output function (Steele, Lea and Flood 2014) applied to `x`: a bijection on
/// `u64` whose outputs pass BigCrush as a sequence, used here to mix coordinates into seeds.
pub const fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of one negotiation of a batch, from the batch's seed and the negotiation's
/// coordinates (see [`crate::Coordinates`]):
///
/// ```text
/// h = splitmix64(seed)
/// h = splitmix64(h ^ scenario)      // index of the scenario in the tournament
/// h = splitmix64(h ^ seating)       // index of the seating in the full product (self-play included)
/// h = splitmix64(h ^ repetition)    // 0-based
/// ```
///
/// Nothing else enters: not the thread that runs it, not the order of execution, not the
/// number of negotiations before it. Each step is a bijection, so two negotiations that differ
/// in one coordinate (the others equal) never share a seed. The seed is the one `detente
/// negotiate --seed` takes: a row's negotiation is re-run alone with `--seed <row.seed>`.
pub const fn negotiation_seed(seed: u64, scenario: usize, seating: u64, repetition: u32) -> u64 {
    let mut h = splitmix64(seed);
    h = splitmix64(h ^ scenario as u64);
    h = splitmix64(h ^ seating);
    splitmix64(h ^ repetition as u64)
}
