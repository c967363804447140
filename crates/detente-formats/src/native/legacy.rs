//! Format 1 files: positions on integer and real issues were written on the issue's 0–100 scale
//! (so `ideal = 67` on a 0–150 troops issue with `scale = [100, 0]` meant 49.5 thousand troops).
//! Format 2 writes them in the issue's own units. A format 1 file is still read as it was meant:
//! those positions, their spreads and the position patches of its variants are taken on the
//! scale and mapped into units here, after the draft is built and before the model checks it,
//! and the reader says so in a [`Notice`](crate::Notice) with how to migrate. A file may also
//! say `positions = "scale"` (any version: the scale on purpose, no notice) or
//! `positions = "units"` (a format 1 file already written in units).

use detente_core::{IssueKind, Patch, ScenarioDraft, Utility};

use super::read::PathError;
use super::spans::Path;

/// What a file's positions on integer and real issues are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PositionUnits {
    /// The issues' own units (format 2).
    Issue,
    /// The 0–100 scale (format 1).
    Scale,
}

/// Whether an issue's positions differ between the two formats.
fn scaled(kind: &IssueKind) -> bool {
    matches!(kind, IssueKind::Integer { .. } | IssueKind::Real { .. })
}

/// Maps every position a format 1 file states on an integer or real issue from the 0–100 scale
/// into the issue's units. Returns the ids of the issues on which some position was mapped (in
/// issue order), or every position outside 0–100, located (format 1's range for them).
pub(crate) fn scale_to_units(draft: &mut ScenarioDraft) -> Result<Vec<String>, Vec<PathError>> {
    let issues = draft.space.issues().to_vec();
    let mut mapped = vec![false; issues.len()];
    let mut errors = Vec::new();
    let out_of_scale = |path: Path, who: String, x: f64, issue: &str| PathError {
        path,
        message: format!(
            "{who}position on issue `{issue}` {} is out of range: expected a number on the 0–100 scale (positions on \
             integer and real issues are on their scale in format 1 and under `positions = \"scale\"`, in the issue's \
             units otherwise)",
            detente_core::format_real(x)
        ),
    };
    for (a, actor) in draft.actors.iter_mut().enumerate() {
        let Utility::Spatial(sp) = &mut actor.preferences.utility else { continue };
        for (k, p) in sp.positions.iter_mut().enumerate() {
            let (Some(p), Some(units)) = (p.as_mut(), issues[k].units()) else { continue };
            if !scaled(&issues[k].kind) {
                continue;
            }
            if !(0.0..=100.0).contains(&p.ideal) {
                let path = Path::root().key("actors").index(a).key("preferences").key("positions").key(&issues[k].id).key("ideal");
                errors.push(out_of_scale(path, format!("actor `{}`: ", actor.id), p.ideal, &issues[k].id));
                continue;
            }
            let back = units.inverse();
            let (lo, hi) = issues[k].position_range();
            p.ideal = back.to_scale(p.ideal).clamp(lo, hi);
            p.ideal_spread = p.ideal_spread.map(|s| s.on_scale(&back));
            mapped[k] = true;
        }
    }
    for (v, variant) in draft.variants.iter_mut().enumerate() {
        for (j, patch) in variant.patches.iter_mut().enumerate() {
            let Patch::Position { issue, ideal: Some(x), .. } = patch else { continue };
            let Some(k) = issues.iter().position(|i| &i.id == issue) else { continue };
            let Some(units) = issues[k].units().filter(|_| scaled(&issues[k].kind)) else { continue };
            if !(0.0..=100.0).contains(x) {
                let path = Path::root().key("variants").index(v).key("patches").index(j).key("ideal");
                errors.push(out_of_scale(path, format!("variant `{}`: ", variant.id), *x, issue));
                continue;
            }
            let (lo, hi) = issues[k].position_range();
            *x = units.inverse().to_scale(*x).clamp(lo, hi);
            mapped[k] = true;
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(issues.iter().zip(mapped).filter(|(_, m)| *m).map(|(i, _)| i.id.clone()).collect())
}
