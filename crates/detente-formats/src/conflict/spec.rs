//! What both conflict readers produce before the model is built: options in order, their
//! owners, feasibility as conditions, preferences as statements or a ranking of conditions.
//! Kept here so that the two readers say the same things and the model is built in one place.

/// A Boolean condition over options (indices into [`Spec::options`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// Option `.0` is taken (`true`) or not taken (`false`).
    Lit(usize, bool),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    /// `a -> b`.
    Implies(Box<Expr>, Box<Expr>),
    /// `a <-> b`.
    Iff(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// The value at a state (`state[k]`: option k taken).
    pub(crate) fn holds(&self, state: &[bool]) -> bool {
        match self {
            Expr::Lit(k, y) => state.get(*k).copied().unwrap_or(false) == *y,
            Expr::Not(e) => !e.holds(state),
            Expr::And(es) => es.iter().all(|e| e.holds(state)),
            Expr::Or(es) => es.iter().any(|e| e.holds(state)),
            Expr::Implies(a, b) => !a.holds(state) || b.holds(state),
            Expr::Iff(a, b) => a.holds(state) == b.holds(state),
        }
    }
}

/// How an option may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Both,
    /// Once taken it stays taken (gmcr-py `fwd`).
    OnlyOn,
    /// Once dropped it stays dropped (gmcr-py `back`).
    OnlyOff,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OptionSpec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) direction: Direction,
    pub(crate) source: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PrefSpec {
    /// Prioritisation statements, most important first (score Σ 2^(q−j)).
    Statements(Vec<(String, Expr)>),
    /// Tie classes, most preferred first; a state sits in the first class one of whose
    /// conditions it meets.
    Ranking(Vec<Vec<Expr>>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DmSpec {
    pub(crate) id: String,
    pub(crate) name: String,
    /// Indices into [`Spec::options`], in order.
    pub(crate) options: Vec<usize>,
    pub(crate) preferences: PrefSpec,
    pub(crate) source: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spec {
    pub(crate) title: Option<String>,
    pub(crate) options: Vec<OptionSpec>,
    pub(crate) dms: Vec<DmSpec>,
    /// A state meeting any of these is infeasible.
    pub(crate) infeasible: Vec<Expr>,
    /// The options taken at the status quo.
    pub(crate) status_quo: Option<Vec<bool>>,
    /// A partition of the DMs (by index) into coalitions that move as one (gmcr-py's
    /// `coalitions`); `None`: every DM alone.
    pub(crate) coalitions: Option<Vec<Vec<usize>>>,
}

impl Spec {
    /// The feasible states as Y/N vectors, sorted by decimal value (the first option is bit 0),
    /// as gmcr-py numbers them ("ordered" numbers are the positions + 1). `None` when there are
    /// more options than detente enumerates.
    pub(crate) fn feasible_states(&self) -> Option<Vec<Vec<bool>>> {
        let k = self.options.len();
        if k > MAX_OPTIONS {
            return None;
        }
        let mut states = Vec::new();
        for d in 0u64..(1u64 << k) {
            let s: Vec<bool> = (0..k).map(|i| d >> i & 1 == 1).collect();
            if !self.infeasible.iter().any(|e| e.holds(&s)) {
                states.push(s);
            }
        }
        Some(states)
    }
}

/// The most options a conflict may have (2^20 candidate states).
pub(crate) const MAX_OPTIONS: usize = 20;

/// A Y/N pattern of a state.
pub(crate) fn yn(state: &[bool]) -> String {
    state.iter().map(|&b| if b { 'Y' } else { 'N' }).collect()
}

/// A condition from a Y/N/- pattern over all options (`-`: either).
pub(crate) fn pattern(p: &str, k: usize) -> Result<Expr, String> {
    let chars: Vec<char> = p.trim().chars().collect();
    if chars.len() != k {
        return Err(format!(
            "pattern \"{p}\" has {} characters; expected one Y, N or - for each of the {k} options, in order",
            chars.len()
        ));
    }
    let mut lits = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        match c.to_ascii_uppercase() {
            'Y' => lits.push(Expr::Lit(i, true)),
            'N' => lits.push(Expr::Lit(i, false)),
            '-' => {}
            _ => return Err(format!("pattern \"{p}\" has `{c}` at position {}; expected Y, N or -", i + 1)),
        }
    }
    Ok(Expr::And(lits))
}

/// Whether a text is meant as a Y/N/- pattern rather than a statement.
pub(crate) fn looks_like_pattern(p: &str) -> bool {
    let t = p.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, 'Y' | 'N' | '-')) && t.contains(['Y', 'N'])
}

/// Parses a statement over option ids.
///
/// Grammar (loosest first): `a iff b` / `a <-> b`, `a if b` (b → a) / `a -> b`, `a | b`,
/// `a & b`, `-a` / `!a` / `not a`, `( … )`, an option id (`russia.fight`; letters, digits,
/// `_`, `.`, `-` inside). `lookup` maps an id to its option index, or says why not.
pub(crate) fn parse_statement(text: &str, lookup: &dyn Fn(&str) -> Result<usize, String>) -> Result<Expr, String> {
    let toks = tokens(text)?;
    if toks.is_empty() {
        return Err("empty statement; expected a condition over option ids such as `russia.fight & -usa.aid`".into());
    }
    let mut p = Parser { toks, at: 0, lookup };
    let e = p.iff()?;
    if p.at < p.toks.len() {
        return Err(format!("unexpected `{}` in \"{text}\"; expected an operator (&, |, if, iff, ->, <->) or the end", p.toks[p.at]));
    }
    Ok(e)
}

