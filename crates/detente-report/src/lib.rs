//! Printers over [`detente_study::StudyReport`]: the text briefing and the self-contained HTML
//! report; and over a tournament's [`detente_tournament::Summary`] ([`tournament`]).
//! Printers only: every number and sentence they show is in the report or summary already.

pub mod conflict;
pub mod html;
pub mod plot;
pub mod table;
pub mod text;
pub mod tournament;

pub use table::table;

/// The case `id` and the cases whose results are the same as its own (`same_as` it), in report
/// order: how every printer shows identical results once. `cases` yields `(case, same_as)`.
pub(crate) fn same_group<'a>(id: &'a str, cases: impl Iterator<Item = (&'a str, Option<&'a str>)>) -> Vec<&'a str> {
    std::iter::once(id).chain(cases.filter(|(_, same)| *same == Some(id)).map(|(x, _)| x)).collect()
}
pub use text::{render as render_text, TextOptions};

/// A difference of utilities with its sign, to three places (`0.000` when it rounds to zero).
pub(crate) fn signed(x: f64) -> String {
    if x.abs() < 5e-4 {
        "0.000".into()
    } else {
        format!("{x:+.3}")
    }
}
