//! Negotiator specs: which negotiator a party plays, as a typed and validated value.
//!
//! The negotiators themselves live in `detente-agents`; the core only names them, so that a
//! scenario can hold an actor's default strategy as a value that is known to build. The text
//! form is `name` or `name(key=value, ...)`:
//!
//! - names, keys and choice values are case-insensitive, spaces around them are ignored, and a
//!   few names have aliases (`naive-tft` is `tft`);
//! - every key must be a parameter of that negotiator and every value must lie in the
//!   parameter's domain ([`ParamSpec`]), and cross-parameter rules hold (`random`: a given
//!   `p_reject` is at most `1 − p_accept`);
//! - a parameter given twice takes the **last** value, as the text form always has; every value
//!   given must still be valid, an overridden one included;
//! - a parameter the chosen variant does not read (`boa`'s `c` unless `ac=const`) is still
//!   checked and kept.
//!
//! [`NegotiatorSpec`]'s `Display` writes the canonical text — the name, then the parameters
//! given in the order of [`NegotiatorKind::params`], numbers in Rust's shortest round-trip
//! form, no spaces — so that `parse(spec.to_string()) == spec`.
//!
//! ```
//! use detente_core::{NegotiatorKind, NegotiatorSpec};
//! let spec = NegotiatorSpec::parse("BOA(ac=Const, e = 0.2, c=0.8)")?;
//! assert_eq!(spec.kind(), NegotiatorKind::Boa);
//! assert_eq!(spec.number("e"), Some(0.2));
//! assert_eq!(spec.choice("ac"), Some("const"));
//! assert_eq!(spec.to_string(), "boa(e=0.2,ac=const,c=0.8)");
//! # Ok::<(), detente_core::SpecError>(())
//! ```

use std::fmt;

/// Why a negotiator spec is not valid. The messages name what is known, so that a typo can be
/// fixed from the message alone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// Malformed spec text.
    #[error("cannot read negotiator `{spec}`: {reason}; expected `name` or `name(key=value, ...)`")]
    Syntax {
        /// The spec.
        spec: String,
        /// What is wrong.
        reason: String,
    },
    /// No negotiator has this name.
    #[error("unknown negotiator `{name}`; known: {known}")]
    Unknown {
        /// The name.
        name: String,
        /// Known names.
        known: String,
    },
    /// A parameter the negotiator does not have.
    #[error("negotiator `{name}` has no parameter `{key}`; it takes: {known}")]
    UnknownParam {
        /// Negotiator.
        name: String,
        /// Parameter.
        key: String,
        /// Parameters it takes.
        known: String,
    },
    /// A parameter value that does not parse, is out of range or breaks a cross-parameter rule.
    #[error("negotiator `{name}`: parameter `{key}` = `{value}` is invalid: {expected}")]
    BadParam {
        /// Negotiator.
        name: String,
        /// Parameter.
        key: String,
        /// Value given.
        value: String,
        /// What was expected.
        expected: String,
    },
}

/// The values a parameter may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamDomain {
    /// A finite number in `[min, max]` (infinite bounds: any finite number).
    Number {
        /// Least value.
        min: f64,
        /// Greatest value.
        max: f64,
    },
    /// One of these words (lower case; matched case-insensitively).
    Choice(&'static [&'static str]),
}

/// One parameter of a negotiator: its key and domain. Defaults belong to the negotiator that
/// reads it (`detente-agents`), not to the spec.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// The key (lower case).
    pub key: &'static str,
    /// What it may be.
    pub domain: ParamDomain,
}

impl ParamSpec {
    const fn number(key: &'static str, min: f64, max: f64) -> Self {
        ParamSpec { key, domain: ParamDomain::Number { min, max } }
    }

    const fn any_number(key: &'static str) -> Self {
        Self::number(key, f64::NEG_INFINITY, f64::INFINITY)
    }

