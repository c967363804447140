//! Lenient XML for GENIUS files: decode, pre-sanitise, then parse with `quick-xml` into a small
//! element tree whose nodes remember where they were in the original text.
//!
//! GENIUS's own `SimpleDOMParser` accepts files that are not well-formed XML (about 5.6 % of
//! the GENIUS 10.4 templates). The sanitiser repairs exactly the defects seen in those files
//! (spec §A.6) and nothing else:
//!
//! | defect | repair |
//! |---|---|
//! | bytes that are not UTF-8 (ANAC 2015 `€` as `0x80`) | decode the whole file as Windows-1252 |
//! | a bare `&` (`AT & T`) | escape it as `&amp;` |
//! | `<` inside an attribute value | escape it as `&lt;` |
//! | no space between attributes (`type="discrete"vtype=…`) | insert one space |
//! | a comment before `<?xml …?>` | blank out the declaration (the encoding is already decided) |
//! | attribute values spanning lines | XML attribute-value normalisation: each line break or tab becomes one space |
//!
//! Errors point into the *original* text: every insertion is recorded, and offsets in the
//! sanitised text are mapped back before they become a [`Location`].

use crate::{FormatError, Location};
use detente_core::limits::MAX_NESTING;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One attribute: its name, unescaped and whitespace-normalised value, and where it starts.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub(crate) name: String,
    pub(crate) value: String,
    /// Byte offset of the attribute name in the sanitised text.
    pub(crate) offset: usize,
}

/// One element with its attributes and child elements (text content is ignored: GENIUS files
/// carry everything in attributes).
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<Attr>,
    pub(crate) children: Vec<Element>,
    /// Byte offset of the `<` in the sanitised text.
    pub(crate) offset: usize,
}

impl Element {
    /// The attribute with this exact name.
    pub(crate) fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// The attribute's value.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.attr(name).map(|a| a.value.as_str())
    }

    /// Child elements with this name, in document order.
    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Every descendant (not the element itself) with this name, in document order.
    pub(crate) fn descendants_named<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.descendants_named(name, out);
        }
    }
}

/// A parsed document: the element tree and what is needed to turn offsets into locations.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// The file as the user named it.
    pub(crate) file: String,
    /// The decoded original text.
    original: String,
    /// Insertions the sanitiser made: `(start in sanitised text, length, total inserted before)`.
    inserts: Vec<(usize, usize, usize)>,
    /// The root element.
    pub(crate) root: Element,
}

impl Doc {
    /// Reads bytes: decodes, sanitises and parses.
    pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Doc, FormatError> {
        let (original, _) = decode(bytes);
        let (text, inserts) = sanitise(&original);
        let mut doc = Doc { file: file.to_string(), original, inserts, root: Element::empty() };
        doc.root = build_tree(&doc, &text)?;
        Ok(doc)
    }

    /// The location of a byte offset in the sanitised text, in terms of the original text.
    pub(crate) fn loc(&self, offset: usize) -> Location {
        Location::from_offset(&self.file, &self.original, self.original_offset(offset))
    }

    fn original_offset(&self, offset: usize) -> usize {
        let i = self.inserts.partition_point(|&(start, _, _)| start <= offset);
        if i == 0 {
            return offset;
        }
        let (start, len, before) = self.inserts[i - 1];
        offset - before - len.min(offset - start)
    }

    /// An `Invalid` error at an element.
    pub(crate) fn invalid_at(&self, el: &Element, message: impl Into<String>) -> FormatError {
        FormatError::Invalid { location: self.loc(el.offset), message: message.into() }
    }

    /// An `Invalid` error at an attribute (or at its element when it is missing).
    pub(crate) fn invalid_attr(&self, el: &Element, name: &str, message: impl Into<String>) -> FormatError {
        let offset = el.attr(name).map_or(el.offset, |a| a.offset);
        FormatError::Invalid { location: self.loc(offset), message: message.into() }
    }
}

impl Element {
    fn empty() -> Element {
        Element { name: String::new(), attrs: vec![], children: vec![], offset: 0 }
    }
}

