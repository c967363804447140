//! detente model → GENIUS domain and profile XML.

use crate::FormatError;
use detente_core::{Discount, Issue, IssueKind, Reservation, Scenario, Utility, UtilityFunction, ValueFunction};
use std::fmt::Write as _;

/// The files of a GENIUS export: `(file name, XML text)` for the domain and each profile.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusFiles {
    /// The domain file (`<id>_domain.xml`, or `<id>.xml` when the id ends in `domain`).
    pub domain: (String, String),
    /// One profile per actor (`<actor id>.xml`), in actor order.
    pub profiles: Vec<(String, String)>,
}

fn unsupported(reason: String) -> FormatError {
    FormatError::Unsupported { format: "genius", reason }
}

/// How an issue is written in the domain.
#[derive(Debug, Clone)]
enum DomOut {
    Discrete(Vec<String>),
    Integer { lo: i64, hi: i64 },
    Real { lo: f64, hi: f64 },
}

/// One actor's evaluator for one issue.
#[derive(Debug, Clone)]
enum EvalOut {
    /// Per-value contribution (weight already applied), for finite issues.
    Table(Vec<f64>),
    /// A GENIUS real evaluator with its weight.
    Real { weight: f64, kind: RealEval },
}

#[derive(Debug, Clone, Copy)]
enum RealEval {
    Linear { p0: f64, p1: f64 },
    Triangular { lower: f64, upper: f64, top: f64 },
}

const EPS: f64 = 1e-12;

/// The most values an enumerable issue may have for the export to tabulate it.
const MAX_VALUES: u64 = detente_core::limits::MAX_TABULATED_VALUES;

/// Constant term, per-issue evaluators, preferred per-issue shifts, clamp of the total.
type Decomposition = (f64, Vec<EvalOut>, Vec<f64>, Option<(f64, f64)>);

