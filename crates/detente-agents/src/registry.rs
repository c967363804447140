//! Building negotiators by name: `name` or `name(key=value, ...)`.

use crate::boa::{Acceptance, Boa};
use crate::hardheaded::{HardHeaded, NiceTitForTat};
use crate::refdep::{Reference, ReferenceDependent};
use crate::simple::{Micro, NaiveTitForTat, RandomNegotiator};
use crate::time_based::{TimeBased, TimeDependent};
use detente_protocol::Negotiator;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Why a negotiator spec cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgentError {
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
    /// A parameter value that does not parse or is out of range.
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

/// A parsed spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Negotiator name (lower case).
    pub name: String,
    /// `key=value` parameters in the order given.
    pub params: Vec<(String, String)>,
}

/// Every negotiator name [`build`] knows, with a one-line description.
pub const NAMES: &[(&str, &str)] = &[
    ("boulware", "NegMAS BoulwareTBNegotiator: 1 - t^4 aspiration, eps 1e-4"),
    ("linear", "NegMAS LinearTBNegotiator: 1 - t, eps 1e-4"),
    ("conceder", "NegMAS ConcederTBNegotiator: 1 - t^0.25, eps 1e-4"),
    ("aspiration", "NegMAS AspirationNegotiator: boulware curve, tolerance 1e-3"),
    ("timebased", "NegMAS time-based with parameters exponent, eps, max_aspiration"),
    ("genius-boulware", "GENIUS TimeDependentAgent e=0.2 (AC_next)"),
    ("genius-linear", "GENIUS TimeDependentAgent e=1"),
    ("genius-conceder", "GENIUS TimeDependentAgent e=2"),
    ("hardliner", "GENIUS Hardliner (e=0): only its best outcome"),
    ("timedependent", "GENIUS/Faratin time-dependent with parameters e, k, pmin, pmax"),
    ("tft", "NegMAS NaiveTitForTat: mirrors the opponent's concession (kindness, punish)"),
    ("nice-tft", "Nice Tit-for-Tat (Baarslag et al.) with the HardHeaded frequency model"),
    ("hardheaded", "HardHeaded (ANAC 2011 winner) with its frequency model"),
    ("micro", "MiCRO (de Jonge 2022): one new rational offer per new offer received"),
    ("random", "NegMAS RandomNegotiator (p_accept 0.15, p_reject 0.75, else end)"),
    ("boa", "BOA: time-dependent bidding (e, k, pmin, pmax) x acceptance ac=next|const|time|combi|combi_max_w (a, b, c, t) x om=frequency|none (l)"),
    ("refdep", "reference-dependent: raises its aspiration when the other side concedes early (exponent, m0, tau, kappa, from=floor|first_offer)"),
];

/// Parses `name` or `name(key=value, ...)`.
pub fn parse_spec(text: &str) -> Result<Spec, AgentError> {
    let syntax = |reason: &str| AgentError::Syntax { spec: text.to_string(), reason: reason.to_string() };
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
    let mut params = Vec::new();
    if let Some(inner) = rest {
        for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| syntax(&format!("parameter `{part}` has no `=`")))?;
            params.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    Ok(Spec { name, params })
}

/// Reads parameters, refusing unknown ones.
pub(crate) struct Params<'a> {
    spec: &'a Spec,
    allowed: &'static [&'static str],
}

impl<'a> Params<'a> {
    pub(crate) fn new(spec: &'a Spec, allowed: &'static [&'static str]) -> Result<Self, AgentError> {
        if let Some((k, _)) = spec.params.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            return Err(AgentError::UnknownParam {
                name: spec.name.clone(),
                key: k.clone(),
                known: if allowed.is_empty() { "(none)".into() } else { allowed.join(", ") },
            });
        }
        Ok(Params { spec, allowed })
    }

