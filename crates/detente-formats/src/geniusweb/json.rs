//! A small JSON reader that keeps object key order and the byte offset of every value, so that
//! GeniusWeb errors can name file, line and column (serde_json's `Value` keeps neither).
//! RFC 8259 JSON; no extensions.

use crate::{FormatError, Location};

/// A JSON value with the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) v: J,
    pub(crate) at: usize,
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
        match &self.v {
            J::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
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

struct P<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    file: &'a str,
}

impl P<'_> {
    fn err(&self, at: usize, message: impl Into<String>) -> FormatError {
        FormatError::Syntax { location: Location::from_offset(self.file, self.s, at), message: message.into() }
    }

    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn found(&self) -> String {
        match self.s[self.i..].chars().next() {
            Some(c) => format!("`{c}`"),
            None => "the end of the file".into(),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, FormatError> {
        if depth > 256 {
            return Err(self.err(self.i, "JSON nested more than 256 levels deep"));
        }
        self.ws();
        let at = self.i;
        let v = match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut members: Vec<(String, Node)> = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let key_at = self.i;
                        if self.b.get(self.i) != Some(&b'"') {
                            return Err(self.err(self.i, format!("found {}; expected a \"key\" in quotes", self.found())));
                        }
                        let key = self.string()?;
                        if members.iter().any(|(k, _)| *k == key) {
                            return Err(self.err(key_at, format!("key \"{key}\" appears twice in this object; expected unique keys")));
                        }
                        self.ws();
                        if self.b.get(self.i) != Some(&b':') {
                            return Err(self.err(self.i, format!("found {}; expected `:` after the key \"{key}\"", self.found())));
                        }
                        self.i += 1;
                        let v = self.value(depth + 1)?;
                        members.push((key, v));
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err(self.i, format!("found {}; expected `,` or `}}` in an object", self.found()))),
                        }
                    }
                }
                J::Obj(members)
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err(self.i, format!("found {}; expected `,` or `]` in an array", self.found()))),
                        }
                    }
                }
                J::Arr(items)
            }
            Some(b'"') => J::Str(self.string()?),
            Some(b't') if self.s[self.i..].starts_with("true") => {
                self.i += 4;
                J::Bool(true)
            }
            Some(b'f') if self.s[self.i..].starts_with("false") => {
                self.i += 5;
                J::Bool(false)
            }
            Some(b'n') if self.s[self.i..].starts_with("null") => {
                self.i += 4;
                J::Null
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                if self.b[self.i] == b'-' {
                    self.i += 1;
                }
                let digits = |p: &mut Self| {
                    let s = p.i;
                    while p.i < p.b.len() && p.b[p.i].is_ascii_digit() {
                        p.i += 1;
                    }
                    p.i > s
                };
                if !digits(self) {
                    return Err(self.err(start, "a `-` not followed by digits; expected a number"));
                }
                if self.b.get(self.i) == Some(&b'.') {
                    self.i += 1;
                    if !digits(self) {
                        return Err(self.err(start, "a number with no digits after `.`"));
                    }
                }
                if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
                    self.i += 1;
                    if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                        self.i += 1;
                    }
                    if !digits(self) {
                        return Err(self.err(start, "a number with no digits in its exponent"));
                    }
                }
                let text = &self.s[start..self.i];
                match text.parse::<f64>() {
                    Ok(x) if x.is_finite() => J::Num(x),
                    _ => return Err(self.err(start, format!("number {text} is out of range"))),
                }
            }
            _ => return Err(self.err(self.i, format!("found {}; expected a JSON value", self.found()))),
        };
        Ok(Node { v, at })
    }

    fn string(&mut self) -> Result<String, FormatError> {
        let start = self.i;
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(c) = self.s[self.i..].chars().next() else {
                return Err(self.err(start, "a string is never closed: expected a closing `\"`"));
            };
            self.i += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let esc_at = self.i - 1;
                    let Some(e) = self.s[self.i..].chars().next() else {
                        return Err(self.err(start, "a string is never closed: expected a closing `\"`"));
                    };
                    self.i += e.len_utf8();
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let hi = self.hex4(esc_at)?;
                            let cp = if (0xD800..0xDC00).contains(&hi) && self.s[self.i..].starts_with("\\u") {
                                self.i += 2;
                                let lo = self.hex4(esc_at)?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err(esc_at, "a high surrogate not followed by a low surrogate"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(cp).ok_or_else(|| self.err(esc_at, "an escape that is not a Unicode character"))?);
                        }
                        other => return Err(self.err(esc_at, format!("unknown escape `\\{other}` in a string"))),
                    }
                }
                c if (c as u32) < 0x20 => return Err(self.err(self.i - 1, "a control character inside a string; expected it escaped")),
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self, at: usize) -> Result<u32, FormatError> {
        let h = self.s.get(self.i..self.i + 4).ok_or_else(|| self.err(at, "`\\u` needs four hex digits"))?;
        let v = u32::from_str_radix(h, 16).map_err(|_| self.err(at, "`\\u` needs four hex digits"))?;
        self.i += 4;
        Ok(v)
    }
}

/// Parses one JSON document. `file` names the input in error locations.
pub(crate) fn parse(file: &str, text: &str) -> Result<Node, FormatError> {
    let text_nobom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let shift = text.len() - text_nobom.len();
    let mut p = P { s: text, b: text.as_bytes(), i: shift, file };
    let v = p.value(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err(p.i, format!("found {} after the JSON value; expected the end of the file", p.found())));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_in_order_with_offsets() {
        let n = parse("t", r#"{"b": [1, -2.5e1, "x\u00e9\ud83d\ude00"], "a": {"n": null, "t": true}}"#).unwrap();
        let m = n.members().unwrap();
        assert_eq!(m[0].0, "b");
        assert_eq!(m[1].0, "a");
        assert_eq!(m[0].1.at, 6);
        match &m[0].1.v {
            J::Arr(a) => {
                assert_eq!(a[1].v, J::Num(-25.0));
                assert_eq!(a[2].v, J::Str("xé😀".into()));
            }
            _ => panic!(),
        }
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("t.json", "{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!(e.to_string(), "t.json:3:7: found `2`; expected `:` after the key \"b\"");
        let e = parse("t.json", "[1, 2").unwrap_err();
        assert_eq!(e.to_string(), "t.json:1:6: found the end of the file; expected `,` or `]` in an array");
        let e = parse("t.json", "{\"a\": 1, \"a\": 2}").unwrap_err();
        assert_eq!(e.to_string(), "t.json:1:10: key \"a\" appears twice in this object; expected unique keys");
    }
}
