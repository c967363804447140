//! The file's shape, as serde reads it. Every struct denies unknown keys; ids are resolved and
//! ranges checked afterwards in `read.rs`, where error positions come from the span tree.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize as DeriveDeserialize;
use std::fmt;
use std::marker::PhantomData;

/// A table whose keys are ids: keeps file order and rejects duplicate keys (JSON allows them).
#[derive(Debug, Clone, Default)]
pub(crate) struct IdMap<V>(pub(crate) Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for IdMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = IdMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table keyed by id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IdMap<V>, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
                while let Some(k) = map.next_key::<String>()? {
                    if !seen.insert(k.clone()) {
                        return Err(de::Error::custom(format!("duplicate key `{k}`")));
                    }
                    let v = map.next_value::<V>()?;
                    out.push((k, v));
                }
                Ok(IdMap(out))
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

/// A scalar whose meaning depends on the issue: an option id, an integer or a number.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Int(v) => write!(f, "{v}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Str(s) => write!(f, "\"{s}\""),
        }
    }
}

impl Scalar {
    pub(crate) fn as_number(&self) -> Option<f64> {
        match self {
            Scalar::Int(v) => Some(*v as f64),
            Scalar::Float(x) => Some(*x),
            _ => None,
        }
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an option id, an integer or a number")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        i64::try_from(v).map(Scalar::Int).map_err(|_| E::custom(format!("integer {v} is too large")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_string()))
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// One entry of a red line: a value (`"membership"`, `100`), several (`["a", "b"]`), a range
/// (`{ min = 100 }`), or the `source` citation (a string under the key `source`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TermDto {
    One(Scalar),
    Many(Vec<Scalar>),
    Range { min: Option<f64>, max: Option<f64> },
}

impl<'de> Deserialize<'de> for TermDto {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TermVisitor;
        impl<'de> Visitor<'de> for TermVisitor {
            type Value = TermDto;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value of the issue, an array of values, or a range `{ min = .., max = .. }`")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<TermDto, E> {
                ScalarVisitor.visit_bool(v).map(TermDto::One)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TermDto, E> {
                ScalarVisitor.visit_i64(v).map(TermDto::One)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TermDto, E> {
                ScalarVisitor.visit_u64(v).map(TermDto::One)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TermDto, E> {
                ScalarVisitor.visit_f64(v).map(TermDto::One)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TermDto, E> {
                ScalarVisitor.visit_str(v).map(TermDto::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TermDto, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element::<Scalar>()? {
                    out.push(x);
                }
                Ok(TermDto::Many(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TermDto, A::Error> {
                let (mut min, mut max) = (None, None);
                while let Some(k) = map.next_key::<String>()? {
                    let slot = match k.as_str() {
                        "min" => &mut min,
                        "max" => &mut max,
                        _ => return Err(de::Error::custom(format!("unknown key `{k}` in a red-line range; expected `min`, `max`"))),
                    };
                    if slot.is_some() {
                        return Err(de::Error::custom(format!("duplicate key `{k}`")));
                    }
                    *slot = Some(map.next_value::<Num>()?.as_f64());
                }
                Ok(TermDto::Range { min, max })
            }
        }
        d.deserialize_any(TermVisitor)
    }
}

/// An integer or a number (bounds of integer and real issues).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Num::Int(v) => v as f64,
            Num::Float(x) => x,
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NumVisitor;
        impl<'de> Visitor<'de> for NumVisitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                i64::try_from(v).map(Num::Int).map_err(|_| E::custom(format!("integer {v} is too large")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                Ok(Num::Float(v))
            }
        }
        d.deserialize_any(NumVisitor)
    }
}

/// An optional `[a, b]` of exactly two numbers (`scale`, `ideal_range`, `salience_range`,
/// `capability_range`). serde's own `[f64; 2]` lets the TOML reader cut `[1, 2, 3]` to `[1, 2]`
/// (and makes JSON say "trailing characters"); this refuses any other length in both, with one
/// message located at the array. JSON `null` is "absent", as for the other optional keys.
fn two_numbers<'de, D: Deserializer<'de>>(d: D) -> Result<Option<[f64; 2]>, D::Error> {
    struct Pair;
    impl<'de> Visitor<'de> for Pair {
        type Value = [f64; 2];
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of exactly two numbers")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[f64; 2], A::Error> {
            let mut first = [0.0; 2];
            let mut n = 0usize;
            while let Some(x) = seq.next_element::<f64>()? {
                if let Some(slot) = first.get_mut(n) {
                    *slot = x;
                }
                n += 1;
            }
            if n == 2 {
                Ok(first)
            } else {
                Err(de::Error::invalid_length(n, &self))
            }
        }
    }
    struct OptPair;
    impl<'de> Visitor<'de> for OptPair {
        type Value = Option<[f64; 2]>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of exactly two numbers")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_seq(Pair).map(Some)
        }
    }
    d.deserialize_option(OptPair)
}

/// `format = 1` is read first, before the rest of the file, so that a future version's new keys
/// are reported as a version mismatch rather than as unknown keys.
#[derive(DeriveDeserialize)]
pub(crate) struct Probe {
    pub(crate) format: Option<Version>,
}

/// Whatever `format` holds: the integer when it is one, and how to show it otherwise.
pub(crate) struct Version {
    pub(crate) int: Option<i64>,
    pub(crate) shown: String,
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct VV;
        fn shown<E>(s: String) -> Result<Version, E> {
            Ok(Version { int: None, shown: s })
        }
        impl<'de> Visitor<'de> for VV {
            type Value = Version;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a format version")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Version, E> {
                Ok(Version { int: Some(v), shown: v.to_string() })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Version, E> {
                Ok(Version { int: i64::try_from(v).ok(), shown: v.to_string() })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Version, E> {
                shown(format!("{v:?}"))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Version, E> {
                shown(v.to_string())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Version, E> {
                shown(format!("\"{v}\""))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Version, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                shown("an array".into())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Version, A::Error> {
                while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                shown("a table".into())
            }
        }
        d.deserialize_any(VV)
    }
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDto {
    #[allow(dead_code)]
    pub(crate) format: de::IgnoredAny,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) assumptions: Option<String>,
    /// What the saliences mean (default: intensities).
    pub(crate) salience: Option<SalienceDto>,
    /// What positions on integer and real issues are written in (default: the issue's units in
    /// format 2, the 0–100 scale in format 1).
    pub(crate) positions: Option<PositionsDto>,
    #[serde(default)]
    pub(crate) sources: Vec<SourceDto>,
    pub(crate) issues: Vec<IssueDto>,
    #[serde(default)]
    pub(crate) actors: Vec<ActorDto>,
    /// Many spatial party actors, one row each (see `table.rs`); read as `actors`.
    pub(crate) actor_table: Option<ActorTableDto>,
    pub(crate) protocol: Option<ProtocolDto>,
    #[serde(default)]
    pub(crate) openings: Vec<OpeningDto>,
    #[serde(default)]
    pub(crate) variants: Vec<VariantDto>,
    /// The stability lens's conflict (read by `crate::conflict`, not here).
    #[allow(dead_code)]
    pub(crate) conflict: Option<de::IgnoredAny>,
}

/// Which parts a file has: a file with a `[conflict]` and no issues or actors is a conflict only.
#[derive(DeriveDeserialize)]
pub(crate) struct Parts {
    pub(crate) conflict: Option<de::IgnoredAny>,
    pub(crate) issues: Option<de::IgnoredAny>,
    pub(crate) actors: Option<de::IgnoredAny>,
    pub(crate) actor_table: Option<de::IgnoredAny>,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceDto {
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) location: Option<String>,
    pub(crate) note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, DeriveDeserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KindDto {
    Categorical,
    Ordinal,
    Integer,
    Real,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IssueDto {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) kind: KindDto,
    pub(crate) options: Option<Vec<OptionDto>>,
    pub(crate) min: Option<Num>,
    pub(crate) max: Option<Num>,
    pub(crate) step: Option<i64>,
    pub(crate) grid: Option<u32>,
    #[serde(default, deserialize_with = "two_numbers")]
    pub(crate) scale: Option<[f64; 2]>,
}

/// An option: a bare id string, or a table `{ id, label, scale, source }`.
#[derive(Debug)]
pub(crate) struct OptionDto {
    pub(crate) id: String,
    pub(crate) label: Option<String>,
    pub(crate) scale: Option<f64>,
}

#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
struct OptionTable {
    id: String,
    label: Option<String>,
    scale: Option<f64>,
    #[allow(dead_code)]
    source: Option<String>,
}

impl<'de> Deserialize<'de> for OptionDto {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OV;
        impl<'de> Visitor<'de> for OV {
            type Value = OptionDto;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an option id or a table { id, label, scale, source }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OptionDto, E> {
                Ok(OptionDto { id: v.to_string(), label: None, scale: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<OptionDto, A::Error> {
                let t = OptionTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(OptionDto { id: t.id, label: t.label, scale: t.scale })
            }
        }
        d.deserialize_any(OV)
    }
}

#[derive(Debug, Clone, Copy, DeriveDeserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RoleDto {
    Party,
    Mediator,
    Observer,
}

#[derive(Debug, Clone, Copy, DeriveDeserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SalienceDto {
    Intensities,
    AttentionShares,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, DeriveDeserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PositionsDto {
    Units,
    Scale,
}

#[derive(Debug, Clone, Copy, DeriveDeserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RuleDto {
    Biased,
    Neutral,
    Welfare,
}

#[derive(Debug, Clone, Copy, DeriveDeserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DiscountKind {
    Time,
    Round,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiscountDto {
    #[serde(rename = "type")]
    pub(crate) kind: DiscountKind,
    pub(crate) factor: f64,
}

/// A reservation: a utility value, an outcome `{ issue = value, ... }`, or `"none"` (no
/// reservation: walking away is worth 0; useful in a patch that removes one).
#[derive(Debug)]
pub(crate) enum ReservationDto {
    None,
    Value(f64),
    Outcome(IdMap<Scalar>),
}

impl<'de> Deserialize<'de> for ReservationDto {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RV;
        impl<'de> Visitor<'de> for RV {
            type Value = ReservationDto;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a utility value, an outcome table { issue = value, ... } or \"none\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ReservationDto, E> {
                if v == "none" {
                    Ok(ReservationDto::None)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ReservationDto, E> {
                Ok(ReservationDto::Value(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ReservationDto, E> {
                Ok(ReservationDto::Value(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ReservationDto, E> {
                Ok(ReservationDto::Value(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ReservationDto, A::Error> {
                IdMap::deserialize(de::value::MapAccessDeserializer::new(map)).map(ReservationDto::Outcome)
            }
        }
        d.deserialize_any(RV)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, DeriveDeserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PrefKind {
    Spatial,
    Linear,
    Table,
}

#[derive(Debug, Clone, Copy, DeriveDeserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum LossDto {
    Linear,
    Quadratic,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PreferencesDto {
    #[serde(rename = "type")]
    pub(crate) kind: PrefKind,
    // spatial
    pub(crate) loss: Option<LossDto>,
    pub(crate) positions: Option<IdMap<PositionDto>>,
    // linear
    pub(crate) bias: Option<f64>,
    pub(crate) weights: Option<IdMap<f64>>,
    pub(crate) values: Option<IdMap<ValueSpec>>,
    pub(crate) clamp: Option<ClampDto>,
    // table
    pub(crate) rows: Option<Vec<RowDto>>,
    pub(crate) default: Option<f64>,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PositionDto {
    pub(crate) ideal: Scalar,
    pub(crate) salience: f64,
    // Optional spreads for the forecast lens (see `spreads.rs`).
    #[serde(default, deserialize_with = "two_numbers")]
    pub(crate) ideal_range: Option<[f64; 2]>,
    pub(crate) ideal_mode: Option<f64>,
    pub(crate) ideal_sd: Option<f64>,
    #[serde(default, deserialize_with = "two_numbers")]
    pub(crate) salience_range: Option<[f64; 2]>,
    pub(crate) salience_mode: Option<f64>,
    pub(crate) salience_sd: Option<f64>,
    #[allow(dead_code)]
    pub(crate) source: Option<String>,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClampDto {
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
}

/// A per-issue value function: an array by value index, or a table (option → value for named
/// options; `{ slope, offset, origin, clamp }` and the other numeric shapes for numbers).
#[derive(Debug)]
pub(crate) enum ValueSpec {
    Array(Vec<f64>),
    Table(IdMap<Scalar>),
}

impl<'de> Deserialize<'de> for ValueSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct VV;
        impl<'de> Visitor<'de> for VV {
            type Value = ValueSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of numbers (one per value) or a table")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ValueSpec, A::Error> {
                Vec::<f64>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(ValueSpec::Array)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ValueSpec, A::Error> {
                IdMap::deserialize(de::value::MapAccessDeserializer::new(map)).map(ValueSpec::Table)
            }
        }
        d.deserialize_any(VV)
    }
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RowDto {
    pub(crate) outcome: IdMap<Scalar>,
    pub(crate) utility: f64,
    #[allow(dead_code)]
    pub(crate) source: Option<String>,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorDto {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) role: Option<RoleDto>,
    pub(crate) required: Option<bool>,
    pub(crate) capability: Option<f64>,
    // Optional spread of the capability for the forecast lens (see `spreads.rs`).
    #[serde(default, deserialize_with = "two_numbers")]
    pub(crate) capability_range: Option<[f64; 2]>,
    pub(crate) capability_mode: Option<f64>,
    pub(crate) capability_sd: Option<f64>,
    pub(crate) strategy: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) reservation: Option<ReservationDto>,
    pub(crate) red_lines: Option<Vec<IdMap<TermDto>>>,
    pub(crate) discount: Option<DiscountDto>,
    pub(crate) preferences: PreferencesDto,
}

#[derive(Debug, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProtocolDto {
    pub(crate) protocol: Option<String>,
    pub(crate) rounds: Option<u32>,
    pub(crate) mediator: Option<String>,
    pub(crate) mediator_rule: Option<RuleDto>,
    /// The text mediated protocols start from: `{ issue = value, ... }`, every issue.
    pub(crate) opening_text: Option<IdMap<Scalar>>,
    #[allow(dead_code)]
    pub(crate) source: Option<String>,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpeningDto {
    pub(crate) actor: String,
    pub(crate) issue: String,
    pub(crate) value: Scalar,
    #[allow(dead_code)]
    pub(crate) source: Option<String>,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VariantDto {
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) source: Option<String>,
    #[serde(default)]
    pub(crate) patches: Vec<PatchDto>,
}

#[derive(Debug, Clone, Copy, PartialEq, DeriveDeserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PatchKind {
    Role,
    Required,
    Reservation,
    Position,
    Capability,
    Strategy,
    MediatorRule,
    Opening,
    RedLines,
    ExcludeOptions,
}

#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatchDto {
    #[serde(rename = "type")]
    pub(crate) kind: PatchKind,
    pub(crate) actor: Option<String>,
    pub(crate) role: Option<RoleDto>,
    pub(crate) required: Option<bool>,
    pub(crate) reservation: Option<ReservationDto>,
    pub(crate) issue: Option<String>,
    pub(crate) ideal: Option<Scalar>,
    pub(crate) salience: Option<f64>,
    pub(crate) capability: Option<f64>,
    pub(crate) strategy: Option<String>,
    pub(crate) rule: Option<RuleDto>,
    pub(crate) value: Option<Scalar>,
    pub(crate) options: Option<Vec<String>>,
    pub(crate) red_lines: Option<Vec<IdMap<TermDto>>>,
    #[allow(dead_code)]
    pub(crate) source: Option<String>,
}

/// `[actor_table]`: `issues` names the order of each row's (position, salience) pairs; each row
/// is `[id, capability, position, salience, position, salience, ...]` (see `table.rs`).
#[derive(Debug, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorTableDto {
    pub(crate) issues: Vec<String>,
    #[serde(default)]
    pub(crate) rows: Vec<Vec<Cell>>,
}

/// One cell of an actor-table row: any value, so that `table.rs` can say what each cell
/// should hold (and report every wrong cell, not serde's first).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Scalar(Scalar),
    Array,
    Table,
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CV;
        impl<'de> Visitor<'de> for CV {
            type Value = Cell;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a cell: an id, a number or \"-\"")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell, E> {
                ScalarVisitor.visit_bool(v).map(Cell::Scalar)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
                ScalarVisitor.visit_i64(v).map(Cell::Scalar)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
                ScalarVisitor.visit_u64(v).map(Cell::Scalar)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
                ScalarVisitor.visit_f64(v).map(Cell::Scalar)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
                ScalarVisitor.visit_str(v).map(Cell::Scalar)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Cell, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Cell::Array)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cell, A::Error> {
                while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(Cell::Table)
            }
        }
        d.deserialize_any(CV)
    }
}
