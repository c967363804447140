//! Where things are in the input text: a tree of byte spans for every key and value, built from
//! `toml::Spanned` for TOML and by a small scanner for JSON, so that semantic errors found after
//! parsing (an unknown issue id, a salience out of range) point at the offending key or value.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::ops::Range;

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Seg {
    /// A key of a table / object.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// A path into the document plus which part of the last element to point at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    pub(crate) segs: Vec<Seg>,
    /// Point at the key of the last segment instead of its value.
    pub(crate) at_key: bool,
}

impl Path {
    pub(crate) fn root() -> Path {
        Path { segs: Vec::new(), at_key: false }
    }

    /// The value under `key`.
    pub(crate) fn key(&self, key: &str) -> Path {
        let mut segs = self.segs.clone();
        segs.push(Seg::Key(key.to_string()));
        Path { segs, at_key: false }
    }

    /// Element `i`.
    pub(crate) fn index(&self, i: usize) -> Path {
        let mut segs = self.segs.clone();
        segs.push(Seg::Index(i));
        Path { segs, at_key: false }
    }

    /// The key itself (for unknown ids used as keys).
    pub(crate) fn the_key(mut self) -> Path {
        self.at_key = true;
        self
    }
}

/// A node of the span tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    span: Option<Range<usize>>,
    kind: Kind,
}

#[derive(Debug, Clone, Default)]
enum Kind {
    #[default]
    Leaf,
    Seq(Vec<Node>),
    Map(Vec<(String, Option<Range<usize>>, Node)>),
}

impl Node {
    /// The byte offset best describing `path`: the deepest node found along it.
    pub(crate) fn locate(&self, path: &Path) -> Option<usize> {
        let mut node = self;
        let mut best = node.span.as_ref().map(|s| s.start);
        let n = path.segs.len();
        for (i, seg) in path.segs.iter().enumerate() {
            let last = i + 1 == n;
            match (seg, &node.kind) {
                (Seg::Key(k), Kind::Map(entries)) => {
                    let Some((_, kspan, child)) = entries.iter().find(|(key, _, _)| key == k) else { return best };
                    if last && path.at_key {
                        return kspan.as_ref().map(|s| s.start).or(best);
                    }
                    best = child.span.as_ref().or(kspan.as_ref()).map(|s| s.start).or(best);
                    node = child;
                }
                (Seg::Index(j), Kind::Seq(items)) => {
                    let Some(child) = items.get(*j) else { return best };
                    best = child.span.as_ref().map(|s| s.start).or(best);
                    node = child;
                }
                _ => return best,
            }
        }
        best
    }

    /// The span tree of a TOML document (the text must already parse).
    pub(crate) fn from_toml(text: &str) -> Option<Node> {
        let kind: Kind = toml::from_str(text).ok()?;
        Some(Node { span: None, kind })
    }

    /// The span tree of a JSON document (the text must already parse).
    pub(crate) fn from_json(text: &str) -> Option<Node> {
        let mut s = JsonScanner { b: text.as_bytes(), i: 0 };
        s.value()
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = toml::Spanned::<Kind>::deserialize(d)?;
        let span = s.span();
        Ok(Node { span: Some(span), kind: s.into_inner() })
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any TOML value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Kind, E> {
        Ok(Kind::Leaf)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Kind, E> {
        Ok(Kind::Leaf)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Kind, E> {
        Ok(Kind::Leaf)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Kind, E> {
        Ok(Kind::Leaf)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Kind, E> {
        Ok(Kind::Leaf)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(Kind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<toml::Spanned<String>>()? {
            let span = k.span();
            let v = map.next_value::<Node>()?;
            entries.push((k.into_inner(), Some(span), v));
        }
        Ok(Kind::Map(entries))
    }
}

/// A minimal JSON scanner recording spans (the text has already been parsed by serde_json, so
/// it only needs to be correct on valid JSON; on anything else it gives up with `None`).
struct JsonScanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl JsonScanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.i;
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    let raw = std::str::from_utf8(&self.b[start..self.i]).ok()?;
                    return serde_json::from_str(raw).ok();
                }
                _ => self.i += 1,
            }
        }
        None
    }

    fn value(&mut self) -> Option<Node> {
        self.ws();
        let start = self.i;
        let kind = match *self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut entries = Vec::new();
                loop {
                    self.ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        break;
                    }
                    let kstart = self.i;
                    let key = self.string()?;
                    let kspan = kstart..self.i;
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return None;
                    }
                    self.i += 1;
                    let v = self.value()?;
                    entries.push((key, Some(kspan), v));
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                Kind::Map(entries)
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                        break;
                    }
                    items.push(self.value()?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                Kind::Seq(items)
            }
            b'"' => {
                self.string()?;
                Kind::Leaf
            }
            _ => {
                while self.i < self.b.len() && !matches!(self.b[self.i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    self.i += 1;
                }
                if self.i == start {
                    return None;
                }
                Kind::Leaf
            }
        };
        Some(Node { span: Some(start..self.i), kind })
    }
}
