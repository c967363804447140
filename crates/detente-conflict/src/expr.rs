//! Boolean formulas over options: [`Literal`]s, Y/N/- [`Pattern`]s, the expression AST
//! [`Expr`], and preference [`Statement`]s in the GMCR II / gmcr-py statement language.
//!
//! Statement syntax (option numbers 1-based, as analysts write them):
//! - `3` option 3 taken, `-3` (or `!3`, `~3`) not taken;
//! - `1 & -2` (also `1, -2`, gmcr-py's comma) and; `1 | -3` or; parentheses group;
//! - `q if p` (p → q, GMCR II `IF`), `q iff p` (`IFF`); keywords in any case;
//! - a whole Y/N/- string over all options (`N-Y--`) is gmcr-py's condition form.
//!
//! Precedence: negation, then `&`/`,`, then `|`, then `if`/`iff` (one per statement).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{ConflictError, ErrorKind};
use crate::model::{and3, or3, OptIdx};

/// An option taken (`taken = true`) or not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Literal {
    /// The option (0-based).
    pub option: OptIdx,
    /// Whether it is taken.
    pub taken: bool,
}

impl Literal {
    /// Option `option` (0-based) taken.
    pub fn yes(option: OptIdx) -> Self {
        Literal { option, taken: true }
    }
    /// Option `option` (0-based) not taken.
    pub fn no(option: OptIdx) -> Self {
        Literal { option, taken: false }
    }
}

/// A Y/N/- pattern over options in order (`-` = either).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pattern(pub Vec<Option<bool>>);

impl Pattern {
    /// Parses `YN-` (case-insensitive; `-`, `*` or `?` for either).
    pub fn parse(text: &str) -> Result<Pattern, ConflictError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(parse_err(text, "empty pattern"));
        }
        t.chars()
            .map(|c| match c {
                'Y' | 'y' => Ok(Some(true)),
                'N' | 'n' => Ok(Some(false)),
                '-' | '*' | '?' => Ok(None),
                c => Err(parse_err(text, &format!("`{c}` is not Y, N or -"))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Pattern)
    }
    /// Number of positions.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether it has no position.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Whether a full assignment matches.
    pub fn matches(&self, taken: impl Fn(OptIdx) -> bool) -> bool {
        self.0.iter().enumerate().all(|(o, v)| v.is_none_or(|v| taken(o) == v))
    }
    /// Three-valued match on a partial assignment.
    pub fn matches_partial(&self, get: &dyn Fn(OptIdx) -> Option<bool>) -> Option<bool> {
        let mut acc = Some(true);
        for (o, v) in self.0.iter().enumerate() {
            if let Some(v) = v {
                acc = and3(acc, get(o).map(|x| x == *v));
                if acc == Some(false) {
                    break;
                }
            }
        }
        acc
    }
    /// Whether two patterns of the same length can match a common state.
    pub fn overlaps(&self, other: &Pattern) -> bool {
        self.len() == other.len() && self.0.iter().zip(&other.0).all(|(a, b)| a.is_none() || b.is_none() || a == b)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for v in &self.0 {
            f.write_str(match v {
                Some(true) => "Y",
                Some(false) => "N",
                None => "-",
            })?;
        }
        Ok(())
    }
}

impl TryFrom<String> for Pattern {
    type Error = ConflictError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Pattern::parse(&s)
    }
}

impl From<Pattern> for String {
    fn from(p: Pattern) -> String {
        p.to_string()
    }
}

