//! Where things are in the input text: a tree of byte spans for every key and value, built from
//! `toml::Spanned` for TOML and from [`crate::json_spans`] for JSON, so that semantic errors found after
//! parsing (an unknown issue id, a salience out of range) point at the offending key or value.

use crate::json_spans::{self, J};
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

    /// The span tree of a JSON document (the text must already parse), from the shared
    /// [`crate::json_spans`] tree. Spans are where keys and values start (`locate` uses no more).
    pub(crate) fn from_json(text: &str) -> Option<Node> {
        fn convert(n: &json_spans::Node) -> Node {
            let kind = match &n.v {
                J::Arr(items) => Kind::Seq(items.iter().map(convert).collect()),
                J::Obj(members) => Kind::Map(members.iter().map(|(k, v)| (k.clone(), v.key_at.map(|at| at..at), convert(v))).collect()),
                _ => Kind::Leaf,
            };
            Node { span: Some(n.at..n.at), kind }
        }
        json_spans::parse("", text).ok().as_ref().map(convert)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct(SPANNED, &[START, END, VALUE], NodeVisitor)
    }
}

/// Reads `serde_spanned`'s protocol when the deserializer speaks it for this value, and a plain
/// value (no span) when it does not (`toml` gives no span for the tables of dotted keys).
struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any TOML value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::default())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::default())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::default())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
        Ok(Node::default())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Node, A::Error> {
        Ok(Node { span: None, kind: KindVisitor.visit_seq(seq)? })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let Some(first) = map.next_key::<SpannedKey>()? else { return Ok(Node { span: None, kind: Kind::Map(Vec::new()) }) };
        if first.name == START && first.span.is_none() {
            let start: usize = map.next_value()?;
            let (mut end, mut kind) = (start, None);
            while let Some(k) = map.next_key::<String>()? {
                match k.as_str() {
                    END => end = map.next_value()?,
                    VALUE => kind = Some(map.next_value::<Kind>()?),
                    other => return Err(de::Error::unknown_field(other, &[START, END, VALUE])),
                }
            }
            let kind = kind.ok_or_else(|| de::Error::missing_field(VALUE))?;
            return Ok(Node { span: Some(start..end), kind });
        }
        let mut entries = vec![(first.name, first.span, map.next_value::<Node>()?)];
        while let Some(k) = map.next_key::<SpannedKey>()? {
            let v = map.next_value::<Node>()?;
            entries.push((k.name, k.span, v));
        }
        Ok(Node { span: None, kind: Kind::Map(entries) })
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
        while let Some(k) = map.next_key::<SpannedKey>()? {
            let v = map.next_value::<Node>()?;
            entries.push((k.name, k.span, v));
        }
        Ok(Kind::Map(entries))
    }
}

/// A table key with its span when the deserializer gives one. `toml::Spanned<String>` rejects
/// some keys (the parts of dotted keys arrive as owned strings), so this speaks the same
/// protocol (`serde_spanned`'s private struct name and fields) with owned field names.
struct SpannedKey {
    name: String,
    span: Option<Range<usize>>,
}

const SPANNED: &str = "$__serde_spanned_private_Spanned";
const START: &str = "$__serde_spanned_private_start";
const END: &str = "$__serde_spanned_private_end";
const VALUE: &str = "$__serde_spanned_private_value";

impl<'de> Deserialize<'de> for SpannedKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KV;
        impl<'de> Visitor<'de> for KV {
            type Value = SpannedKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SpannedKey, E> {
                Ok(SpannedKey { name: v.to_string(), span: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SpannedKey, A::Error> {
                let (mut start, mut end, mut name) = (None::<usize>, None::<usize>, None::<String>);
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        START => start = Some(map.next_value()?),
                        END => end = Some(map.next_value()?),
                        VALUE => name = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, &[START, END, VALUE])),
                    }
                }
                let name = name.ok_or_else(|| de::Error::missing_field(VALUE))?;
                Ok(SpannedKey { name, span: start.zip(end).map(|(s, e)| s..e) })
            }
        }
        d.deserialize_struct(SPANNED, &[START, END, VALUE], KV)
    }
}

#[cfg(test)]
mod tests {
    use super::{Node, Path};

    #[test]
    fn toml_tree_locates_keys_and_values_including_dotted_keys() {
        let text = "a = 1\n[[b]]\nc = { d = 2 }\n[b.e]\nf.g = { h = 3 }\n";
        let n = Node::from_toml(text).expect("tree");
        let p = Path::root().key("b").index(0);
        assert_eq!(n.locate(&p.key("c").key("d")), Some(22));
        assert_eq!(n.locate(&p.key("c").key("d").the_key()), Some(18));
        assert_eq!(n.locate(&p.key("e").key("f").key("g").key("h")), text.find("3"));
        assert_eq!(n.locate(&p.key("e").key("f").key("g").the_key()), text.find("g ="));
        assert_eq!(n.locate(&p.key("zzz")), Some(6), "an unknown key points at its parent");
    }

    #[test]
    fn json_tree_locates_keys_and_values() {
        let text = "{\"a\": [1, {\"b\": \"x,]\"}], \"c\": {}}";
        let n = Node::from_json(text).expect("tree");
        let p = Path::root().key("a").index(1).key("b");
        assert_eq!(n.locate(&p), text.find("\"x"));
        assert_eq!(n.locate(&p.clone().the_key()), text.find("\"b\""));
        assert_eq!(n.locate(&Path::root().key("c").the_key()), text.find("\"c\""));
    }
}