/// Per-issue contributions of one actor, shifted so that every table is ≥ 0 and the constant
/// term is absorbed (GENIUS has none). Returns the per-issue evaluators.
fn actor_evals(s: &Scenario, k: usize) -> Result<Vec<EvalOut>, FormatError> {
    let actor = &s.actors[k];
    let space = &s.space;
    let issues = space.issues();
    let who = format!("actor `{}`", actor.id);
    if let Some(big) = issues.iter().find(|i| i.cardinality().is_some_and(|n| n > MAX_VALUES)) {
        return Err(unsupported(format!(
            "issue `{}` has {} values; the GENIUS export tabulates each issue and supports at most {MAX_VALUES}",
            big.id,
            big.cardinality().unwrap_or(0)
        )));
    }
    let (bias, mut evals, shifts, clamp): Decomposition = match &actor.preferences.utility {
        Utility::Table(_) => {
            return Err(unsupported(format!(
                "{who} has an explicit outcome table; GENIUS profiles are linear additive (weights × per-issue evaluations)"
            )))
        }
        Utility::Spatial(sp) => {
            let tables = actor.preferences.utility.additive_tables(space).ok_or_else(|| {
                unsupported(format!("{who} has spatial preferences over a continuous real issue; give the issue a grid to export it"))
            })?;
            let total: f64 = sp.positions.iter().flatten().map(|p| p.salience).sum();
            // u = 1 − Σ sᵢ·lossᵢ/S = Σ (sᵢ/S)·(1 − lossᵢ): shift each issue by its share sᵢ/S.
            let shifts = sp.positions.iter().map(|p| p.as_ref().map_or(0.0, |p| p.salience / total)).collect();
            (tables.bias, tables.tables.into_iter().map(EvalOut::Table).collect(), shifts, tables.clamp)
        }
        Utility::LinearAdditive(la) => {
            let mut evals = Vec::with_capacity(issues.len());
            let mut shifts = Vec::with_capacity(issues.len());
            for ((issue, w), f) in issues.iter().zip(&la.weights).zip(&la.values) {
                match issue.cardinality() {
                    Some(n) => {
                        let t: Vec<f64> = (0..n as u32)
                            .map(|i| w * f.eval(issue, &issue.value_at(i).expect("invariant: index below cardinality")))
                            .collect();
                        let min = t.iter().copied().fold(f64::INFINITY, f64::min);
                        shifts.push(if min < 0.0 { -min } else { 0.0 });
                        evals.push(EvalOut::Table(t));
                    }
                    None => {
                        let (lo, hi) = match issue.kind {
                            IssueKind::Real { min, max, .. } => (min, max),
                            _ => unreachable!("only real issues lack a cardinality"),
                        };
                        shifts.push(0.0);
                        evals.push(real_eval(&who, issue, *w, f, lo, hi)?);
                    }
                }
            }
            (la.bias, evals, shifts, la.clamp)
        }
    };
    // Apply the shifts; the residual of the constant term goes to the finite issues.
    let mut residual = bias - shifts.iter().sum::<f64>();
    for (e, c) in evals.iter_mut().zip(&shifts) {
        if let EvalOut::Table(t) = e {
            t.iter_mut().for_each(|x| *x += c);
        }
    }
    if residual > EPS {
        let Some(EvalOut::Table(t)) = evals.iter_mut().find(|e| matches!(e, EvalOut::Table(_))) else {
            return Err(unsupported(format!(
                "{who}'s utility has a constant term {bias} and no finite issue to carry it; GENIUS has no constant term"
            )));
        };
        t.iter_mut().for_each(|x| *x += residual);
    } else if residual < -EPS {
        for e in evals.iter_mut() {
            if let EvalOut::Table(t) = e {
                let min = t.iter().copied().fold(f64::INFINITY, f64::min);
                let d = min.min(-residual).max(0.0);
                t.iter_mut().for_each(|x| *x -= d);
                residual += d;
            }
        }
        if residual < -EPS {
            return Err(unsupported(format!(
                "{who}'s utility is negative for some outcomes (by {}); GENIUS evaluations and weights are ≥ 0",
                -residual
            )));
        }
    }
    // Range of the total, against GENIUS's clamp at 1 from above.
    let (mut umin, mut umax) = (0.0, 0.0);
    for (e, issue) in evals.iter().zip(issues) {
        match e {
            EvalOut::Table(t) => {
                umin += t.iter().copied().fold(f64::INFINITY, f64::min);
                umax += t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            }
            EvalOut::Real { weight, kind } => {
                let (lo, hi) = match issue.kind {
                    IssueKind::Real { min, max, .. } => (min, max),
                    _ => unreachable!("real evaluators only on real issues"),
                };
                let f = |x: f64| real_value(*kind, x);
                let mut pts = vec![lo, hi];
                if let RealEval::Triangular { lower, upper, top } = *kind {
                    pts.extend([lower, upper, top].into_iter().filter(|x| *x >= lo && *x <= hi));
                }
                let a = pts.iter().map(|&x| f(x)).fold(f64::INFINITY, f64::min);
                let b = pts.iter().map(|&x| f(x)).fold(f64::NEG_INFINITY, f64::max);
                umin += weight * a;
                umax += weight * b;
            }
        }
    }
    let (clo, chi) = clamp.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
    if umax > 1.0 + 1e-9 && chi > 1.0 + 1e-9 {
        return Err(unsupported(format!(
            "{who}'s utility reaches {umax}, above 1, and GENIUS clamps utilities at 1; scale the weights so the best outcome is worth at most 1"
        )));
    }
    if chi < 1.0 - 1e-9 && umax > chi + 1e-9 {
        return Err(unsupported(format!("{who}'s utility is clamped at {chi}, which GENIUS cannot express (it clamps at 1)")));
    }
    if clo.is_finite() && umin < clo - 1e-9 {
        return Err(unsupported(format!("{who}'s utility is clamped from below at {clo}, which GENIUS cannot express")));
    }
    Ok(evals)
}

/// GENIUS's reading of a real evaluator (`EvaluatorReal.getEvaluation`).
fn real_value(kind: RealEval, x: f64) -> f64 {
    match kind {
        RealEval::Linear { p0, p1 } => (p0 + p1 * x).clamp(0.0, 1.0),
        RealEval::Triangular { lower, upper, top } => {
            if x < lower {
                0.0
            } else if x < top {
                (x - lower) / (top - lower)
            } else if x < upper {
                1.0 - (x - top) / (upper - top)
            } else {
                0.0
            }
        }
    }
}