    const fn choice(key: &'static str, options: &'static [&'static str]) -> Self {
        ParamSpec { key, domain: ParamDomain::Choice(options) }
    }

    /// What a valid value looks like, for messages: `a number in [0, 1]`, `one of a, b`.
    pub fn expected(&self) -> String {
        match self.domain {
            ParamDomain::Number { min, max } if min.is_finite() || max.is_finite() => format!("a number in [{min}, {max}]"),
            ParamDomain::Number { .. } => "a finite number".to_string(),
            ParamDomain::Choice(options) => format!("one of {}", options.join(", ")),
        }
    }

    /// The value `text` stands for, if it is in the domain.
    pub fn read(&self, text: &str) -> Option<ParamValue> {
        match self.domain {
            ParamDomain::Number { .. } => text.parse::<f64>().ok().map(ParamValue::Number).and_then(|v| self.admit(v)),
            ParamDomain::Choice(options) => choose(options, text),
        }
    }

    /// `value` if it is in the domain, a choice spelt as the domain spells it.
    pub fn admit(&self, value: ParamValue) -> Option<ParamValue> {
        match (self.domain, value) {
            (ParamDomain::Number { min, max }, ParamValue::Number(x)) => (x.is_finite() && x >= min && x <= max).then_some(value),
            (ParamDomain::Choice(options), ParamValue::Choice(c)) => choose(options, c),
            _ => None,
        }
    }
}

/// The option `text` names, case-insensitively.
fn choose(options: &'static [&'static str], text: &str) -> Option<ParamValue> {
    options.iter().find(|o| o.eq_ignore_ascii_case(text)).map(|&o| ParamValue::Choice(o))
}

/// A parameter's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue {
    /// A finite number.
    Number(f64),
    /// One of the parameter's choices.
    Choice(&'static str),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `{}` on f64 is the shortest text that parses back to the same number
            ParamValue::Number(x) => write!(f, "{x}"),
            ParamValue::Choice(c) => f.write_str(c),
        }
    }
}

const TIME_BASED: &[ParamSpec] =
    &[ParamSpec::number("exponent", 0.0, 1e6), ParamSpec::number("eps", -1e6, 1e6), ParamSpec::number("max_aspiration", 0.0, 1.0)];

const TIME_DEPENDENT: &[ParamSpec] =
    &[ParamSpec::number("e", 0.0, 1e6), ParamSpec::number("k", 0.0, 1.0), ParamSpec::any_number("pmin"), ParamSpec::any_number("pmax")];

const TFT: &[ParamSpec] = &[ParamSpec::number("kindness", -1.0, 1.0), ParamSpec::choice("punish", &["true", "false"])];

const RANDOM: &[ParamSpec] = &[ParamSpec::number("p_accept", 0.0, 1.0), ParamSpec::number("p_reject", 0.0, 1.0)];

const BOA: &[ParamSpec] = &[
    ParamSpec::number("e", 0.0, 1e6),
    ParamSpec::number("k", 0.0, 1.0),
    ParamSpec::any_number("pmin"),
    ParamSpec::any_number("pmax"),
    ParamSpec::choice("ac", &["next", "const", "time", "combi", "combi_max_w"]),
    ParamSpec::number("a", 0.0, 1e6),
    ParamSpec::number("b", -1.0, 1.0),
    ParamSpec::number("c", -1.0, 2.0),
    ParamSpec::number("t", 0.0, 1.0),
    ParamSpec::choice("om", &["frequency", "none"]),
    ParamSpec::number("l", 0.0, 1.0),
];

const REFDEP: &[ParamSpec] = &[
    ParamSpec::number("exponent", 0.0, 1e6),
    ParamSpec::number("m0", 0.0, 1.0),
    ParamSpec::number("tau", 0.0, 1.0),
    ParamSpec::number("kappa", 0.0, 1e6),
    ParamSpec::choice("from", &["floor", "first_offer"]),
];