    fn raw(&self, key: &str) -> Option<&'a str> {
        debug_assert!(self.allowed.contains(&key));
        self.spec.params.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub(crate) fn f64_in(&self, key: &str, default: f64, lo: f64, hi: f64) -> Result<f64, AgentError> {
        let Some(v) = self.raw(key) else { return Ok(default) };
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= lo && x <= hi => Ok(x),
            _ => Err(AgentError::BadParam {
                name: self.spec.name.clone(),
                key: key.into(),
                value: v.into(),
                expected: format!("a number in [{lo}, {hi}]"),
            }),
        }
    }

    pub(crate) fn choice(&self, key: &str, default: &'static str, options: &[&'static str]) -> Result<&'static str, AgentError> {
        let Some(v) = self.raw(key) else { return Ok(default) };
        options.iter().find(|o| o.eq_ignore_ascii_case(v)).copied().ok_or_else(|| AgentError::BadParam {
            name: self.spec.name.clone(),
            key: key.into(),
            value: v.into(),
            expected: format!("one of {}", options.join(", ")),
        })
    }

    pub(crate) fn opt_f64(&self, key: &str) -> Result<Option<f64>, AgentError> {
        if self.raw(key).is_none() {
            return Ok(None);
        }
        self.f64_in(key, 0.0, f64::MIN, f64::MAX).map(Some)
    }
}

/// Builds a fresh negotiator from its spec text. `seed` seeds any randomness it uses (each
/// party of a negotiation should get its own, e.g. the run seed mixed with its index).
pub fn build(text: &str, seed: u64) -> Result<Box<dyn Negotiator>, AgentError> {
    let spec = parse_spec(text)?;
    build_spec(&spec, seed)
}

fn time_based(spec: &Spec, base: TimeBased) -> Result<Box<dyn Negotiator>, AgentError> {
    let p = Params::new(spec, &["exponent", "eps", "max_aspiration"])?;
    Ok(Box::new(TimeBased::new(
        p.f64_in("exponent", base.exponent, 0.0, 1e6)?,
        p.f64_in("eps", base.eps, -1e6, 1e6)?,
        p.f64_in("max_aspiration", base.max_aspiration, 0.0, 1.0)?,
    )))
}

fn time_dependent(spec: &Spec, base: TimeDependent) -> Result<Box<dyn Negotiator>, AgentError> {
    let p = Params::new(spec, &["e", "k", "pmin", "pmax"])?;
    Ok(Box::new(TimeDependent {
        e: p.f64_in("e", base.e, 0.0, 1e6)?,
        k: p.f64_in("k", base.k, 0.0, 1.0)?,
        p_min: p.opt_f64("pmin")?.or(base.p_min),
        p_max: p.opt_f64("pmax")?.or(base.p_max),
    }))
}

fn boa(spec: &Spec) -> Result<Box<dyn Negotiator>, AgentError> {
    let p = Params::new(spec, &["e", "k", "pmin", "pmax", "ac", "a", "b", "c", "t", "om", "l"])?;
    let offering = TimeDependent {
        e: p.f64_in("e", 1.0, 0.0, 1e6)?,
        k: p.f64_in("k", 0.0, 0.0, 1.0)?,
        p_min: p.opt_f64("pmin")?,
        p_max: p.opt_f64("pmax")?,
    };
    let (a, b) = (p.f64_in("a", 1.0, 0.0, 1e6)?, p.f64_in("b", 0.0, -1.0, 1.0)?);
    let acceptance = match p.choice("ac", "next", &["next", "const", "time", "combi", "combi_max_w"])? {
        "next" => Acceptance::Next { a, b },
        "const" => Acceptance::Const { c: p.f64_in("c", 0.9, -1.0, 2.0)? },
        "time" => Acceptance::Time { t: p.f64_in("t", 0.99, 0.0, 1.0)? },
        "combi" => Acceptance::Combi { a, b, t: p.f64_in("t", 0.99, 0.0, 1.0)? },
        _ => Acceptance::CombiMaxW { t: p.f64_in("t", 0.98, 0.0, 1.0)? },
    };
    let om = match p.choice("om", "frequency", &["frequency", "none"])? {
        "frequency" => Some(p.f64_in("l", 0.2, 0.0, 1.0)?),
        _ => None,
    };
    Ok(Box::new(Boa::new(offering, acceptance, om)))
}