fn tokens(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let cs: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '<' && cs.get(i + 1) == Some(&'-') && cs.get(i + 2) == Some(&'>') {
            out.push("<->".into());
            i += 3;
        } else if c == '-' && cs.get(i + 1) == Some(&'>') {
            out.push("->".into());
            i += 2;
        } else if matches!(c, '&' | '|' | '(' | ')' | '!' | '-' | '~' | ',') {
            out.push(c.to_string());
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < cs.len() && (cs[i].is_alphanumeric() || matches!(cs[i], '_' | '.') || (cs[i] == '-' && cs.get(i + 1) != Some(&'>'))) {
                i += 1;
            }
            out.push(cs[start..i].iter().collect());
        } else {
            return Err(format!("unexpected `{c}` in \"{text}\"; expected option ids and the operators - & | if iff -> <-> ( )"));
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: Vec<String>,
    at: usize,
    lookup: &'a dyn Fn(&str) -> Result<usize, String>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.at).map(String::as_str)
    }
    fn iff(&mut self) -> Result<Expr, String> {
        let a = self.implies()?;
        if matches!(self.peek(), Some("iff" | "IFF" | "<->")) {
            self.at += 1;
            let b = self.implies()?;
            return Ok(Expr::Iff(Box::new(a), Box::new(b)));
        }
        Ok(a)
    }
    fn implies(&mut self) -> Result<Expr, String> {
        let a = self.or()?;
        match self.peek() {
            Some("if" | "IF") => {
                self.at += 1;
                let b = self.or()?;
                Ok(Expr::Implies(Box::new(b), Box::new(a)))
            }
            Some("->") => {
                self.at += 1;
                let b = self.or()?;
                Ok(Expr::Implies(Box::new(a), Box::new(b)))
            }
            _ => Ok(a),
        }
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut es = vec![self.and()?];
        while matches!(self.peek(), Some("|" | "or" | "OR")) {
            self.at += 1;
            es.push(self.and()?);
        }
        Ok(if es.len() == 1 { es.remove(0) } else { Expr::Or(es) })
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut es = vec![self.unary()?];
        while matches!(self.peek(), Some("&" | "," | "and" | "AND")) {
            self.at += 1;
            es.push(self.unary()?);
        }
        Ok(if es.len() == 1 { es.remove(0) } else { Expr::And(es) })
    }
    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some("-" | "!" | "~" | "not" | "NOT") => {
                self.at += 1;
                Ok(match self.unary()? {
                    Expr::Lit(k, y) => Expr::Lit(k, !y),
                    e => Expr::Not(Box::new(e)),
                })
            }
            Some("(") => {
                self.at += 1;
                let e = self.iff()?;
                if self.peek() != Some(")") {
                    return Err("unclosed `(`; expected `)`".into());
                }
                self.at += 1;
                Ok(e)
            }
            Some(t) if t.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_') && !KEYWORDS.contains(&t) => {
                let t = t.to_string();
                self.at += 1;
                Ok(Expr::Lit((self.lookup)(&t)?, true))
            }
            Some(t) => Err(format!("unexpected `{t}`; expected an option id, `-`, or `(`")),
            None => Err("the statement ends early; expected an option id".into()),
        }
    }
}

const KEYWORDS: [&str; 10] = ["if", "IF", "iff", "IFF", "or", "OR", "and", "AND", "not", "NOT"];

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(id: &str) -> Result<usize, String> {
        ["a.x", "a.y", "b.z"].iter().position(|k| *k == id).ok_or_else(|| format!("unknown option `{id}`"))
    }

    #[test]
    fn statements_parse_with_precedence() {
        let e = parse_statement("a.x & -a.y | b.z", &ids).unwrap();
        assert_eq!(e, Expr::Or(vec![Expr::And(vec![Expr::Lit(0, true), Expr::Lit(1, false)]), Expr::Lit(2, true)]));
        let e = parse_statement("a.x if b.z", &ids).unwrap();
        assert!(e.holds(&[true, false, true]) && !e.holds(&[false, false, true]) && e.holds(&[false, false, false]));
        let e = parse_statement("a.x iff -(a.y | b.z)", &ids).unwrap();
        assert!(e.holds(&[true, false, false]) && !e.holds(&[true, true, false]));
        assert!(parse_statement("a.x &", &ids).unwrap_err().contains("ends early"));
        assert!(parse_statement("a.q", &ids).unwrap_err().contains("unknown option `a.q`"));
        assert!(parse_statement("(a.x", &ids).unwrap_err().contains("unclosed"));
        assert!(parse_statement("a.x b.z", &ids).unwrap_err().contains("unexpected `b.z`"));
        assert!(parse_statement("a.x # b", &ids).unwrap_err().contains("unexpected `#`"));
    }

    #[test]
    fn patterns() {
        assert_eq!(pattern("Y-N", 3).unwrap(), Expr::And(vec![Expr::Lit(0, true), Expr::Lit(2, false)]));
        assert!(pattern("YN", 3).unwrap_err().contains("2 characters"));
        assert!(pattern("YXN", 3).unwrap_err().contains("`X`"));
        assert!(looks_like_pattern("NY-") && !looks_like_pattern("a.x"));
    }
}
