//! Printers over [`detente_study::StudyReport`]: the text briefing and the self-contained HTML
//! report. Printers only: every number and sentence they show is in the report already.

pub mod html;
pub mod plot;
pub mod table;
pub mod text;

pub use table::table;
pub use text::{render as render_text, TextOptions};