/// Builds from a parsed spec.
pub(crate) fn build_spec(spec: &Spec, seed: u64) -> Result<Box<dyn Negotiator>, AgentError> {
    let rng = ChaCha8Rng::seed_from_u64(seed);
    match spec.name.as_str() {
        "boulware" => time_based(spec, TimeBased::BOULWARE),
        "linear" => time_based(spec, TimeBased::LINEAR),
        "conceder" => time_based(spec, TimeBased::CONCEDER),
        "aspiration" => time_based(spec, TimeBased::ASPIRATION),
        "timebased" => time_based(spec, TimeBased::LINEAR),
        "genius-boulware" => time_dependent(spec, TimeDependent::BOULWARE),
        "genius-linear" => time_dependent(spec, TimeDependent::LINEAR),
        "genius-conceder" => time_dependent(spec, TimeDependent::CONCEDER),
        "hardliner" => time_dependent(spec, TimeDependent::HARDLINER),
        "timedependent" => time_dependent(spec, TimeDependent::LINEAR),
        "tft" | "naive-tft" => {
            let p = Params::new(spec, &["kindness", "punish"])?;
            Ok(Box::new(NaiveTitForTat {
                kindness: p.f64_in("kindness", 0.0, -1.0, 1.0)?,
                punish: p.choice("punish", "false", &["true", "false"])? == "true",
            }))
        }
        "nice-tft" => {
            Params::new(spec, &[])?;
            Ok(Box::new(NiceTitForTat::new()))
        }
        "hardheaded" => {
            Params::new(spec, &[])?;
            Ok(Box::new(HardHeaded::new(rng)))
        }
        "micro" => {
            Params::new(spec, &[])?;
            Ok(Box::new(Micro::new(rng)))
        }
        "random" => {
            let p = Params::new(spec, &["p_accept", "p_reject"])?;
            let pa = p.f64_in("p_accept", 0.15, 0.0, 1.0)?;
            let pr = p.f64_in("p_reject", 0.75, 0.0, 1.0 - pa)?;
            Ok(Box::new(RandomNegotiator::new(pa, pr, rng)))
        }
        "boa" => boa(spec),
        "refdep" => {
            let p = Params::new(spec, &["exponent", "m0", "tau", "kappa", "from"])?;
            let d = ReferenceDependent::default_params();
            let from = match p.choice("from", "floor", &["floor", "first_offer"])? {
                "first_offer" => Reference::FirstOffer,
                _ => Reference::Floor,
            };
            Ok(Box::new(
                ReferenceDependent::new(
                    p.f64_in("exponent", d.exponent, 0.0, 1e6)?,
                    p.f64_in("m0", d.m0, 0.0, 1.0)?,
                    p.f64_in("tau", d.tau, 0.0, 1.0)?,
                    p.f64_in("kappa", d.kappa, 0.0, 1e6)?,
                )
                .with_reference(from),
            ))
        }
        _ => Err(AgentError::Unknown { name: spec.name.clone(), known: NAMES.iter().map(|n| n.0).collect::<Vec<_>>().join(", ") }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_errors_are_typed() {
        assert_eq!(parse_spec("Boulware").unwrap(), Spec { name: "boulware".into(), params: vec![] });
        assert_eq!(
            parse_spec("timebased(exponent=2, eps = 0.01)").unwrap().params,
            vec![("exponent".into(), "2".into()), ("eps".into(), "0.01".into())]
        );
        assert!(matches!(parse_spec("x(a=1"), Err(AgentError::Syntax { .. })));
        assert!(matches!(parse_spec("x(a)"), Err(AgentError::Syntax { .. })));
        assert!(matches!(build("nobody", 0), Err(AgentError::Unknown { .. })));
        assert!(matches!(build("boulware(k=1)", 0), Err(AgentError::UnknownParam { .. })));
        assert!(matches!(build("boulware(exponent=-1)", 0), Err(AgentError::BadParam { .. })));
        assert!(matches!(build("linear(eps=abc)", 0), Err(AgentError::BadParam { .. })));
        for (name, _) in NAMES {
            assert!(build(name, 0).is_ok(), "{name}");
        }
    }
}
