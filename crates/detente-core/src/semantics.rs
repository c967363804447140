//! Whose rules a result follows: GENIUS 10.4 or NegMAS 0.16.

/// Whose rules to follow where the two reference platforms differ: how a GENIUS file is read
/// (evaluations, weights, discount, reservation), how a discount applies during a negotiation,
/// and how the bargaining solutions are defined.
///
/// One choice for all of them: `detente … --semantics negmas` reads a GENIUS folder as NegMAS's
/// `Scenario.load` does *and* defines the solutions as `calc_scenario_stats` does; `genius`
/// reads and defines as GENIUS 10.4 does. What is read how is tabled in `docs/analysis.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Semantics {
    /// GENIUS 10.4: discrete evaluations divided by the issue maximum, total clamped at 1,
    /// discount `d^t` on normalised time, `MultilateralAnalysis`'s solutions.
    Genius,
    /// NegMAS 0.16 `Scenario.load` defaults: raw evaluations, no clamp, discount `d^round`,
    /// `calc_scenario_stats`'s solutions.
    Negmas,
}

impl Semantics {
    /// Both, in order.
    pub const ALL: [Semantics; 2] = [Semantics::Genius, Semantics::Negmas];

    /// The name used in options, files and output: `genius`, `negmas`.
    pub fn as_str(self) -> &'static str {
        match self {
            Semantics::Genius => "genius",
            Semantics::Negmas => "negmas",
        }
    }

    /// The platform in words, for sentences: `GENIUS 10.4`, `NegMAS 0.16`.
    pub fn platform(self) -> &'static str {
        match self {
            Semantics::Genius => "GENIUS 10.4",
            Semantics::Negmas => "NegMAS 0.16",
        }
    }

    /// Parses [`Semantics::as_str`].
    pub fn parse(s: &str) -> Option<Semantics> {
        Semantics::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl std::fmt::Display for Semantics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