/// Every negotiator `detente-agents` can build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NegotiatorKind {
    /// `boulware`: NegMAS BoulwareTBNegotiator.
    Boulware,
    /// `linear`: NegMAS LinearTBNegotiator.
    Linear,
    /// `conceder`: NegMAS ConcederTBNegotiator.
    Conceder,
    /// `aspiration`: NegMAS AspirationNegotiator.
    Aspiration,
    /// `timebased`: NegMAS time-based with free parameters.
    TimeBased,
    /// `genius-boulware`: GENIUS TimeDependentAgent e = 0.2.
    GeniusBoulware,
    /// `genius-linear`: GENIUS TimeDependentAgent e = 1.
    GeniusLinear,
    /// `genius-conceder`: GENIUS TimeDependentAgent e = 2.
    GeniusConceder,
    /// `hardliner`: GENIUS Hardliner (e = 0).
    Hardliner,
    /// `timedependent`: GENIUS/Faratin time-dependent with free parameters.
    TimeDependent,
    /// `tft` (alias `naive-tft`): NegMAS NaiveTitForTat.
    Tft,
    /// `nice-tft`: Nice Tit-for-Tat.
    NiceTft,
    /// `hardheaded`: HardHeaded (ANAC 2011).
    HardHeaded,
    /// `micro`: MiCRO.
    Micro,
    /// `random`: NegMAS RandomNegotiator.
    Random,
    /// `boa`: BOA composition.
    Boa,
    /// `refdep`: the reference-dependent negotiator.
    RefDep,
}

/// The one row of the name table for a kind.
struct KindInfo {
    name: &'static str,
    aliases: &'static [&'static str],
    describe: &'static str,
    params: &'static [ParamSpec],
}

impl NegotiatorKind {
    /// Every kind, in the order listings show them.
    pub const ALL: [NegotiatorKind; 17] = [
        NegotiatorKind::Boulware,
        NegotiatorKind::Linear,
        NegotiatorKind::Conceder,
        NegotiatorKind::Aspiration,
        NegotiatorKind::TimeBased,
        NegotiatorKind::GeniusBoulware,
        NegotiatorKind::GeniusLinear,
        NegotiatorKind::GeniusConceder,
        NegotiatorKind::Hardliner,
        NegotiatorKind::TimeDependent,
        NegotiatorKind::Tft,
        NegotiatorKind::NiceTft,
        NegotiatorKind::HardHeaded,
        NegotiatorKind::Micro,
        NegotiatorKind::Random,
        NegotiatorKind::Boa,
        NegotiatorKind::RefDep,
    ];

    /// The name table: the only place negotiator names, descriptions and parameters are written.
    const fn info(self) -> KindInfo {
        use NegotiatorKind as K;
        let (name, aliases, describe, params): (&'static str, &'static [&'static str], &'static str, &'static [ParamSpec]) = match self {
            K::Boulware => ("boulware", &[], "NegMAS BoulwareTBNegotiator: 1 - t^4 aspiration, eps 1e-4", TIME_BASED),
            K::Linear => ("linear", &[], "NegMAS LinearTBNegotiator: 1 - t, eps 1e-4", TIME_BASED),
            K::Conceder => ("conceder", &[], "NegMAS ConcederTBNegotiator: 1 - t^0.25, eps 1e-4", TIME_BASED),
            K::Aspiration => ("aspiration", &[], "NegMAS AspirationNegotiator: boulware curve, tolerance 1e-3", TIME_BASED),
            K::TimeBased => ("timebased", &[], "NegMAS time-based with parameters exponent, eps, max_aspiration", TIME_BASED),
            K::GeniusBoulware => ("genius-boulware", &[], "GENIUS TimeDependentAgent e=0.2 (AC_next)", TIME_DEPENDENT),
            K::GeniusLinear => ("genius-linear", &[], "GENIUS TimeDependentAgent e=1", TIME_DEPENDENT),
            K::GeniusConceder => ("genius-conceder", &[], "GENIUS TimeDependentAgent e=2", TIME_DEPENDENT),
            K::Hardliner => ("hardliner", &[], "GENIUS Hardliner (e=0): only its best outcome", TIME_DEPENDENT),
            K::TimeDependent => ("timedependent", &[], "GENIUS/Faratin time-dependent with parameters e, k, pmin, pmax", TIME_DEPENDENT),
            K::Tft => ("tft", &["naive-tft"], "NegMAS NaiveTitForTat: mirrors the opponent's concession (kindness, punish)", TFT),
            K::NiceTft => ("nice-tft", &[], "Nice Tit-for-Tat (Baarslag et al.) with the HardHeaded frequency model", &[]),
            K::HardHeaded => ("hardheaded", &[], "HardHeaded (ANAC 2011 winner) with its frequency model", &[]),
            K::Micro => ("micro", &[], "MiCRO (de Jonge 2022): one new rational offer per new offer received", &[]),
            K::Random => ("random", &[], "NegMAS RandomNegotiator (p_accept 0.15, p_reject 0.75, else end)", RANDOM),
            K::Boa => (
                "boa",
                &[],
                "BOA: time-dependent bidding (e, k, pmin, pmax) x acceptance ac=next|const|time|combi|combi_max_w (a, b, c, t) x om=frequency|none (l)",
                BOA,
            ),
            K::RefDep => (
                "refdep",
                &[],
                "reference-dependent: raises its aspiration when the other side concedes early (exponent, m0, tau, kappa, from=floor|first_offer)",
                REFDEP,
            ),
        };
        KindInfo { name, aliases, describe, params }
    }

    /// The canonical name (`genius-boulware`).
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// Other names [`NegotiatorKind::parse`] accepts for this kind.
    pub const fn aliases(self) -> &'static [&'static str] {
        self.info().aliases
    }

