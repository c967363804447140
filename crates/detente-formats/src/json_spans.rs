//! JSON with positions: the one place that knows where a JSON value or key sits in its text, so
//! that errors found after parsing (an unknown issue, a weight out of range) name file, line and
//! column. serde_json's `Value` keeps neither positions nor key order; both readers of JSON need
//! them: the GeniusWeb reader walks the tree [`parse`] returns, the native reader turns it into
//! its span tree (`native::spans`) on the error path.
//!
//! How: two well-kept parsers, each for what it is good at.
//! 1. **serde_json** decides whether the text is JSON (RFC 8259, strict) and words the syntax
//!    errors ([`serde_json_error`]), so both JSON readers accept exactly the same texts and say
//!    the same things about bad ones. jsonc-parser alone would not do: even with every extension
//!    switched off it still accepts raw control characters inside strings and whitespace JSON
//!    does not have (`\v`, `\f`, Unicode spaces).
//! 2. **jsonc-parser** (dprint's; deno's config files) gives the syntax tree with byte ranges
//!    (`parse_to_ast`), run with every extension off (no comments, trailing commas, single
//!    quotes, bare words, hex, `+1`, `.5`, `NaN`) so it cannot disagree with step 1.
//!
//! What this adds on top: a duplicate key in an object is an error at the second key (JSON
//! allows them, neither parser rejects them, detente never wants them); a number that does not
//! fit an `f64` is an error; a leading byte order mark is skipped (offsets stay offsets into the
//! text given). Nesting is limited by serde_json (128 levels).

use crate::{FormatError, Location};
use detente_core::limits::MAX_NESTING;
use jsonc_parser::ast::Value;
use jsonc_parser::common::Ranged;
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};
use std::collections::HashSet;

/// A JSON value with the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) v: J,
    /// Where the value starts.
    pub(crate) at: usize,
    /// Where its key starts, for the value of an object member.
    pub(crate) key_at: Option<usize>,
}

/// The JSON value kinds. Objects keep their members in document order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum J {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

impl Node {
    /// The member with this key, for objects.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.members()?.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The members, for objects.
    pub(crate) fn members(&self) -> Option<&[(String, Node)]> {
        match &self.v {
            J::Obj(m) => Some(m),
            _ => None,
        }
    }

    /// A short name of the value's kind, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self.v {
            J::Null => "null",
            J::Bool(_) => "a boolean",
            J::Num(_) => "a number",
            J::Str(_) => "a string",
            J::Arr(_) => "an array",
            J::Obj(_) => "an object",
        }
    }
}

/// Parses one JSON document. `file` names the input in error locations.
pub(crate) fn parse(file: &str, text: &str) -> Result<Node, FormatError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let shift = text.len() - body.len();
    serde_json::from_str::<serde::de::IgnoredAny>(body).map_err(|e| {
        let (location, message) = serde_json_error(file, text, shift, &e);
        FormatError::Syntax { location, message }
    })?;
    if let Some(at) = too_deep(body) {
        return Err(FormatError::Syntax {
            location: Location::from_offset(file, text, shift + at),
            message: format!("arrays and objects nested more than {MAX_NESTING} deep; expected at most {MAX_NESTING} levels"),
        });
    }
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let syntax = |offset: usize, message: String| FormatError::Syntax { location: Location::from_offset(file, text, offset), message };
    // serde_json accepted the text, so jsonc-parser (stricter in every switchable way) cannot
    // fail here; should they ever disagree, it is an error, not a panic.
    let ast = parse_to_ast(body, &CollectOptions::default(), &strict).map_err(|e| syntax(shift + e.range().start, e.kind().to_string()))?;
    let value = ast.value.ok_or_else(|| syntax(text.len(), "expected a JSON value".into()))?;
    node(&value, None, shift).map_err(|(offset, message)| syntax(offset, message))
}

