//! Every size limit of detente, in one place.
//!
//! Inputs that would take unbounded time or memory are refused with a clear, typed error
//! *before* the work (or the allocation) starts. Each limit is checked where the input first
//! reaches the code that would pay for it; the constants live here so that the code, the
//! documentation (`docs/scenario-format.md`, "Limits") and the tests name one number each.
//!
//! | limit | value | checked by |
//! |---|---|---|
//! | [`MAX_INPUT_BYTES`] | 64 MiB per file | `detente-formats` (every file read; regular files only) |
//! | [`MAX_NESTING`] | 100 levels | `detente-formats` (XML elements, JSON arrays/objects, TOML tables) |
//! | [`MAX_ISSUE_VALUES`] | 2³² − 1 per issue | the model ([`crate::ScenarioDraft::validate`]) |
//! | [`MAX_ACTORS`] | 1,000 | the model ([`crate::ScenarioDraft::validate`]) |
//! | [`MAX_TABULATED_VALUES`] | 10⁷ per issue | lenses that tabulate utilities per issue (analysis, study), GENIUS export |
//! | [`MAX_ANALYSED_OUTCOMES`] | 10⁹ | the analysis's enumeration (default) |
//! | [`MAX_NEGOTIATED_OUTCOMES`] | 2·10⁷ | negotiations (each party's outcomes are sorted once) |
//! | [`MAX_RENDERED_LINE`] | 1,000 characters | the CLI's error snippets (longer lines are clipped around the error) |
//! | [`MAX_ROUNDS`] | 10⁶ rounds | a negotiation's deadline (`detente negotiate --rounds`, the `detente` crate's batch specs) |
//! | [`MAX_REPETITIONS`] | 10⁶ | repetitions of each negotiation of a batch (the `detente` crate's `Tournament`) |

/// The largest scenario file (or GENIUS/GeniusWeb file of a folder) read, in bytes: 64 MiB.
/// Real scenarios are kilobytes; the largest GENIUS domains of the reference data are under
/// 1 MB. Only regular files are read (not FIFOs, devices such as `/dev/zero`, or sockets), so a
/// read always ends.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// The deepest nesting of elements (XML), arrays and objects (JSON) or tables and arrays (TOML)
/// read. Readers walk their trees recursively; beyond this depth a file is refused before any
/// tree is built. GENIUS objective trees are 2–3 levels deep, scenario files under 10.
pub const MAX_NESTING: usize = 100;

/// The most values one issue may have: value indices are `u32` everywhere (outcomes, utility
/// tables, the lenses' odometers), so a valid issue has at most `u32::MAX` values.
pub const MAX_ISSUE_VALUES: u64 = u32::MAX as u64;

/// The most actors a scenario may have. The forecasting models and the study keep tables over
/// pairs of actors (and per actor per issue), which grow with the square of the count; 1,000
/// actors keep them in the tens of megabytes.
pub const MAX_ACTORS: usize = 1_000;

/// The most values of one issue that a lens tabulates (one `f64` per value per party, 80 MB per
/// party at the limit): the analysis's per-issue utility tables, the study's, the GENIUS export's
/// evaluations. An issue with more values is still valid (a forecast reads positions, not
/// tables); those lenses refuse it with an error naming the issue.
pub const MAX_TABULATED_VALUES: u64 = 10_000_000;

/// The most outcomes the analysis enumerates by default (larger additive spaces are analysed
/// issue by issue without enumerating them).
pub const MAX_ANALYSED_OUTCOMES: u64 = 1_000_000_000;

/// The most outcomes a negotiation is run on: each party's utilities are computed and sorted
/// once, 12 bytes per outcome per party.
pub const MAX_NEGOTIATED_OUTCOMES: u64 = 20_000_000;

/// The longest source line shown in an error snippet, in characters. A longer line (a minified
/// JSON file is one line) is shown as a window of this many characters around the error, marked
/// `…` where clipped; the message keeps the true line and column.
pub const MAX_RENDERED_LINE: usize = 1_000;

/// The longest deadline a negotiation may be given, in rounds. The trace is kept in memory and
/// mediated rounds cost ~0.5 ms each: beyond this a negotiation would run for hours or exhaust
/// memory instead of answering.
pub const MAX_ROUNDS: u32 = 1_000_000;

/// The most repetitions of each negotiation a batch runs (each with its own seed). With every
/// negotiator in every seat on every scenario, a batch is already the product of those counts;
/// a million repetitions of each is far beyond any tournament's statistics.
pub const MAX_REPETITIONS: u32 = 1_000_000;