/// Decodes bytes: a UTF-8 (or UTF-16) byte-order mark is honoured; otherwise UTF-8 when the bytes
/// are valid UTF-8, else Windows-1252 (which decodes every byte). The `encoding` named in the XML
/// declaration is not consulted: GENIUS's reader ignores it too (it reads with the platform
/// charset), and every non-UTF-8 GENIUS file seen in the wild is Windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> (String, bool) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), false);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), true)
        }
    }
}

/// The name of the first element of `text`, past a byte-order mark, the declaration, comments,
/// processing instructions and a doctype — a cheap look at a file's root for folder detection
/// (`None` when there is no element to see).
pub(crate) fn root_name(text: &str) -> Option<&str> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = &r[r.find('>')? + 1..];
        } else {
            let r = rest.strip_prefix('<')?;
            let end = r.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(r.len());
            return (end > 0).then(|| &r[..end]);
        }
    }
}

/// Whether `rest` (starting just after an `&`) begins a well-formed entity or character reference.
fn is_reference(rest: &str) -> bool {
    // A reference is short: look no further than 32 bytes (a scan to the next `;` of the file
    // would make a file of many bare `&` quadratic).
    let Some(end) = rest.bytes().take(32).position(|b| b == b';') else { return false };
    let body = &rest[..end];
    if let Some(num) = body.strip_prefix('#') {
        if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
        }
        return !num.is_empty() && num.chars().all(|c| c.is_ascii_digit());
    }
    matches!(body, "amp" | "lt" | "gt" | "quot" | "apos")
}

/// Repairs the defects listed in the module docs. Returns the sanitised text and the insertions
/// `(start in output, length, total inserted before)` for mapping offsets back.
pub(crate) fn sanitise(text: &str) -> (String, Vec<(usize, usize, usize)>) {
    let mut out = String::with_capacity(text.len() + 16);
    let mut inserts: Vec<(usize, usize, usize)> = Vec::new();
    let mut total = 0usize;
    let mut insert = |out: &mut String, s: &str, inserts: &mut Vec<(usize, usize, usize)>| {
        inserts.push((out.len(), s.len(), total));
        total += s.len();
        out.push_str(s);
    };
    let bytes = text.as_bytes();
    let mut i = 0usize;
    // Copies `text[i..j]` and moves on.
    macro_rules! copy_to {
        ($j:expr) => {{
            let j = $j;
            out.push_str(&text[i..j]);
            i = j;
        }};
    }
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("<!--") {
            copy_to!(rest.find("-->").map_or(text.len(), |e| i + e + 3));
        } else if rest.starts_with("<![CDATA[") {
            copy_to!(rest.find("]]>").map_or(text.len(), |e| i + e + 3));
        } else if let Some(pi) = rest.strip_prefix("<?") {
            let end = rest.find("?>").map_or(text.len(), |e| i + e + 2);
            let target: String = pi.chars().take_while(|c| !c.is_whitespace() && *c != '?').collect();
            if target.eq_ignore_ascii_case("xml") {
                // Blank the declaration byte for byte, keeping line breaks, so offsets stay put.
                for c in text[i..end].chars() {
                    if c == '\n' || c == '\r' {
                        out.push(c);
                    } else {
                        out.extend(std::iter::repeat_n(' ', c.len_utf8()));
                    }
                }
                i = end;
            } else {
                copy_to!(end);
            }
        } else if rest.starts_with("<!") {
            copy_to!(rest.find('>').map_or(text.len(), |e| i + e + 1));
        } else if rest.starts_with('<') {
            // A tag: copy it, repairing attribute values and missing separators.
            out.push('<');
            i += 1;
            let mut quote: Option<char> = None;
            while i < bytes.len() {
                let c = text[i..].chars().next().expect("invariant: i < len on a char boundary");
                let n = c.len_utf8();
                match quote {
                    None => {
                        out.push(c);
                        i += n;
                        if c == '"' || c == '\'' {
                            quote = Some(c);
                        } else if c == '>' {
                            break;
                        }
                    }
                    Some(q) if c == q => {
                        out.push(c);
                        i += n;
                        quote = None;
                        if let Some(next) = text[i..].chars().next() {
                            if !(next.is_whitespace() || next == '/' || next == '>' || next == '?') {
                                insert(&mut out, " ", &mut inserts);
                            }
                        }
                    }
                    Some(_) => {
                        i += n;
                        if c == '&' {
                            out.push('&');
                            if !is_reference(&text[i..]) {
                                insert(&mut out, "amp;", &mut inserts);
                            }
                        } else if c == '<' {
                            out.push('&');
                            insert(&mut out, "lt;", &mut inserts);
                        } else {
                            out.push(c);
                        }
                    }
                }
            }
        } else if rest.starts_with('&') {
            out.push('&');
            i += 1;
            if !is_reference(&text[i..]) {
                insert(&mut out, "amp;", &mut inserts);
            }
        } else {
            let next = rest.find(['<', '&']).map_or(text.len(), |e| i + e);
            copy_to!(next);
        }
    }
    (out, inserts)
}