fn real_eval(who: &str, issue: &Issue, w: f64, f: &ValueFunction, lo: f64, hi: f64) -> Result<EvalOut, FormatError> {
    let fail = || {
        unsupported(format!(
            "{who}'s value function on continuous issue `{}` has no GENIUS real evaluator (linear within [0, 1] or triangular); give the issue a grid to export it as a table",
            issue.id
        ))
    };
    let kind = match *f {
        ValueFunction::Affine { slope, offset, origin, clamp01 } => {
            let (p0, p1) = (offset - slope * origin, slope);
            let (a, b) = (p0 + p1 * lo, p0 + p1 * hi);
            if !clamp01 && (a.min(b) < -EPS || a.max(b) > 1.0 + EPS) {
                return Err(fail());
            }
            RealEval::Linear { p0, p1 }
        }
        ValueFunction::Interpolate { low_value, low_utility, high_value, high_utility } => {
            if low_value > lo || high_value < hi || high_value <= low_value {
                return Err(fail());
            }
            let p1 = (high_utility - low_utility) / (high_value - low_value);
            let p0 = low_utility - p1 * low_value;
            let (a, b) = (p0 + p1 * lo, p0 + p1 * hi);
            if a.min(b) < -EPS || a.max(b) > 1.0 + EPS {
                return Err(fail());
            }
            RealEval::Linear { p0, p1 }
        }
        ValueFunction::Triangular { lower, upper, top, height } => {
            if height < 0.0 {
                return Err(fail());
            }
            return Ok(EvalOut::Real { weight: w * height, kind: RealEval::Triangular { lower, upper, top } });
        }
        ValueFunction::Table(_) => return Err(fail()),
    };
    if w < 0.0 {
        return Err(fail());
    }
    Ok(EvalOut::Real { weight: w, kind })
}

