//! The one error type of every format reader and writer.

use detente_core::select::argmin;
use detente_core::ModelError;
use std::fmt;
use std::path::PathBuf;
use thiserror::Error;

/// A place in an input file. Lines and columns are 1-based; column counts characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (or `<built-in>`, `<string>`).
    pub file: String,
    /// Line, 1-based (0 when the format gives no position).
    pub line: usize,
    /// Column, 1-based (0 when the format gives no position).
    pub column: usize,
}

impl Location {
    /// A location from a byte offset into `text`.
    pub fn from_offset(file: &str, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..text.floor_char_boundary_compat(offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location { file: file.to_string(), line, column }
    }

    /// A location without a position (the file as a whole).
    pub fn file(file: &str) -> Location {
        Location { file: file.to_string(), line: 0, column: 0 }
    }
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// Why a file could not be read or written.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The path is not a regular file (a FIFO, a device such as `/dev/zero`, a socket, a
    /// folder where a file was expected): only regular files are read, so a read always ends.
    #[error("{}: is {found}; expected a regular file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is instead, in words (`a FIFO (named pipe)`, `a character device`).
        found: &'static str,
    },
    /// The file is larger than detente reads
    /// ([`detente_core::limits::MAX_INPUT_BYTES`]).
    #[error("{}: is {size} bytes; expected at most {limit} bytes (scenario files are kilobytes)", path.display())]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size in bytes (at least the bytes read before the limit).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The text is not well-formed in its format (TOML, JSON or XML syntax), or has the wrong
    /// shape (a missing field, a value of the wrong type).
    #[error("{location}: {message}")]
    Syntax {
        /// Where.
        location: Location,
        /// What was found and what was expected.
        message: String,
    },
    /// The file parsed, but what it says is inconsistent (an unknown id, a number out of range).
    #[error("{location}: {message}")]
    Invalid {
        /// Where (the offending key or value when the format gives positions).
        location: Location,
        /// What was found and what was expected.
        message: String,
    },
    /// The model rejected what the file describes, at no more precise place than the file.
    #[error("{file}: {source}")]
    Model {
        /// The file.
        file: String,
        /// The model's error (boxed: it is large, and rare).
        #[source]
        source: Box<ModelError>,
    },
    /// A path that is not a scenario in any format detente reads.
    #[error("{}: {reason}", path.display())]
    UnknownFormat {
        /// The path.
        path: PathBuf,
        /// What was found and what is accepted.
        reason: String,
    },
    /// Several errors in one input, each complete and located, in file order (readers report
    /// every error they can find, not only the first). Never holds fewer than two; build it with
    /// [`FormatError::from_many`].
    #[error("{} errors:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Many(Vec<FormatError>),
    /// A detente file whose only part is a `[conflict]` (the stability lens's model): it has no
    /// negotiation scenario to read. [`crate::conflict::load_path`] reads it.
    #[error("{file}: holds only a `[conflict]` part (no issues or actors), not a negotiation scenario; expected a scenario here. `detente conflict {file}` analyses it")]
    ConflictOnly {
        /// The file, as shown in locations.
        file: String,
    },
    /// The model cannot be written in the requested format.
    #[error("cannot export to {format}: {reason}")]
    Unsupported {
        /// The target format.
        format: &'static str,
        /// Why.
        reason: String,
    },
}