/// XML attribute-value normalisation: line breaks (`\r\n`, `\r`, `\n`) and tabs become spaces.
fn normalise_value(v: &str) -> String {
    v.replace("\r\n", " ").replace(['\r', '\n', '\t'], " ")
}

fn syntax(doc: &Doc, offset: usize, message: impl Into<String>) -> FormatError {
    FormatError::Syntax { location: doc.loc(offset), message: message.into() }
}

/// Finds the byte offset of attribute `name` within a tag's content (name and attributes),
/// searching from byte `from` (attributes come in order: the caller starts each search after the
/// previous attribute, so a tag with many attributes is searched once, not once per attribute).
fn attr_offset(content: &str, name: &str, mut from: usize) -> Option<usize> {
    while let Some(p) = content[from..].find(name) {
        let at = from + p;
        let before_ok = at > 0 && content[..at].ends_with(|c: char| c.is_whitespace() || c == '"' || c == '\'');
        let after = content[at + name.len()..].trim_start();
        if before_ok && after.starts_with('=') {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

fn element(doc: &Doc, e: &BytesStart<'_>, offset: usize) -> Result<Element, FormatError> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let content_start = offset + 1;
    let content = std::str::from_utf8(e).unwrap_or("");
    let mut attrs = Vec::new();
    // Duplicates are checked here, hashed: quick-xml's own check compares each attribute with
    // every earlier one (quadratic in the attributes of a tag).
    let mut seen: std::collections::HashSet<Vec<u8>> = std::collections::HashSet::new();
    let mut from = 0;
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|err| {
            use quick_xml::events::attributes::AttrError as E;
            let (pos, what) = match err {
                E::ExpectedEq(p) => (p, "an attribute name must be followed by `=`".to_string()),
                E::ExpectedValue(p) => (p, "`=` must be followed by a quoted value".to_string()),
                E::UnquotedValue(p) => (p, "the attribute value is not in quotes".to_string()),
                E::ExpectedQuote(p, q) => (p, format!("the attribute value has no closing `{}`", q as char)),
                E::Duplicated(p, _) => (p, "the attribute is given twice".to_string()),
            };
            syntax(doc, content_start + pos, format!("in <{name}>: {what}; expected name=\"value\" attributes"))
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let found = attr_offset(content, &key, from);
        if let Some(p) = found {
            from = p + key.len();
        }
        let at = found.map_or(offset, |p| content_start + p);
        if !seen.insert(a.key.as_ref().to_vec()) {
            return Err(syntax(doc, at, format!("in <{name}>: the attribute is given twice; expected name=\"value\" attributes")));
        }
        let value = a.unescape_value().map_err(|err| syntax(doc, at, format!("attribute `{key}` of <{name}>: {err}")))?;
        attrs.push(Attr { name: key, value: normalise_value(&value), offset: at });
    }
    Ok(Element { name, attrs, children: vec![], offset })
}

/// The error for an element nested deeper than [`MAX_NESTING`].
fn too_deep(doc: &Doc, at: usize) -> FormatError {
    syntax(doc, at, format!("elements nested more than {MAX_NESTING} deep; expected at most {MAX_NESTING} levels (GENIUS files use 2–3)"))
}

fn build_tree(doc: &Doc, text: &str) -> Result<Element, FormatError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let attach = |el: Element, stack: &mut Vec<Element>, root: &mut Option<Element>| -> Result<(), FormatError> {
        if let Some(parent) = stack.last_mut() {
            parent.children.push(el);
            Ok(())
        } else if let Some(first) = root {
            Err(syntax(
                doc,
                el.offset,
                format!("a second root element <{}> after <{}>; expected exactly one root element", el.name, first.name),
            ))
        } else {
            *root = Some(el);
            Ok(())
        }
    };
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let at = text[before..].find('<').map_or(before, |p| before + p);
                // The tree is walked (and dropped) recursively: refuse depth before building it.
                if stack.len() >= MAX_NESTING {
                    return Err(too_deep(doc, at));
                }
                stack.push(element(doc, &e, at)?);
            }
            Ok(Event::Empty(e)) => {
                let at = text[before..].find('<').map_or(before, |p| before + p);
                if stack.len() >= MAX_NESTING {
                    return Err(too_deep(doc, at));
                }
                let el = element(doc, &e, at)?;
                attach(el, &mut stack, &mut root)?;
            }
            Ok(Event::End(_)) => {
                let el = stack.pop().expect("invariant: quick-xml checks end tags against open tags");
                attach(el, &mut stack, &mut root)?;
            }
            Ok(Event::Text(t)) => {
                if stack.is_empty() {
                    let raw = String::from_utf8_lossy(&t);
                    if let Some(p) = raw.find(|c: char| !c.is_whitespace()) {
                        return Err(syntax(doc, before + p, "text outside the root element; expected only markup there"));
                    }
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => {
                let at = reader.error_position() as usize;
                let message = match &err {
                    quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MismatchedEndTag { expected, found }) => {
                        format!("found </{found}> where </{expected}> was expected (an unclosed <{expected}>?)")
                    }
                    quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::UnmatchedEndTag(found)) => {
                        format!("found </{found}> without a matching <{found}>")
                    }
                    other => format!("XML {other}"),
                };
                return Err(syntax(doc, at, message));
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(syntax(
            doc,
            open.offset,
            format!("<{}> is never closed: expected </{}> before the end of the file", open.name, open.name),
        ));
    }
    root.ok_or_else(|| syntax(doc, text.len(), "no root element: expected an XML document"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitise_repairs_each_defect() {
        let (s, _) = sanitise(r#"<a x="AT & T"y="1">B & C &amp; &#38;</a>"#);
        assert_eq!(s, r#"<a x="AT &amp; T" y="1">B &amp; C &amp; &#38;</a>"#);
        let (s, _) = sanitise("<!-- c --><?xml version=\"1.0\"?><a/>");
        assert_eq!(s, "<!-- c -->                     <a/>");
    }

    #[test]
    fn locations_point_into_the_original_text() {
        let text = "<a x=\"A & B\"\n  y=\"1\"z=\"2\">\n<b></c></a>";
        let doc = Doc::parse("t.xml", text.as_bytes()).unwrap_err();
        assert_eq!(doc.location().unwrap().to_string(), "t.xml:3:4");
    }

    #[test]
    fn root_name_skips_declaration_comments_and_doctype() {
        assert_eq!(
            root_name("\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE x>\n<utility_spaec type=\"x\">"),
            Some("utility_spaec")
        );
        assert_eq!(root_name("<a/>"), Some("a"));
        assert_eq!(root_name("text"), None);
        assert_eq!(root_name("<!-- unclosed"), None);
    }

    #[test]
    fn cp1252_fallback() {
        let (s, cp) = decode(b"<a v=\"\x8010\"/>");
        assert!(cp);
        assert_eq!(s, "<a v=\"\u{20ac}10\"/>");
    }
}
