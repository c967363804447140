//! Building negotiators from their specs (`name` or `name(key=value, ...)`; the names,
//! parameters and their domains are core's [`NegotiatorKind`] table): defaults live here.

use crate::boa::{Acceptance, Boa};
use crate::hardheaded::{HardHeaded, NiceTitForTat};
use crate::refdep::{Reference, ReferenceDependent};
use crate::simple::{Micro, NaiveTitForTat, RandomNegotiator};
use crate::time_based::{TimeBased, TimeDependent};
use detente_core::{NegotiatorKind, NegotiatorSpec, SpecError};
use detente_protocol::Negotiator;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Why a negotiator spec cannot be built: the core's [`SpecError`] (building a valid spec
/// cannot fail).
pub type AgentError = SpecError;

/// Every negotiator name [`build`] knows, with a one-line description: core's
/// [`NegotiatorKind`] table, in its order.
pub const NAMES: &[(&str, &str)] = &{
    let mut out = [("", ""); NegotiatorKind::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = (NegotiatorKind::ALL[i].name(), NegotiatorKind::ALL[i].describe());
        i += 1;
    }
    out
};

/// Builds a fresh negotiator from its spec text. `seed` seeds any randomness it uses (each
/// party of a negotiation should get its own, e.g. the run seed mixed with its index).
pub fn build(text: &str, seed: u64) -> Result<Box<dyn Negotiator>, AgentError> {
    NegotiatorSpec::parse(text).map(|spec| build_spec(&spec, seed))
}

fn time_based(spec: &NegotiatorSpec, base: TimeBased) -> Box<dyn Negotiator> {
    let num = |key, default| spec.number(key).unwrap_or(default);
    Box::new(TimeBased::new(num("exponent", base.exponent), num("eps", base.eps), num("max_aspiration", base.max_aspiration)))
}

fn time_dependent(spec: &NegotiatorSpec, base: TimeDependent) -> TimeDependent {
    TimeDependent {
        e: spec.number("e").unwrap_or(base.e),
        k: spec.number("k").unwrap_or(base.k),
        p_min: spec.number("pmin").or(base.p_min),
        p_max: spec.number("pmax").or(base.p_max),
    }
}

fn boa(spec: &NegotiatorSpec) -> Box<dyn Negotiator> {
    let num = |key, default| spec.number(key).unwrap_or(default);
    let offering = time_dependent(spec, TimeDependent::LINEAR);
    let (a, b) = (num("a", 1.0), num("b", 0.0));
    let acceptance = match spec.choice("ac").unwrap_or("next") {
        "next" => Acceptance::Next { a, b },
        "const" => Acceptance::Const { c: num("c", 0.9) },
        "time" => Acceptance::Time { t: num("t", 0.99) },
        "combi" => Acceptance::Combi { a, b, t: num("t", 0.99) },
        _ => Acceptance::CombiMaxW { t: num("t", 0.98) },
    };
    let om = match spec.choice("om").unwrap_or("frequency") {
        "frequency" => Some(num("l", 0.2)),
        _ => None,
    };
    Box::new(Boa::new(offering, acceptance, om))
}

/// Builds a fresh negotiator from a spec, applying the negotiator's defaults to the parameters
/// not given. `seed` as in [`build`].
pub fn build_spec(spec: &NegotiatorSpec, seed: u64) -> Box<dyn Negotiator> {
    use NegotiatorKind as K;
    let rng = ChaCha8Rng::seed_from_u64(seed);
    let num = |key, default| spec.number(key).unwrap_or(default);
    match spec.kind() {
        K::Boulware => time_based(spec, TimeBased::BOULWARE),
        K::Linear | K::TimeBased => time_based(spec, TimeBased::LINEAR),
        K::Conceder => time_based(spec, TimeBased::CONCEDER),
        K::Aspiration => time_based(spec, TimeBased::ASPIRATION),
        K::GeniusBoulware => Box::new(time_dependent(spec, TimeDependent::BOULWARE)),
        K::GeniusLinear | K::TimeDependent => Box::new(time_dependent(spec, TimeDependent::LINEAR)),
        K::GeniusConceder => Box::new(time_dependent(spec, TimeDependent::CONCEDER)),
        K::Hardliner => Box::new(time_dependent(spec, TimeDependent::HARDLINER)),
        K::Tft => Box::new(NaiveTitForTat::new(num("kindness", 0.0), spec.choice("punish") == Some("true"))),
        K::NiceTft => Box::new(NiceTitForTat::new()),
        K::HardHeaded => Box::new(HardHeaded::new(rng)),
        K::Micro => Box::new(Micro::new(rng)),
        K::Random => Box::new(RandomNegotiator::new(num("p_accept", NegotiatorSpec::RANDOM_DEFAULT_P_ACCEPT), num("p_reject", 0.75), rng)),
        K::Boa => boa(spec),
        K::RefDep => {
            let d = ReferenceDependent::default_params();
            let from = match spec.choice("from") {
                Some("first_offer") => Reference::FirstOffer,
                _ => Reference::Floor,
            };
            Box::new(
                ReferenceDependent::new(num("exponent", d.exponent), num("m0", d.m0), num("tau", d.tau), num("kappa", d.kappa))
                    .with_reference(from),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::ParamValue;
    use proptest::prelude::*;

    #[test]
    fn build_reports_each_kind_of_spec_error() {
        assert!(matches!(build("x(a=1", 0), Err(AgentError::Syntax { .. })));
        assert!(matches!(build("x(a)", 0), Err(AgentError::Syntax { .. })));
        assert!(matches!(build("nobody", 0), Err(AgentError::Unknown { .. })));
        assert!(matches!(build("boulware(k=1)", 0), Err(AgentError::UnknownParam { .. })));
        assert!(matches!(build("boulware(exponent=-1)", 0), Err(AgentError::BadParam { .. })));
        assert!(matches!(build("linear(eps=abc)", 0), Err(AgentError::BadParam { .. })));
        assert!(matches!(build("random(p_accept=0.5, p_reject=0.6)", 0), Err(AgentError::BadParam { .. })));
        for (name, _) in NAMES {
            assert!(build(name, 0).is_ok(), "{name}");
        }
    }

    #[test]
    fn names_are_the_core_table() {
        assert_eq!(NAMES.len(), NegotiatorKind::ALL.len());
        for (&(name, describe), kind) in NAMES.iter().zip(NegotiatorKind::ALL) {
            assert_eq!((name, describe), (kind.name(), kind.describe()));
        }
    }

    /// Every kind builds with its defaults and with every parameter at either bound of its
    /// domain (and every choice).
    #[test]
    fn every_kind_builds() {
        for kind in NegotiatorKind::ALL {
            let _ = build_spec(&NegotiatorSpec::new(kind), 0);
            for p in kind.params() {
                let values = match p.domain {
                    detente_core::ParamDomain::Number { min, max } => [min, max].map(|x| ParamValue::Number(x.clamp(-1e9, 1e9))).to_vec(),
                    detente_core::ParamDomain::Choice(options) => options.iter().map(|&o| ParamValue::Choice(o)).collect(),
                };
                for v in values {
                    if let Ok(spec) = NegotiatorSpec::new(kind).with(p.key, v) {
                        let _ = build_spec(&spec, 1);
                    }
                }
            }
        }
    }

    proptest! {
        /// Building a valid spec never fails, and building from its text gives the same play.
        #[test]
        fn any_valid_spec_builds(spec in detente_core::strategies::negotiator_spec()) {
            let _ = build_spec(&spec, 0);
            prop_assert!(build(&spec.to_string(), 0).is_ok());
        }
    }
}