/// `Some((offset, slope))` when `t[k] = offset + slope·k` for every k (relative tolerance 1e-12).
fn affine_fit(t: &[f64]) -> Option<(f64, f64)> {
    let n = t.len();
    let offset = t[0];
    let slope = if n > 1 { (t[n - 1] - t[0]) / (n - 1) as f64 } else { 0.0 };
    t.iter().enumerate().all(|(k, x)| (offset + slope * k as f64 - x).abs() <= 1e-12).then_some((offset, slope))
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A file-name-safe version of an id.
fn file_stem(id: &str) -> String {
    let s: String = id.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    if s.is_empty() {
        "_".into()
    } else {
        s
    }
}

/// The GENIUS name of an issue: its display name (the original GENIUS name for imported files).
fn issue_name(issue: &Issue) -> &str {
    issue.display()
}

/// Writes the scenario as GENIUS XML text: a domain and one profile per actor (any role).
///
/// **What can be exported.** Every built-in utility except explicit outcome tables
/// ([`detente_core::TableUtility`] → [`FormatError::Unsupported`]). Each actor's utility is
/// decomposed into per-issue contributions `Tᵢ[v]` (weights applied) and written so that
/// *GENIUS's own reading* (divide-by-max, clamp at 1) gives back the same utility for every
/// outcome:
/// - each table is shifted to be ≥ 0 and the constant term spread over the issues (GENIUS has
///   none); for **spatial** preferences this is `u = Σ (sᵢ/S)·(1 − lossᵢ)`: each issue's
///   per-value `1 − loss` becomes its discrete evaluations and the normalised salience `sᵢ/S`
///   its weight;
/// - each issue is written with weight `wᵢ' = max_v Tᵢ[v]` and evaluations `Tᵢ[v] / wᵢ'`, whose
///   maximum is 1 — so re-import divides by 1 and the round trip is a fixed point (for files read
///   with GENIUS semantics the weights and evaluations come back as they were, up to rounding);
/// - an utility that is negative somewhere, exceeds 1 without a clamp at 1, or is clamped from
///   below cannot be written (GENIUS utilities are `min(1, Σ w·e)` with `w, e ≥ 0`): `Unsupported`.
///
/// **Issues.** Categorical and ordinal → discrete (option ids as values; ordinal scale
/// positions are not written). Integer with step 1 → integer with a `linear` evaluator when
/// every actor's contribution is affine in the value, else discrete with the numbers as
/// values. Integer with a larger step and real with a grid → discrete, one value per grid
/// point (same outcome count). Continuous real → real, with a `linear` (affine value function,
/// within [0, 1] or clamped) or `triangular` evaluator; anything else is `Unsupported`.
/// Issue names are the issues' display names; option values their ids. Every enumerable issue is
/// tabulated, so an issue with more than 10⁷ values is `Unsupported`.
///
/// **Discount and reservation.** [`Discount::Time`] and [`Discount::PerRound`] both become
/// `<discount_factor>` (GENIUS reads it per normalised time, NegMAS per round); none is left
/// out. A reservation value is written as is; a reservation *outcome* as its utility. Roles,
/// capabilities, strategies, openings, protocol defaults and variants have no GENIUS form and
/// are not written.
///
/// Files: `<scenario id>_domain.xml` (just `<scenario id>.xml` when the id already ends in
/// `domain`) and `<actor id>.xml` (characters other than letters,
/// digits, `-`, `_`, `.` replaced by `_`). Numbers use Rust's shortest round-trip formatting.
pub fn to_strings(scenario: &Scenario) -> Result<GeniusFiles, FormatError> {
    if scenario.actors.is_empty() {
        return Err(unsupported("the scenario has no actors; a GENIUS export needs at least one profile".into()));
    }
    let issues = scenario.space.issues();
    let all: Vec<Vec<EvalOut>> = (0..scenario.actors.len()).map(|k| actor_evals(scenario, k)).collect::<Result<_, _>>()?;
    // Decide how each issue is written.
    let mut dom: Vec<DomOut> = Vec::with_capacity(issues.len());
    for (i, issue) in issues.iter().enumerate() {
        let d = match &issue.kind {
            IssueKind::Categorical { options } | IssueKind::Ordinal { options } => {
                DomOut::Discrete(options.iter().map(|o| o.id.clone()).collect())
            }
            IssueKind::Integer { min, max, step: 1, .. } => {
                let affine = all.iter().all(|evals| match &evals[i] {
                    EvalOut::Table(t) => {
                        let w = t.iter().copied().fold(0.0, f64::max);
                        w <= 0.0 || affine_fit(&t.iter().map(|x| x / w).collect::<Vec<_>>()).is_some()
                    }
                    EvalOut::Real { .. } => false,
                });
                if affine {
                    DomOut::Integer { lo: *min, hi: *max }
                } else {
                    DomOut::Discrete(grid_values(issue))
                }
            }
            IssueKind::Real { min, max, grid: None, .. } => DomOut::Real { lo: *min, hi: *max },
            _ => DomOut::Discrete(grid_values(issue)),
        };
        if let DomOut::Discrete(v) = &d {
            if let Some((a, b)) = v.iter().enumerate().find_map(|(a, x)| v[..a].iter().position(|y| y == x).map(|b| (a, b))) {
                return Err(unsupported(format!("issue `{}` has two values written as `{}` (positions {b} and {a})", issue.id, v[a])));
            }
        }
        dom.push(d);
    }
    let objective = if scenario.meta.title.is_empty() { scenario.meta.id.clone() } else { scenario.meta.title.clone() };
    let stem = file_stem(&scenario.meta.id);
    // `laptop_domain` → `laptop_domain.xml`; `Deal` → `Deal_domain.xml` (so that a re-imported
    // scenario, whose id is the domain file's stem, exports to the same names).
    let domain_name = if stem.to_ascii_lowercase().ends_with("domain") { format!("{stem}.xml") } else { format!("{stem}_domain.xml") };
    let mut names = vec![domain_name.clone()];

    let mut d = String::new();
    let _ = writeln!(d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(d, "<!-- GENIUS domain written by detente from scenario `{}` -->", esc(&scenario.meta.id).replace("--", "- -"));
    let _ = writeln!(d, "<negotiation_template>");
    let _ = writeln!(d, "  <utility_space number_of_issues=\"{}\">", issues.len());
    let _ = writeln!(d, "    <objective index=\"0\" name=\"{}\" type=\"objective\" etype=\"objective\">", esc(&objective));
    for (i, (issue, dk)) in issues.iter().zip(&dom).enumerate() {
        let name = esc(issue_name(issue));
        let index = i + 1;
        match dk {
            DomOut::Discrete(values) => {
                let _ =
                    writeln!(d, "      <issue index=\"{index}\" name=\"{name}\" type=\"discrete\" etype=\"discrete\" vtype=\"discrete\">");
                for (j, v) in values.iter().enumerate() {
                    let _ = writeln!(d, "        <item index=\"{}\" value=\"{}\"/>", j + 1, esc(v));
                }
                let _ = writeln!(d, "      </issue>");
            }
            DomOut::Integer { lo, hi } => {
                let _ = writeln!(
                    d,
                    "      <issue index=\"{index}\" name=\"{name}\" type=\"integer\" etype=\"integer\" vtype=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\"/>"
                );
            }
            DomOut::Real { lo, hi } => {
                let _ = writeln!(d, "      <issue index=\"{index}\" name=\"{name}\" type=\"real\" etype=\"real\" vtype=\"real\">");
                let _ = writeln!(d, "        <range lowerbound=\"{lo}\" upperbound=\"{hi}\"/>");
                let _ = writeln!(d, "      </issue>");
            }
        }
    }
    let _ = writeln!(d, "    </objective>");
    let _ = writeln!(d, "  </utility_space>");
    let _ = writeln!(d, "</negotiation_template>");

    let mut profiles = Vec::with_capacity(scenario.actors.len());
    for (actor, evals) in scenario.actors.iter().zip(&all) {
        let file = format!("{}.xml", file_stem(&actor.id));
        if names.contains(&file) {
            return Err(unsupported(format!(
                "actor `{}` would be written to `{file}`, which another file already uses; rename it",
                actor.id
            )));
        }
        names.push(file.clone());
        let mut p = String::new();
        let _ = writeln!(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        let _ = writeln!(p, "<utility_space>");
        let _ = writeln!(p, "  <objective index=\"0\" name=\"{}\" type=\"objective\" etype=\"objective\">", esc(&objective));
        let mut weights = Vec::with_capacity(issues.len());
        for (i, ((issue, dk), e)) in issues.iter().zip(&dom).zip(evals).enumerate() {
            let name = esc(issue_name(issue));
            let index = i + 1;
            match (dk, e) {
                (DomOut::Discrete(values), EvalOut::Table(t)) => {
                    let w = t.iter().copied().fold(0.0, f64::max);
                    weights.push(w);
                    let _ = writeln!(
                        p,
                        "    <issue index=\"{index}\" name=\"{name}\" type=\"discrete\" etype=\"discrete\" vtype=\"discrete\">"
                    );
                    for (j, (v, x)) in values.iter().zip(t).enumerate() {
                        let e = if w > 0.0 { (x / w).clamp(0.0, 1.0) } else { 0.0 };
                        let _ = writeln!(p, "      <item index=\"{}\" value=\"{}\" evaluation=\"{e}\"/>", j + 1, esc(v));
                    }
                    let _ = writeln!(p, "    </issue>");
                }
                (DomOut::Integer { lo, hi }, EvalOut::Table(t)) => {
                    let w = t.iter().copied().fold(0.0, f64::max);
                    weights.push(w);
                    let (offset, slope) = if w > 0.0 {
                        affine_fit(&t.iter().map(|x| x / w).collect::<Vec<_>>()).expect("invariant: checked affine above")
                    } else {
                        (0.0, 0.0)
                    };
                    let _ = writeln!(
                        p,
                        "    <issue index=\"{index}\" name=\"{name}\" type=\"integer\" etype=\"integer\" vtype=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\">"
                    );
                    let _ = writeln!(p, "      <evaluator ftype=\"linear\" slope=\"{slope}\" offset=\"{offset}\"/>");
                    let _ = writeln!(p, "    </issue>");
                }
                (DomOut::Real { lo, hi }, EvalOut::Real { weight, kind }) => {
                    weights.push(*weight);
                    let _ = writeln!(p, "    <issue index=\"{index}\" name=\"{name}\" type=\"real\" etype=\"real\" vtype=\"real\">");
                    let _ = writeln!(p, "      <range lowerbound=\"{lo}\" upperbound=\"{hi}\"/>");
                    match kind {
                        RealEval::Linear { p0, p1 } => {
                            let _ = writeln!(p, "      <evaluator ftype=\"linear\" parameter0=\"{p0}\" parameter1=\"{p1}\"/>");
                        }
                        RealEval::Triangular { lower, upper, top } => {
                            let _ = writeln!(
                                p,
                                "      <evaluator ftype=\"triangular\" parameter0=\"{lower}\" parameter1=\"{upper}\" parameter2=\"{top}\"/>"
                            );
                        }
                    }
                    let _ = writeln!(p, "    </issue>");
                }
                _ => unreachable!("issue kinds and evaluators are decided together"),
            }
        }
        for (i, w) in weights.iter().enumerate() {
            let _ = writeln!(p, "    <weight index=\"{}\" value=\"{w}\"/>", i + 1);
        }
        let _ = writeln!(p, "  </objective>");
        match actor.preferences.discount {
            Discount::None => {}
            Discount::Time { factor } | Discount::PerRound { factor } => {
                let _ = writeln!(p, "  <discount_factor value=\"{factor}\"/>");
            }
        }
        match &actor.preferences.reservation {
            Reservation::None => {}
            Reservation::Value(r) => {
                let _ = writeln!(p, "  <reservation value=\"{r}\"/>");
            }
            Reservation::Outcome(_) => {
                let _ = writeln!(p, "  <reservation value=\"{}\"/>", actor.preferences.reservation_value(&scenario.space));
            }
        }
        let _ = writeln!(p, "</utility_space>");
        profiles.push((file, p));
    }
    Ok(GeniusFiles { domain: (domain_name, d), profiles })
}

fn grid_values(issue: &Issue) -> Vec<String> {
    let n = issue.cardinality().unwrap_or(0) as u32;
    (0..n).map(|i| issue.format_value(&issue.value_at(i).expect("invariant: index below cardinality"))).collect()
}