/// The offset of the first `[` or `{` nested deeper than [`MAX_NESTING`] in well-formed JSON
/// (the tree is built and walked recursively: its depth is refused before it is built).
fn too_deep(json: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in json.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Our tree from jsonc-parser's; an error is (offset into the full text, message).
fn node(value: &Value<'_>, key_at: Option<usize>, shift: usize) -> Result<Node, (usize, String)> {
    let at = value.range().start + shift;
    let v = match value {
        Value::NullKeyword(_) => J::Null,
        Value::BooleanLit(b) => J::Bool(b.value),
        Value::StringLit(s) => J::Str(s.value.to_string()),
        Value::NumberLit(n) => match n.value.parse::<f64>() {
            Ok(x) if x.is_finite() => J::Num(x),
            _ => return Err((at, format!("number {} is out of range", n.value))),
        },
        Value::Array(a) => J::Arr(a.elements.iter().map(|e| node(e, None, shift)).collect::<Result<_, _>>()?),
        Value::Object(o) => {
            let mut members: Vec<(String, Node)> = Vec::with_capacity(o.properties.len());
            let mut seen = HashSet::with_capacity(o.properties.len());
            for p in &o.properties {
                let (key, key_at) = (p.name.as_str(), p.name.range().start + shift);
                if !seen.insert(key) {
                    return Err((key_at, format!("key \"{key}\" appears twice in this object; expected unique keys")));
                }
                members.push((key.to_string(), node(&p.value, Some(key_at), shift)?));
            }
            J::Obj(members)
        }
    };
    Ok(Node { v, at, key_at })
}

/// Where serde_json says a JSON error is, as a [`Location`] in `text` counting columns in
/// characters (serde counts bytes), and its message without the trailing "at line … column …".
/// serde_json read `text[start..]` (past a byte order mark, for [`parse`]).
pub(crate) fn serde_json_error(file: &str, text: &str, start: usize, e: &serde_json::Error) -> (Location, String) {
    let full = e.to_string();
    let message = full.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&full).to_string();
    if e.line() == 0 {
        return (Location::file(file), message);
    }
    if e.is_eof() {
        // serde_json points at the last character read; the problem is what follows it.
        return (Location::from_offset(file, text, text.len()), message);
    }
    let line_start: usize = text[start..].split_inclusive('\n').take(e.line() - 1).map(str::len).sum();
    (Location::from_offset(file, text, start + line_start + e.column().saturating_sub(1)), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_in_order_with_offsets() {
        let n = parse("t", r#"{"b": [1, -2.5e1, "x\u00e9\ud83d\ude00"], "a": {"n": null, "t": true}}"#).unwrap();
        let m = n.members().unwrap();
        assert_eq!((m[0].0.as_str(), m[1].0.as_str()), ("b", "a"));
        assert_eq!((m[0].1.at, m[0].1.key_at, m[1].1.key_at), (6, Some(1), Some(42)));
        let J::Arr(a) = &m[0].1.v else { panic!("an array") };
        assert_eq!(a[1].v, J::Num(-25.0));
        assert_eq!(a[2].v, J::Str("xé😀".into()));
        assert_eq!(n.get("a").and_then(|a| a.get("t")).map(|t| &t.v), Some(&J::Bool(true)));
    }

    #[test]
    fn offsets_count_a_byte_order_mark() {
        let n = parse("t", "\u{feff}{\"a\": 1}").unwrap();
        assert_eq!((n.at, n.get("a").unwrap().at), (3, 9));
    }

    #[test]
    fn errors_have_positions() {
        let e = |text: &str| parse("t.json", text).unwrap_err().to_string();
        assert_eq!(e("{\n  \"a\": 1,\n  \"b\" 2\n}"), "t.json:3:7: expected `:`");
        assert_eq!(e("[1, 2"), "t.json:1:6: EOF while parsing a list");
        assert_eq!(e("{\"a\": 1, \"a\": 2}"), "t.json:1:10: key \"a\" appears twice in this object; expected unique keys");
        assert_eq!(e("[1, 1e999]"), "t.json:1:5: number 1e999 is out of range");
        assert_eq!(e("{\"a\": [1,]}"), "t.json:1:10: expected value");
        assert_eq!(e("{\"a\": 1,}"), "t.json:1:9: key must be a string");
        assert_eq!(e("[\"é\" 1]"), "t.json:1:6: expected `,` or `]`");
        assert_eq!(e("// c\n1"), "t.json:1:1: expected value");
        assert_eq!(e("[\"a\tb\"]"), "t.json:1:3: control character (\\u0000-\\u001F) found while parsing a string");
        assert_eq!(e("\u{feff}[1 2]"), "t.json:1:5: expected `,` or `]`");
        assert_eq!(e(""), "t.json:1:1: EOF while parsing a value");
    }
}