/// A Boolean formula over options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expr {
    /// An option literal.
    Lit(Literal),
    /// A Y/N/- pattern over all options (true where it matches).
    Pattern(Pattern),
    /// Negation.
    Not(Box<Expr>),
    /// Conjunction (true when empty).
    And(Vec<Expr>),
    /// Disjunction (false when empty).
    Or(Vec<Expr>),
    /// Implication `a → b`.
    Implies(Box<Expr>, Box<Expr>),
    /// Equivalence `a ↔ b`.
    Iff(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Evaluates at a state given by `taken(option)`.
    pub fn eval(&self, taken: &dyn Fn(OptIdx) -> bool) -> bool {
        match self {
            Expr::Lit(l) => taken(l.option) == l.taken,
            Expr::Pattern(p) => p.matches(taken),
            Expr::Not(e) => !e.eval(taken),
            Expr::And(v) => v.iter().all(|e| e.eval(taken)),
            Expr::Or(v) => v.iter().any(|e| e.eval(taken)),
            Expr::Implies(a, b) => !a.eval(taken) || b.eval(taken),
            Expr::Iff(a, b) => a.eval(taken) == b.eval(taken),
        }
    }

    /// Three-valued evaluation on a partial assignment (`None` = undecided).
    pub fn eval_partial(&self, get: &dyn Fn(OptIdx) -> Option<bool>) -> Option<bool> {
        match self {
            Expr::Lit(l) => get(l.option).map(|v| v == l.taken),
            Expr::Pattern(p) => p.matches_partial(get),
            Expr::Not(e) => e.eval_partial(get).map(|v| !v),
            Expr::And(v) => v
                .iter()
                .try_fold(Some(true), |acc, e| {
                    let r = and3(acc, e.eval_partial(get));
                    if r == Some(false) {
                        Err(())
                    } else {
                        Ok(r)
                    }
                })
                .unwrap_or(Some(false)),
            Expr::Or(v) => v
                .iter()
                .try_fold(Some(false), |acc, e| {
                    let r = or3(acc, e.eval_partial(get));
                    if r == Some(true) {
                        Err(())
                    } else {
                        Ok(r)
                    }
                })
                .unwrap_or(Some(true)),
            Expr::Implies(a, b) => or3(a.eval_partial(get).map(|v| !v), b.eval_partial(get)),
            Expr::Iff(a, b) => match (a.eval_partial(get), b.eval_partial(get)) {
                (Some(x), Some(y)) => Some(x == y),
                _ => None,
            },
        }
    }

    /// Checks that every option exists among `n` options and patterns have length `n`.
    pub fn check(&self, n: usize) -> Result<(), ConflictError> {
        match self {
            Expr::Lit(l) if l.option >= n => Err(ConflictError::new("", ErrorKind::NoSuchOption(l.option))),
            Expr::Lit(_) => Ok(()),
            Expr::Pattern(p) if p.len() != n => Err(ConflictError::new("", ErrorKind::PatternLength { found: p.len(), expected: n })),
            Expr::Pattern(_) => Ok(()),
            Expr::Not(e) => e.check(n),
            Expr::And(v) | Expr::Or(v) => v.iter().try_for_each(|e| e.check(n)),
            Expr::Implies(a, b) | Expr::Iff(a, b) => {
                a.check(n)?;
                b.check(n)
            }
        }
    }

    /// The expression in the statement language (options 1-based).
    pub fn to_text(&self) -> String {
        fn go(e: &Expr, out: &mut String, top: bool) {
            match e {
                Expr::Lit(l) => out.push_str(&format!("{}{}", if l.taken { "" } else { "-" }, l.option + 1)),
                Expr::Pattern(p) => out.push_str(&p.to_string()),
                Expr::Not(e) => {
                    out.push_str("!(");
                    go(e, out, true);
                    out.push(')');
                }
                Expr::And(v) | Expr::Or(v) => {
                    let sep = if matches!(e, Expr::And(_)) { " & " } else { " | " };
                    if !top {
                        out.push('(');
                    }
                    for (i, x) in v.iter().enumerate() {
                        if i > 0 {
                            out.push_str(sep);
                        }
                        go(x, out, false);
                    }
                    if !top {
                        out.push(')');
                    }
                }
                Expr::Implies(a, b) | Expr::Iff(a, b) => {
                    if !top {
                        out.push('(');
                    }
                    go(b, out, false);
                    out.push_str(if matches!(e, Expr::Implies(..)) { " if " } else { " iff " });
                    go(a, out, false);
                    if !top {
                        out.push(')');
                    }
                }
            }
        }
        let mut s = String::new();
        go(self, &mut s, true);
        s
    }
}

/// A preference statement: its text as written and its parsed formula.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Statement {
    text: String,
    expr: Expr,
}

impl Statement {
    /// Parses the statement language (module docs). Errors are [`ErrorKind::Parse`].
    pub fn parse(text: &str) -> Result<Statement, ConflictError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(parse_err(text, "empty statement"));
        }
        let is_pattern = t.chars().all(|c| matches!(c, 'Y' | 'y' | 'N' | 'n' | '-')) && t.chars().any(|c| c != '-');
        let expr = if is_pattern {
            Expr::Pattern(Pattern::parse(t)?)
        } else {
            let tokens = lex(text)?;
            let mut p = Parser { text, tokens, pos: 0, depth: 0 };
            let e = p.statement()?;
            if p.pos != p.tokens.len() {
                return Err(parse_err(text, &format!("unexpected `{}`", p.tokens[p.pos].show())));
            }
            e
        };
        Ok(Statement { text: t.to_string(), expr })
    }

    /// A statement from a formula (its text is the formula in the statement language).
    pub fn from_expr(expr: Expr) -> Statement {
        Statement { text: expr.to_text(), expr }
    }

    /// gmcr-py's stored form: a disjunction of conditions, each a conjunction of literals.
    pub fn from_conditions(conditions: Vec<Vec<Literal>>) -> Statement {
        let mut ors: Vec<Expr> = conditions
            .into_iter()
            .map(|mut c| if c.len() == 1 { Expr::Lit(c.remove(0)) } else { Expr::And(c.into_iter().map(Expr::Lit).collect()) })
            .collect();
        let expr = if ors.len() == 1 { ors.remove(0) } else { Expr::Or(ors) };
        Statement::from_expr(expr)
    }

    /// The text as written.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// The formula.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl TryFrom<String> for Statement {
    type Error = ConflictError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Statement::parse(&s)
    }
}

