//! Rendering: error reports (with a source snippet where the error has a location), plain
//! text tables, and JSON output.

use crate::load::{source_text, Failure};
use detente_core::limits::MAX_RENDERED_LINE;
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
    if let Some(excerpt) = clipped_excerpt(&text, offset) {
        // A line too long to show (a minified JSON file is one line; miette's renderer panics on
        // columns past 65,535): the message with its true line and column, then a window of the
        // line around the error, with a caret under it.
        eprintln!("error: {e}\n{excerpt}");
        return;
    }
    // One diagnostic: the full message (with file:line:col, greppable) over the source line.
    let diag = MietteDiagnostic::new(format!("error: {e}")).with_label(LabeledSpan::at_offset(offset, "here"));
    let report = Report::new(diag).with_source_code(NamedSource::new(loc.file.clone(), text));
    eprintln!("{report:?}");
}

/// When a line around `offset` (its own, or one miette would show beside it) is longer than
/// [`MAX_RENDERED_LINE`] characters: a window of at most that many characters of the error's
/// line around it, `…` where clipped, and a caret line under the error. `None` when every line
/// shown is short enough for the snippet renderer.
fn clipped_excerpt(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |p| p + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |p| offset + p);
    // miette shows the line before and after too.
    let from = text[..line_start.saturating_sub(1)].rfind('\n').map_or(0, |p| p + 1);
    let to = text.get(line_end + 1..).and_then(|r| r.find('\n')).map_or(text.len(), |p| line_end + 1 + p);
    if text[from..to].split('\n').all(|l| l.chars().count() <= MAX_RENDERED_LINE) {
        return None;
    }
    let line = &text[line_start..line_end];
    let col = text[line_start..offset].chars().count();
    let half = MAX_RENDERED_LINE / 2;
    let first = col.saturating_sub(half);
    let window: String = line.chars().skip(first).take(MAX_RENDERED_LINE).collect();
    let clipped_left = first > 0;
    let clipped_right = line.chars().count() > first + MAX_RENDERED_LINE;
    let caret = col - first + usize::from(clipped_left);
    Some(format!(
        "  {}{}{}\n  {}^ here",
        if clipped_left { "…" } else { "" },
        window,
        if clipped_right { "…" } else { "" },
        " ".repeat(caret)
    ))
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
    fn long_lines_are_clipped_around_the_error() {
        // A 70,000-character line with the error at column 69,990: shown as a window.
        let text = format!("{}X{}", "a".repeat(69_989), "b".repeat(10));
        let excerpt = clipped_excerpt(&text, 69_989).expect("a long line is clipped");
        let lines: Vec<&str> = excerpt.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].chars().count() <= MAX_RENDERED_LINE + 4);
        let caret = lines[1].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[0].chars().nth(caret), Some('X'));
        // Short lines go to miette.
        assert_eq!(clipped_excerpt("a = 1\nb = 2\n", 6), None);
        // A long neighbouring line also counts (miette shows it).
        assert!(clipped_excerpt(&format!("a = 1\n{}\n", "c".repeat(70_000)), 0).is_some());
    }

    #[test]
    fn table_aligns() {
        let t = table(&["a".into(), "n".into()], &[vec!["x".into(), "1.5".into()], vec!["long".into(), "10".into()]]);
        assert_eq!(t, "a       n\n----  ---\nx     1.5\nlong   10\n");
    }
}