impl FormatError {
    /// One error from a non-empty list: the error itself when there is one, otherwise
    /// [`FormatError::Many`] with the errors in file order (by file, line, column; errors
    /// without a position keep their place after the located ones of their file). Nested
    /// `Many`s are flattened. Returns `None` for an empty list.
    pub fn from_many(errors: Vec<FormatError>) -> Option<FormatError> {
        let mut flat: Vec<FormatError> = Vec::with_capacity(errors.len());
        for e in errors {
            match e {
                FormatError::Many(inner) => flat.extend(inner),
                e => flat.push(e),
            }
        }
        // Files in the order their first error was found; within a file by line and column,
        // errors without a position last. A stable sort on a total key: errors at the same
        // place keep the order they were found in.
        let mut files: Vec<String> = Vec::new();
        let keys: Vec<(usize, bool, usize, usize)> = flat
            .iter()
            .map(|e| {
                let (file, line, column) = match e.location() {
                    Some(l) => (Some(l.file.clone()), l.line, l.column),
                    None => (e.file_name(), 0, 0),
                };
                let rank = file.map_or(usize::MAX, |f| match files.iter().position(|g| *g == f) {
                    Some(i) => i,
                    None => {
                        files.push(f);
                        files.len() - 1
                    }
                });
                (rank, line == 0, line, column)
            })
            .collect();
        let mut order: Vec<usize> = (0..flat.len()).collect();
        order.sort_by_key(|&i| keys[i]);
        let mut slots: Vec<Option<FormatError>> = flat.into_iter().map(Some).collect();
        let mut flat: Vec<FormatError> = order.into_iter().filter_map(|i| slots[i].take()).collect();
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ => Some(FormatError::Many(flat)),
        }
    }

    /// Every error the model found in what `file` describes, each as a
    /// [`FormatError::Model`] (for formats that cannot place a model path in the file).
    pub fn model(file: &str, errors: detente_core::ModelErrors) -> FormatError {
        let errors = errors.into_iter().map(|source| FormatError::Model { file: file.to_string(), source: Box::new(source) }).collect();
        FormatError::from_many(errors).expect("invariant: ModelErrors is never empty")
    }

    /// The file an error without a position is about, when it names one.
    fn file_name(&self) -> Option<String> {
        match self {
            FormatError::Model { file, .. } | FormatError::ConflictOnly { file } => Some(file.clone()),
            FormatError::Io { path, .. }
            | FormatError::UnknownFormat { path, .. }
            | FormatError::NotAFile { path, .. }
            | FormatError::TooLarge { path, .. } => Some(path.display().to_string()),
            _ => None,
        }
    }

    /// The errors this one stands for: itself, or each of a [`FormatError::Many`].
    pub fn errors(&self) -> &[FormatError] {
        match self {
            FormatError::Many(errors) => errors,
            other => std::slice::from_ref(other),
        }
    }

    /// What is wrong, without the location when the error has one ([`FormatError::location`]):
    /// the message a front end prints beside a location it shows its own way.
    pub fn detail(&self) -> String {
        match self {
            FormatError::Syntax { message, .. } | FormatError::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }

    /// The location, when the error has one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            FormatError::Syntax { location, .. } | FormatError::Invalid { location, .. } => Some(location),
            _ => None,
        }
    }
}

/// Keeps `r`'s value, or records its error in `errors` and gives `None`: how a reader goes on
/// past an error to find the next one (see [`FormatError::from_many`]).
pub(crate) fn note<T>(errors: &mut Vec<FormatError>, r: Result<T, FormatError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// Which of `known` a name `found` is a near miss of, if any: the same name up to letter case,
/// or within edit distance 3 (insertions, deletions, substitutions). The readers use it to tell
/// a misspelt root element or wrapper key (`<utility_spaec>`, `LinearAdditiveUtilitySpac`),
/// which they refuse, from a file that is plainly something else, which a folder may hold and
/// they skip. Ties go to the first of `known`.
pub(crate) fn near_miss<'a>(found: &str, known: &[&'a str]) -> Option<&'a str> {
    let found_lower = found.to_lowercase();
    let distances = known.iter().map(|&k| if found_lower == k.to_lowercase() { 0 } else { edit_distance(found, k) });
    argmin(distances.enumerate().filter(|&(_, d)| d <= 3)).map(|(i, _)| known[i])
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_case_or_three_edits_away() {
        let known = ["utility_space", "negotiation_template"];
        assert_eq!(near_miss("utility_spaec", &known), Some("utility_space"));
        assert_eq!(near_miss("Utility_Space", &known), Some("utility_space"));
        assert_eq!(near_miss("utilityspace", &known), Some("utility_space"));
        assert_eq!(near_miss("negotiation_templat", &known), Some("negotiation_template"));
        assert_eq!(near_miss("project", &known), None);
        assert_eq!(near_miss("utility", &known), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