impl From<Statement> for String {
    fn from(s: Statement) -> String {
        s.text
    }
}

fn parse_err(text: &str, reason: &str) -> ConflictError {
    ConflictError::new("", ErrorKind::Parse { text: text.to_string(), reason: reason.to_string() })
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(usize),
    Pat(Pattern),
    Not,
    And,
    Or,
    If,
    Iff,
    Open,
    Close,
}

impl Tok {
    fn show(&self) -> String {
        match self {
            Tok::Num(n) => n.to_string(),
            Tok::Pat(p) => p.to_string(),
            Tok::Not => "-".into(),
            Tok::And => "&".into(),
            Tok::Or => "|".into(),
            Tok::If => "if".into(),
            Tok::Iff => "iff".into(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
        }
    }
}

fn lex(text: &str) -> Result<Vec<Tok>, ConflictError> {
    let cs: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < cs.len() {
        let c = cs[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '-' | '!' | '~' => {
                out.push(Tok::Not);
                i += 1
            }
            '&' | ',' => {
                out.push(Tok::And);
                i += 1
            }
            '|' => {
                out.push(Tok::Or);
                i += 1
            }
            '(' => {
                out.push(Tok::Open);
                i += 1
            }
            ')' => {
                out.push(Tok::Close);
                i += 1
            }
            c if c.is_ascii_digit() => {
                let start = i;
                while i < cs.len() && cs[i].is_ascii_digit() {
                    i += 1;
                }
                let s: String = cs[start..i].iter().collect();
                let n: usize = s.parse().map_err(|_| parse_err(text, &format!("option number `{s}` is too large")))?;
                if n == 0 {
                    return Err(parse_err(text, "options are numbered from 1"));
                }
                out.push(Tok::Num(n));
            }
            c if c.is_alphabetic() => {
                let start = i;
                while i < cs.len() && cs[i].is_alphabetic() {
                    i += 1;
                }
                let w: String = cs[start..i].iter().collect::<String>().to_lowercase();
                match w.as_str() {
                    "if" => out.push(Tok::If),
                    "iff" => out.push(Tok::Iff),
                    "and" => out.push(Tok::And),
                    "or" => out.push(Tok::Or),
                    "not" => out.push(Tok::Not),
                    _ if cs[start..i].iter().all(|c| matches!(c, 'Y' | 'y' | 'N' | 'n')) => {
                        // A Y/N/- pattern: letters and dashes.
                        while i < cs.len() && matches!(cs[i], 'Y' | 'y' | 'N' | 'n' | '-') {
                            i += 1;
                        }
                        let p: String = cs[start..i].iter().collect();
                        out.push(Tok::Pat(Pattern::parse(&p)?));
                    }
                    _ => return Err(parse_err(text, &format!("unknown word `{w}` (expected a number, a Y/N/- pattern, &, |, if, iff)"))),
                }
            }
            c => return Err(parse_err(text, &format!("unexpected character `{c}`"))),
        }
    }
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Tok>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }
    fn statement(&mut self) -> Result<Expr, ConflictError> {
        let q = self.or()?;
        match self.peek() {
            Some(Tok::If) => {
                self.pos += 1;
                let p = self.or()?;
                Ok(Expr::Implies(Box::new(p), Box::new(q)))
            }
            Some(Tok::Iff) => {
                self.pos += 1;
                let p = self.or()?;
                Ok(Expr::Iff(Box::new(p), Box::new(q)))
            }
            _ => Ok(q),
        }
    }
    fn or(&mut self) -> Result<Expr, ConflictError> {
        let mut v = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            v.push(self.and()?);
        }
        Ok(if v.len() == 1 { v.remove(0) } else { Expr::Or(v) })
    }
    fn and(&mut self) -> Result<Expr, ConflictError> {
        let mut v = vec![self.unary()?];
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            v.push(self.unary()?);
        }
        Ok(if v.len() == 1 { v.remove(0) } else { Expr::And(v) })
    }
    fn unary(&mut self) -> Result<Expr, ConflictError> {
        self.depth += 1;
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }
    fn unary_inner(&mut self) -> Result<Expr, ConflictError> {
        if self.depth > 200 {
            return Err(parse_err(self.text, "nested too deeply"));
        }
        match self.peek().cloned() {
            Some(Tok::Not) => {
                self.pos += 1;
                Ok(match self.unary()? {
                    Expr::Lit(l) => Expr::Lit(Literal { option: l.option, taken: !l.taken }),
                    e => Expr::Not(Box::new(e)),
                })
            }
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Lit(Literal::yes(n - 1)))
            }
            Some(Tok::Pat(p)) => {
                self.pos += 1;
                Ok(Expr::Pattern(p))
            }
            Some(Tok::Open) => {
                self.pos += 1;
                let e = self.statement()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(parse_err(self.text, "missing `)`"));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(t) => Err(parse_err(self.text, &format!("expected an option number, found `{}`", t.show()))),
            None => Err(parse_err(self.text, "unexpected end; expected an option number")),
        }
    }
}
