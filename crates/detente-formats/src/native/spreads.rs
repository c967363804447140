//! Uncertain inputs: the optional `ideal_range`, `ideal_mode`, `ideal_sd`, `salience_range`,
//! `salience_mode`, `salience_sd` keys of a spatial position and the `capability_range`,
//! `capability_mode`, `capability_sd` keys of an actor (format 1, extended compatibly: files
//! without them read as before). They are read into the model's [`Spread`] slots
//! (`Position::ideal_spread`, `Position::salience_spread`, `Actor::capability_spread`) with errors
//! located at the offending key; `write.rs` writes them back.

use super::legacy::PositionUnits;
use detente_core::{ScenarioDraft, Spread, Utility};

use super::dto::{FileDto, KindDto, PositionDto, PrefKind};
use super::read::PathError;
use super::spans::Path;

type R<T> = Result<T, PathError>;

fn err<T>(path: Path, message: impl Into<String>) -> R<T> {
    Err(PathError { path, message: message.into() })
}

/// Reads one `X_range` / `X_mode` / `X_sd` triple (`name` is `ideal`, `salience` or
/// `capability`) and checks it against the stated value and the valid range `[min, max]` with
/// [`Spread::check`], locating the message at the key at fault.
fn shape(
    path: &Path,
    name: &str,
    value: f64,
    (min, max): (f64, f64),
    range: Option<[f64; 2]>,
    mode: Option<f64>,
    sd: Option<f64>,
) -> R<Option<Spread>> {
    let key = |k: &str| path.key(&format!("{name}_{k}"));
    let spread = match (range, mode, sd) {
        (None, None, None) => return Ok(None),
        (Some(_), _, Some(_)) => return err(key("sd"), format!("give either `{name}_range` or `{name}_sd`, not both")),
        (None, Some(_), _) => return err(key("mode"), format!("`{name}_mode` needs `{name}_range = [lo, hi]` (a triangular spread)")),
        (None, None, Some(sd)) => {
            let s = Spread::Normal { sd };
            s.check(name, value, min, max).or_else(|m| err(key("sd"), m.kind.to_string()))?;
            s
        }
        (Some([lo, hi]), mode, None) => {
            Spread::Uniform { lo, hi }.check(name, value, min, max).or_else(|m| err(key("range"), m.kind.to_string()))?;
            match mode {
                None => Spread::Uniform { lo, hi },
                Some(mode) => {
                    let s = Spread::Triangular { lo, mode, hi };
                    s.check(name, value, min, max).or_else(|m| err(key("mode"), m.kind.to_string()))?;
                    s
                }
            }
        }
    };
    Ok(Some(spread))
}

fn has_ideal_spread(p: &PositionDto) -> bool {
    p.ideal_range.is_some() || p.ideal_mode.is_some() || p.ideal_sd.is_some()
}

/// Reads every stated spread of a file into `scenario`, the draft read from that same file
/// (actors in file order), reporting every error.
/// Attaches every stated spread. `units` says what the file's positions are written in: the
/// issues' own units (format 2) or the 0–100 scale (format 1, see `legacy`).
pub(crate) fn attach(f: &FileDto, scenario: &mut ScenarioDraft, units: PositionUnits) -> Result<(), Vec<PathError>> {
    let mut errors = Vec::new();
    for (i, a) in f.actors.iter().enumerate() {
        if let Err(e) = attach_actor(f, scenario, i, a, units) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn attach_actor(f: &FileDto, scenario: &mut ScenarioDraft, i: usize, a: &super::dto::ActorDto, units: PositionUnits) -> R<()> {
    let path = Path::root().key("actors").index(i);
    let actor = &mut scenario.actors[i];
    actor.capability_spread =
        shape(&path, "capability", actor.capability, (0.0, f64::INFINITY), a.capability_range, a.capability_mode, a.capability_sd)?;
    if a.preferences.kind != PrefKind::Spatial {
        return Ok(());
    }
    let Some(positions) = &a.preferences.positions else { return Ok(()) };
    let Utility::Spatial(sp) = &mut actor.preferences.utility else { return Ok(()) };
    for (issue, p) in &positions.0 {
        let pp = path.key("preferences").key("positions").key(issue);
        let Some(k) = scenario.space.issue_index(issue) else { continue };
        let Some(pos) = sp.positions[k].as_mut() else { continue };
        if has_ideal_spread(p) {
            if f.issues.iter().any(|i| &i.id == issue && i.kind == KindDto::Categorical) {
                return err(pp.key("ideal_range"), format!("issue `{issue}` is categorical: it has no scale to vary a position on"));
            }
            let range = match units {
                PositionUnits::Scale => (0.0, 100.0),
                PositionUnits::Issue => scenario.space.issues()[k].position_range(),
            };
            pos.ideal_spread = shape(&pp, "ideal", pos.ideal, range, p.ideal_range, p.ideal_mode, p.ideal_sd)?;
        }
        pos.salience_spread = shape(&pp, "salience", pos.salience, (0.0, 1.0), p.salience_range, p.salience_mode, p.salience_sd)?;
    }
    Ok(())
}
