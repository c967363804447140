//! Uncertain inputs stated beside a scenario: the optional `ideal_range`, `ideal_mode`,
//! `ideal_sd`, `salience_range`, `salience_mode`, `salience_sd` keys of a spatial position and the
//! `capability_range`, `capability_mode`, `capability_sd` keys of an actor (format 1, extended
//! compatibly: files without them read as before). The scenario model has no slot for them, so
//! they are read beside it, for the forecast lens's Monte Carlo; the writer does not emit them.

use super::dto::{FileDto, KindDto, PositionDto, PrefKind, Scalar};
use super::read::PathError;
use super::spans::Path;

/// Which input of an actor a stated spread applies to.
#[derive(Debug, Clone, PartialEq)]
pub enum SpreadTarget {
    /// The ideal point on an issue (0–100 scale).
    Ideal(String),
    /// The salience on an issue ([0, 1]).
    Salience(String),
    /// The actor's capability (≥ 0).
    Capability,
}

/// The shape of a stated spread.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpreadShape {
    /// `X_range = [lo, hi]`: uniform.
    Uniform {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// `X_range = [lo, hi]` with `X_mode = m`: triangular.
    Triangular {
        /// Lower end.
        lo: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        hi: f64,
    },
    /// `X_sd = σ`: normal around the stated value (clipped to the valid range when sampled).
    Normal {
        /// The stated value.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
}

/// One uncertain input as the file states it.
#[derive(Debug, Clone, PartialEq)]
pub struct StatedSpread {
    /// Actor id.
    pub actor: String,
    /// Which input.
    pub target: SpreadTarget,
    /// The value the file states for the input (the spread's centre for `X_sd`).
    pub value: f64,
    /// The spread.
    pub shape: SpreadShape,
}

type R<T> = Result<T, PathError>;

fn err<T>(path: Path, message: impl Into<String>) -> R<T> {
    Err(PathError { path, message: message.into() })
}

/// Reads one `X_range` / `X_mode` / `X_sd` triple (`name` is `ideal`, `salience` or
/// `capability`), checking it against the stated value and the valid range `[min, max]`.
fn shape(
    path: &Path,
    name: &str,
    value: f64,
    (min, max): (f64, f64),
    range: Option<[f64; 2]>,
    mode: Option<f64>,
    sd: Option<f64>,
) -> R<Option<SpreadShape>> {
    let key = |k: &str| path.key(&format!("{name}_{k}"));
    let valid = if max.is_finite() { format!("[{min}, {max}]") } else { format!("≥ {min}") };
    match (range, mode, sd) {
        (None, None, None) => Ok(None),
        (Some(_), _, Some(_)) => err(key("sd"), format!("give either `{name}_range` or `{name}_sd`, not both")),
        (None, Some(_), _) => err(key("mode"), format!("`{name}_mode` needs `{name}_range = [lo, hi]` (a triangular spread)")),
        (None, None, Some(sd)) => {
            if !(sd.is_finite() && sd >= 0.0) {
                return err(key("sd"), format!("`{name}_sd` {sd} is out of range: expected a number ≥ 0"));
            }
            Ok(Some(SpreadShape::Normal { mean: value, sd }))
        }
        (Some([lo, hi]), mode, None) => {
            let inside = |x: f64| x.is_finite() && x >= min && x <= max;
            if !(inside(lo) && inside(hi) && lo <= hi) {
                return err(key("range"), format!("`{name}_range` [{lo}, {hi}] must satisfy lo ≤ hi within {valid}"));
            }
            if !(lo <= value && value <= hi) {
                return err(key("range"), format!("`{name}_range` [{lo}, {hi}] must contain the stated {name} {value}"));
            }
            match mode {
                None => Ok(Some(SpreadShape::Uniform { lo, hi })),
                Some(m) if m.is_finite() && lo <= m && m <= hi => Ok(Some(SpreadShape::Triangular { lo, mode: m, hi })),
                Some(m) => err(key("mode"), format!("`{name}_mode` {m} must lie within `{name}_range` [{lo}, {hi}]")),
            }
        }
    }
}

fn position_spreads(out: &mut Vec<StatedSpread>, f: &FileDto, actor: &str, path: &Path, issue: &str, p: &PositionDto) -> R<()> {
    let ideal = match p.ideal {
        Scalar::Int(v) => Some(v as f64),
        Scalar::Float(v) => Some(v),
        _ => None,
    };
    let ideal_spread = p.ideal_range.is_some() || p.ideal_mode.is_some() || p.ideal_sd.is_some();
    if ideal_spread {
        let categorical = f.issues.iter().any(|i| i.id == issue && i.kind == KindDto::Categorical);
        if categorical {
            return err(path.key("ideal_range"), format!("issue `{issue}` is categorical: it has no scale to vary a position on"));
        }
        let Some(x) = ideal else {
            return err(path.key("ideal"), "a spread on the ideal needs a numeric ideal on the 0-100 scale");
        };
        if let Some(shape) = shape(path, "ideal", x, (0.0, 100.0), p.ideal_range, p.ideal_mode, p.ideal_sd)? {
            out.push(StatedSpread { actor: actor.to_string(), target: SpreadTarget::Ideal(issue.to_string()), value: x, shape });
        }
    }
    if let Some(shape) = shape(path, "salience", p.salience, (0.0, 1.0), p.salience_range, p.salience_mode, p.salience_sd)? {
        out.push(StatedSpread { actor: actor.to_string(), target: SpreadTarget::Salience(issue.to_string()), value: p.salience, shape });
    }
    Ok(())
}

/// Every stated spread of a file, in file order (actor by actor: capability, then positions).
/// Call on a file that reads as a scenario; ids were checked there.
pub(crate) fn spreads_from(f: &FileDto) -> R<Vec<StatedSpread>> {
    let mut out = Vec::new();
    for (i, a) in f.actors.iter().enumerate() {
        let path = Path::root().key("actors").index(i);
        let capability = a.capability.unwrap_or(1.0);
        if let Some(shape) =
            shape(&path, "capability", capability, (0.0, f64::INFINITY), a.capability_range, a.capability_mode, a.capability_sd)?
        {
            out.push(StatedSpread { actor: a.id.clone(), target: SpreadTarget::Capability, value: capability, shape });
        }
        if a.preferences.kind != PrefKind::Spatial {
            continue;
        }
        let Some(positions) = &a.preferences.positions else { continue };
        for (issue, p) in &positions.0 {
            let pp = path.key("preferences").key("positions").key(issue);
            position_spreads(&mut out, f, &a.id, &pp, issue, p)?;
        }
    }
    Ok(out)
}