    /// A one-line description: the algorithm, its source and its parameters.
    pub const fn describe(self) -> &'static str {
        self.info().describe
    }

    /// The parameters it takes, in canonical order.
    pub const fn params(self) -> &'static [ParamSpec] {
        self.info().params
    }

    /// The parameter with this key (lower case).
    pub fn param(self, key: &str) -> Option<&'static ParamSpec> {
        self.params().iter().find(|p| p.key == key)
    }

    /// The kind with this name or alias, case-insensitively (surrounding spaces ignored).
    pub fn parse(name: &str) -> Option<NegotiatorKind> {
        let name = name.trim();
        Self::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(name) || k.aliases().iter().any(|a| a.eq_ignore_ascii_case(name)))
    }

    /// Every name, comma-separated, for messages.
    pub fn known() -> String {
        Self::ALL.map(NegotiatorKind::name).join(", ")
    }
}

impl fmt::Display for NegotiatorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A negotiator and the parameters given to it, each valid for it (see the module
/// documentation for the text form). Parameters not given take the negotiator's defaults when
/// it is built.
#[derive(Debug, Clone, PartialEq)]
pub struct NegotiatorSpec {
    kind: NegotiatorKind,
    /// The parameters given, each key once, in the order of `kind.params()`.
    params: Vec<(&'static str, ParamValue)>,
}

impl From<NegotiatorKind> for NegotiatorSpec {
    fn from(kind: NegotiatorKind) -> Self {
        NegotiatorSpec::new(kind)
    }
}

impl NegotiatorSpec {
    /// `random`'s `p_accept` when none is given; its `p_reject` rule reads it.
    pub const RANDOM_DEFAULT_P_ACCEPT: f64 = 0.15;

    /// The negotiator with its defaults.
    pub fn new(kind: NegotiatorKind) -> Self {
        NegotiatorSpec { kind, params: Vec::new() }
    }

    /// Parses `name` or `name(key=value, ...)`. Errors come in this order: syntax, unknown name,
    /// unknown parameter (any of them), bad value (in the order given), cross-parameter rules.
    pub fn parse(text: &str) -> Result<Self, SpecError> {
        let syntax = |reason: &str| SpecError::Syntax { spec: text.to_string(), reason: reason.to_string() };
        let t = text.trim();
        let (name, rest) = match t.find('(') {
            Some(i) => {
                let inner = t[i + 1..].strip_suffix(')').ok_or_else(|| syntax("missing closing `)`"))?;
                (&t[..i], Some(inner))
            }
            None => (t, None),
        };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(syntax("the name must be letters, digits, `-` or `_`"));
        }
        let mut pairs = Vec::new();
        for part in rest.into_iter().flat_map(|inner| inner.split(',')).map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| syntax(&format!("parameter `{part}` has no `=`")))?;
            pairs.push((k.trim().to_ascii_lowercase(), v.trim()));
        }
        let kind = NegotiatorKind::parse(&name).ok_or_else(|| SpecError::Unknown { name, known: NegotiatorKind::known() })?;
        // Every key before any value, so that a misspelt key is reported as such.
        let params: Vec<(&'static ParamSpec, &str)> =
            pairs.iter().map(|(k, v)| kind.param(k).map(|p| (p, *v)).ok_or_else(|| unknown_param(kind, k))).collect::<Result<_, _>>()?;
        let mut spec = NegotiatorSpec::new(kind);
        for &(p, v) in &params {
            spec.insert(p, p.read(v).ok_or_else(|| bad_param(kind, p.key, v, p.expected()))?);
        }
        let given = |key: &str| params.iter().rev().find(|(p, _)| p.key == key).map(|(_, v)| v.to_string());
        spec.check_rules(given)?;
        Ok(spec)
    }

    /// This spec with `key` set to `value` (replacing a value given before), checked as
    /// [`NegotiatorSpec::parse`] checks it.
    pub fn with(mut self, key: &str, value: ParamValue) -> Result<Self, SpecError> {
        let key = key.trim().to_ascii_lowercase();
        let p = self.kind.param(&key).ok_or_else(|| unknown_param(self.kind, &key))?;
        let v = p.admit(value).ok_or_else(|| bad_param(self.kind, p.key, &value.to_string(), p.expected()))?;
        self.insert(p, v);
        self.check_rules(|_| None)?;
        Ok(self)
    }

    /// The negotiator.
    pub fn kind(&self) -> NegotiatorKind {
        self.kind
    }

    /// The parameters given, in canonical order.
    pub fn params(&self) -> &[(&'static str, ParamValue)] {
        &self.params
    }

    /// The value given for `key`, if any.
    pub fn get(&self, key: &str) -> Option<ParamValue> {
        debug_assert!(self.kind.param(key).is_some(), "`{key}` is not a parameter of {}", self.kind);
        self.params.iter().find(|(k, _)| *k == key).map(|&(_, v)| v)
    }

    /// The number given for `key`, if any.
    pub fn number(&self, key: &str) -> Option<f64> {
        match self.get(key)? {
            ParamValue::Number(x) => Some(x),
            ParamValue::Choice(_) => None,
        }
    }

    /// The choice given for `key` (as the domain spells it), if any.
    pub fn choice(&self, key: &str) -> Option<&'static str> {
        match self.get(key)? {
            ParamValue::Choice(c) => Some(c),
            ParamValue::Number(_) => None,
        }
    }

    /// Sets an admitted value, keeping the canonical order.
    fn insert(&mut self, p: &'static ParamSpec, value: ParamValue) {
        let rank = |key: &str| self.kind.params().iter().position(|q| q.key == key);
        match self.params.iter().position(|(k, _)| rank(k) >= rank(p.key)) {
            Some(i) if self.params[i].0 == p.key => self.params[i].1 = value,
            Some(i) => self.params.insert(i, (p.key, value)),
            None => self.params.push((p.key, value)),
        }
    }

    /// The rules between parameters; `given` is the text a key was given as, for the message.
    fn check_rules(&self, given: impl Fn(&str) -> Option<String>) -> Result<(), SpecError> {
        if self.kind == NegotiatorKind::Random {
            let p_accept = self.number("p_accept").unwrap_or(Self::RANDOM_DEFAULT_P_ACCEPT);
            let max = 1.0 - p_accept;
            if let Some(p_reject) = self.number("p_reject").filter(|&x| x > max) {
                let value = given("p_reject").unwrap_or_else(|| p_reject.to_string());
                return Err(bad_param(self.kind, "p_reject", &value, format!("a number in [0, {max}]")));
            }
        }
        Ok(())
    }
}

