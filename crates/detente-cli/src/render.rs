//! Rendering: error reports (with a source snippet where the error has a location), plain
//! text tables, and JSON output.

use crate::load::{source_text, Failure};
use detente_formats::FormatError;
use miette::{LabeledSpan, MietteDiagnostic, NamedSource, Report};

/// Prints a failure to stderr: `error: file:line:col: message`, then the offending line.
pub(crate) fn report_failure(failure: &Failure) {
    match failure {
        Failure::Reported => {}
        Failure::Input(msg) => eprintln!("error: {msg}"),
        Failure::Usage(msg) => eprintln!("error: {msg}\n\nFor more information, try '--help'."),
        Failure::Model { file, error } => {
            for e in error {
                eprintln!("error: {file}: {e}");
            }
        }
        Failure::Format(e) => report_format_error(e),
    }
}

fn report_format_error(e: &FormatError) {
    if let FormatError::Many(errors) = e {
        for e in errors {
            report_format_error(e);
        }
        eprintln!("{} errors", errors.len());
        return;
    }
    let plain = || eprintln!("error: {e}");
    let Some(loc) = e.location().filter(|l| l.line > 0) else { return plain() };
    let Some(text) = source_text(&loc.file) else { return plain() };
    let Some(offset) = offset_of(&text, loc.line, loc.column) else { return plain() };
    // One diagnostic: the full message (with file:line:col, greppable) over the source line.
    let diag = MietteDiagnostic::new(format!("error: {e}")).with_label(LabeledSpan::at_offset(offset, "here"));
    let report = Report::new(diag).with_source_code(NamedSource::new(loc.file.clone(), text));
    eprintln!("{report:?}");
}

/// Byte offset of 1-based (line, column) where column counts characters.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l.char_indices().nth(column.saturating_sub(1)).map_or(l.len(), |(b, _)| b);
            return Some(start + col);
        }
        start += l.len();
    }
    None
}

/// Writes to stdout. A closed pipe ends the process with success (the reader has what it
/// wanted); any other write error ends it with exit code 1.
pub(crate) fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().lock().write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// Prints a report as JSON, pretty, with a trailing newline.
pub(crate) fn print_serialized<T: serde::Serialize + ?Sized>(value: &T) {
    // Report types have string keys and no failing Serialize impls: serialising cannot fail.
    outln!("{}", serde_json::to_string_pretty(value).expect("invariant: report types always serialise"));
}

pub(crate) use detente_report::table;

/// Checks an `--html FILE` before any work is done: not with `--json` (one output at a time,
/// nothing silently dropped), then the rules of every output (`crate::output`).
pub(crate) fn check_page(path: &std::path::Path, force: bool, json: bool, input: Option<&std::path::Path>) -> Result<(), Failure> {
    if json {
        return Err(Failure::Usage("--html and --json: choose one (the page and the JSON are two printers of the same report)".into()));
    }
    crate::output::check_file(path, force, input)
}

/// Formats a utility for people: 3 decimals.
pub(crate) fn util(u: f64) -> String {
    format!("{u:.3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters() {
        let text = "ab\nçd = 1\n";
        assert_eq!(offset_of(text, 1, 1), Some(0));
        assert_eq!(offset_of(text, 2, 2), Some(5));
        assert_eq!(offset_of(text, 9, 1), None);
    }

    #[test]
    fn table_aligns() {
        let t = table(&["a".into(), "n".into()], &[vec!["x".into(), "1.5".into()], vec!["long".into(), "10".into()]]);
        assert_eq!(t, "a       n\n----  ---\nx     1.5\nlong   10\n");
    }
}