fn unknown_param(kind: NegotiatorKind, key: &str) -> SpecError {
    let known = kind.params().iter().map(|p| p.key).collect::<Vec<_>>();
    SpecError::UnknownParam {
        name: kind.name().to_string(),
        key: key.to_string(),
        known: if known.is_empty() { "(none)".into() } else { known.join(", ") },
    }
}

fn bad_param(kind: NegotiatorKind, key: &str, value: &str, expected: String) -> SpecError {
    SpecError::BadParam { name: kind.name().to_string(), key: key.to_string(), value: value.to_string(), expected }
}

impl std::str::FromStr for NegotiatorSpec {
    type Err = SpecError;

    fn from_str(s: &str) -> Result<Self, SpecError> {
        NegotiatorSpec::parse(s)
    }
}

impl fmt::Display for NegotiatorSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.name())?;
        if self.params.is_empty() {
            return Ok(());
        }
        f.write_str("(")?;
        for (i, (k, v)) in self.params.iter().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { "" } else { "," })?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn err(text: &str) -> SpecError {
        NegotiatorSpec::parse(text).unwrap_err()
    }

    #[test]
    fn names_are_unique_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for k in NegotiatorKind::ALL {
            for n in std::iter::once(k.name()).chain(k.aliases().iter().copied()) {
                assert!(seen.insert(n), "{n} twice");
                assert_eq!(NegotiatorKind::parse(n), Some(k));
                assert_eq!(NegotiatorKind::parse(&n.to_ascii_uppercase()), Some(k));
            }
            assert!(!k.describe().is_empty());
            let keys: std::collections::BTreeSet<_> = k.params().iter().map(|p| p.key).collect();
            assert_eq!(keys.len(), k.params().len(), "{k}: a key twice");
        }
        assert_eq!(NegotiatorKind::parse("naive-tft"), Some(NegotiatorKind::Tft));
        assert_eq!(NegotiatorKind::parse("nobody"), None);
    }

    #[test]
    fn parses_names_params_and_canonical_text() {
        assert_eq!(NegotiatorSpec::parse(" Boulware ").unwrap(), NegotiatorSpec::new(NegotiatorKind::Boulware));
        assert_eq!(NegotiatorSpec::parse("linear()").unwrap(), NegotiatorSpec::new(NegotiatorKind::Linear));
        let s = NegotiatorSpec::parse("timebased(EPS = 0.01, exponent=2,)").unwrap();
        assert_eq!((s.number("exponent"), s.number("eps"), s.number("max_aspiration")), (Some(2.0), Some(0.01), None));
        assert_eq!(s.to_string(), "timebased(exponent=2,eps=0.01)");
        assert_eq!(NegotiatorSpec::parse("naive-tft(punish=TRUE)").unwrap().to_string(), "tft(punish=true)");
        assert_eq!(NegotiatorSpec::parse("tft(punish=TRUE)").unwrap().choice("punish"), Some("true"));
        // the order given does not matter: the value is the same
        assert_eq!(NegotiatorSpec::parse("boa(ac=time,e=2)").unwrap(), NegotiatorSpec::parse("boa(e=2,ac=time)").unwrap());
        // unbounded numbers
        assert_eq!(NegotiatorSpec::parse("timedependent(pmin=-3e300)").unwrap().number("pmin"), Some(-3e300));
    }

    #[test]
    fn a_parameter_given_twice_takes_the_last_value_but_each_must_be_valid() {
        let s = NegotiatorSpec::parse("boulware(exponent=2, exponent=3)").unwrap();
        assert_eq!(s.params(), &[("exponent", ParamValue::Number(3.0))]);
        assert!(matches!(err("boulware(exponent=abc, exponent=3)"), SpecError::BadParam { .. }));
    }

    #[test]
    fn syntax_errors() {
        for text in ["x(a=1", "x(a)", "", "bou lware", "boulware(e=1)x", "x y(a=1)"] {
            assert!(matches!(err(text), SpecError::Syntax { .. }), "{text}");
        }
        assert_eq!(
            err("boa(e)").to_string(),
            "cannot read negotiator `boa(e)`: parameter `e` has no `=`; expected `name` or `name(key=value, ...)`"
        );
    }

    #[test]
    fn unknown_names_list_the_known() {
        let e = err("nobody(a=1)");
        assert_eq!(e, SpecError::Unknown { name: "nobody".into(), known: NegotiatorKind::known() });
        assert!(e.to_string().starts_with("unknown negotiator `nobody`; known: boulware, linear, conceder,"), "{e}");
    }

    #[test]
    fn unknown_params_list_the_known() {
        assert_eq!(err("boulware(k=1)").to_string(), "negotiator `boulware` has no parameter `k`; it takes: exponent, eps, max_aspiration");
        assert_eq!(err("micro(x=1)").to_string(), "negotiator `micro` has no parameter `x`; it takes: (none)");
        // a misspelt key is reported before a bad value
        assert!(matches!(err("boulware(exponent=abc, k=1)"), SpecError::UnknownParam { .. }));
    }

    #[test]
    fn bad_values_say_what_is_expected() {
        let msg = |t: &str| err(t).to_string();
        assert_eq!(msg("boulware(exponent=-1)"), "negotiator `boulware`: parameter `exponent` = `-1` is invalid: a number in [0, 1000000]");
        assert_eq!(msg("linear(eps=abc)"), "negotiator `linear`: parameter `eps` = `abc` is invalid: a number in [-1000000, 1000000]");
        assert_eq!(msg("linear(eps=inf)"), "negotiator `linear`: parameter `eps` = `inf` is invalid: a number in [-1000000, 1000000]");
        assert_eq!(
            msg("boa(ac=never)"),
            "negotiator `boa`: parameter `ac` = `never` is invalid: one of next, const, time, combi, combi_max_w"
        );
        assert_eq!(msg("boa(pmin=NaN)"), "negotiator `boa`: parameter `pmin` = `NaN` is invalid: a finite number");
        // parameters the chosen variant does not read are checked too
        assert!(matches!(err("boa(ac=next, c=5)"), SpecError::BadParam { .. }));
    }

    #[test]
    fn random_rejects_at_most_what_it_does_not_accept() {
        assert_eq!(
            err("random(p_reject=0.9)").to_string(),
            "negotiator `random`: parameter `p_reject` = `0.9` is invalid: a number in [0, 0.85]"
        );
        assert!(NegotiatorSpec::parse("random(p_accept=0.1, p_reject=0.9)").is_ok());
        assert!(matches!(err("random(p_reject=0.5, p_accept=0.6)"), SpecError::BadParam { ref key, .. } if key == "p_reject"));
        let s = NegotiatorSpec::new(NegotiatorKind::Random).with("p_reject", ParamValue::Number(0.8)).unwrap();
        assert!(s.with("p_accept", ParamValue::Number(0.5)).is_err());
    }

    #[test]
    fn with_checks_keys_and_values() {
        let s = NegotiatorSpec::new(NegotiatorKind::Boa);
        assert_eq!(s.clone().with("AC", ParamValue::Choice("COMBI")).unwrap().choice("ac"), Some("combi"));
        assert!(matches!(s.clone().with("ac", ParamValue::Number(1.0)), Err(SpecError::BadParam { .. })));
        assert!(matches!(s.clone().with("zz", ParamValue::Number(1.0)), Err(SpecError::UnknownParam { .. })));
        assert!(matches!(s.with("e", ParamValue::Number(f64::NAN)), Err(SpecError::BadParam { .. })));
    }

    proptest! {
        #[test]
        fn display_parses_back_to_the_same_spec(spec in crate::strategies::negotiator_spec()) {
            let text = spec.to_string();
            prop_assert_eq!(NegotiatorSpec::parse(&text), Ok(spec.clone()), "{}", text);
            // and the text is canonical: printing the parsed spec gives the same text
            prop_assert_eq!(NegotiatorSpec::parse(&text.to_ascii_uppercase()).map(|s| s.to_string()), Ok(text));
        }
    }
}
