//! `detente forecast`: where each issue settles under a spatial bargaining model, beside the
//! capability × salience baselines; with `--runs`, a seeded Monte Carlo over uncertain inputs.

use super::{Options, Section};
use crate::load::{load, Failure};
use crate::render::{print_json, table};
use detente_core::Scenario;
use detente_forecast::{compare_models, forecast_scenario, ForecastReport, InputSpread, Model, ModelComparison, Spread, UncertainInput};
use serde_json::json;
use std::path::Path;

/// `--model` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ModelArg {
    /// Capability × salience weighted mean (the compromise model).
    Mean,
    /// Capability × salience weighted median (the Condorcet winner among positions).
    Median,
    /// Bueno de Mesquita's expected-utility model (Scholz et al. 2011 reconstruction).
    Eu,
    /// KTAB's Spatial Model of Politics (deterministic).
    Smp,
}

/// What `detente forecast` was asked.
#[derive(Debug, Clone)]
pub(crate) struct Request<'a> {
    pub(crate) model: ModelArg,
    pub(crate) preset: Option<&'a str>,
    pub(crate) runs: Option<usize>,
    pub(crate) seed: u64,
    pub(crate) rounds: bool,
}

fn model_of(req: &Request<'_>) -> Result<Model, Failure> {
    let name = match req.model {
        ModelArg::Mean => "mean",
        ModelArg::Median => "median",
        ModelArg::Eu => "eu",
        ModelArg::Smp => "smp",
    };
    if req.preset.is_some() && req.model != ModelArg::Eu {
        return Err(Failure::Input("--preset applies to --model eu only".into()));
    }
    Model::parse(name, req.preset).map_err(|e| Failure::Input(format!("--preset: {e}")))
}

/// The largest Monte Carlo `--runs` accepted (about 100 s and a few hundred MB on a laptop).
pub(crate) const MAX_RUNS: usize = 1_000_000;

pub(crate) fn run(file: Option<&Path>, req: &Request<'_>, opts: &Options<'_>) -> Result<(), Failure> {
    let loaded = load(file, opts.variant)?;
    if req.runs == Some(0) {
        return Err(Failure::Input("--runs: expected at least 1".into()));
    }
    if let Some(n) = req.runs.filter(|&n| n > MAX_RUNS) {
        // Each run costs ~0.1 ms and its result is kept for the quantiles: beyond this the
        // command would run for hours or exhaust memory instead of answering.
        return Err(Failure::Input(format!("--runs: expected at most {MAX_RUNS} runs, got {n}")));
    }
    let model = model_of(req)?;
    let (spreads, notes) = if req.runs.is_some() { stated_spreads(file, &loaded.scenario)? } else { (Vec::new(), Vec::new()) };
    let report = forecast_scenario(&loaded.scenario, &model, &spreads, req.runs, req.seed)
        .map_err(|e| Failure::Input(format!("{}: {e}", loaded.source)))?;
    if opts.json {
        print_json(&json!({
            "scenario": loaded.scenario.meta.id,
            "variant": opts.variant,
            "report": serde_json::to_value(&report).expect("invariant: reports serialise"),
        }));
        return Ok(());
    }
    out!("{}", render_text(&loaded.scenario, opts.variant, &report, req.rounds, spreads.is_empty()));
    for n in &notes {
        outln!("note: {n}");
    }
    Ok(())
}

/// How many spreads a native scenario file states (0 for other formats or unreadable files).
pub(crate) fn stated_spread_count(path: &Path) -> usize {
    let Ok(text) = std::fs::read_to_string(path) else { return 0 };
    let file = path.display().to_string();
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("toml") => detente_formats::native::spreads_from_toml_str(&text, &file).map_or(0, |r| r.1.len()),
        Some("json") if !detente_formats::geniusweb::looks_like_geniusweb(&text) => {
            detente_formats::native::spreads_from_json_str(&text, &file).map_or(0, |r| r.1.len())
        }
        _ => 0,
    }
}

/// The uncertain inputs the scenario file states (native TOML/JSON; other formats state none),
/// moved onto the studied case: a variant that changes a value carries its spread with it
/// (shifted by the change, clipped to the valid range). Spreads of actors the forecast leaves out
/// (observers, non-spatial actors) are dropped with a note.
fn stated_spreads(file: Option<&Path>, scenario: &Scenario) -> Result<(Vec<InputSpread>, Vec<String>), Failure> {
    use detente_formats::native::{spreads_from_json_str, spreads_from_toml_str, SpreadShape, SpreadTarget};
    let stated = match file {
        None => spreads_from_toml_str(crate::load::BUILTIN_TOML, crate::load::BUILTIN_NAME)?.1,
        Some(p) => {
            let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            let read = || std::fs::read_to_string(p).map_err(|e| Failure::Input(format!("{}: {e}", p.display())));
            match ext.as_deref() {
                Some("toml") => spreads_from_toml_str(&read()?, &p.display().to_string())?.1,
                Some("json") => {
                    let text = read()?;
                    if detente_formats::geniusweb::looks_like_geniusweb(&text) {
                        Vec::new()
                    } else {
                        spreads_from_json_str(&text, &p.display().to_string())?.1
                    }
                }
                _ => Vec::new(),
            }
        }
    };
    let table = detente_forecast::ForecastTable::from_scenario(scenario).map_err(|e| Failure::Input(e.to_string()))?;
    let (mut out, mut notes) = (Vec::new(), Vec::new());
    for st in stated {
        let Some(a) = table.actor_index(&st.actor) else {
            notes.push(format!("the spread on {}'s inputs is ignored: the forecast leaves {} out", st.actor, st.actor));
            continue;
        };
        let (input, current, (min, max)) = match &st.target {
            SpreadTarget::Capability => (UncertainInput::Capability, Some(table.actors[a].capability), (0.0, f64::MAX)),
            SpreadTarget::Ideal(i) => {
                let cell = table.issue_index(i).and_then(|k| table.actors[a].cells[k]);
                (UncertainInput::Position(i.clone()), cell.map(|c| c.0), (0.0, 100.0))
            }
            SpreadTarget::Salience(i) => {
                let cell = table.issue_index(i).and_then(|k| table.actors[a].cells[k]);
                (UncertainInput::Salience(i.clone()), cell.map(|c| c.1), (0.0, 1.0))
            }
        };
        let Some(current) = current else {
            notes.push(format!("the spread on {}'s {:?} is ignored: the studied case has no such position", st.actor, st.target));
            continue;
        };
        let d = current - st.value;
        let c = |x: f64| (x + d).clamp(min, max);
        let spread = match st.shape {
            SpreadShape::Uniform { lo, hi } => Spread::Uniform { lo: c(lo), hi: c(hi) },
            SpreadShape::Triangular { lo, mode, hi } => Spread::Triangular { lo: c(lo), mode: c(mode), hi: c(hi) },
            SpreadShape::Normal { sd, .. } => Spread::Normal { mean: current, sd },
        };
        out.push(InputSpread { actor: st.actor.clone(), input, spread });
    }
    Ok((out, notes))
}

fn num(x: f64) -> String {
    format!("{x:.1}")
}

/// The report for people.
pub(crate) fn render_text(s: &Scenario, variant: Option<&str>, r: &ForecastReport, rounds: bool, no_spreads: bool) -> String {
    let mut out = String::new();
    let preset = match &r.model {
        Model::Eu(p) if *p == detente_forecast::eu::EuPreset::ScholzCode.params() => " (preset scholz_code)".to_string(),
        Model::Eu(_) => " (custom parameters)".to_string(),
        _ => String::new(),
    };
    out.push_str(&format!(
        "Forecast of {} [{}] with model {}{preset}; positions on the 0-100 scale\n\n",
        s.meta.id,
        variant.unwrap_or("base"),
        r.model.name()
    ));
    let dynamic = matches!(r.model, Model::Eu(_));
    let mut header = vec!["issue".to_string(), r.model.name().to_string(), "nearest option".into()];
    if dynamic {
        header.push("final mean".into());
    }
    header.extend(["c·s mean".to_string(), "c·s median".to_string()]);
    let rows: Vec<Vec<String>> = r
        .forecast
        .issues
        .iter()
        .map(|f| {
            let mut row = vec![f.issue.clone(), num(f.value), f.option.clone().unwrap_or_default()];
            if dynamic {
                row.push(f.final_mean.map(num).unwrap_or_default());
            }
            let base = |t: &detente_forecast::TableForecast| {
                t.issues.iter().find(|b| b.issue == f.issue).map(|b| num(b.value)).unwrap_or_default()
            };
            row.push(base(&r.mean));
            row.push(base(&r.median));
            row
        })
        .collect();
    out.push_str(&table(&header, &rows));
    for (issue, why) in &r.forecast.skipped {
        out.push_str(&format!("skipped {issue}: {why}\n"));
    }
    out.push_str("\nWho moves the c·s mean: its change per point an actor moves (c·s share), largest first\n\n");
    let lever_rows: Vec<Vec<String>> = r
        .levers
        .iter()
        .map(|l| {
            let top = l.shares.iter().take(3).map(|(a, w)| format!("{a} {:.0}%", w * 100.0)).collect::<Vec<_>>().join(", ");
            vec![l.issue.clone(), top]
        })
        .collect();
    out.push_str(&table(&["issue".to_string(), "levers".to_string()], &lever_rows));
    if rounds {
        for f in &r.forecast.issues {
            let Some(tr) = &f.trajectory else { continue };
            out.push_str(&format!("\nRounds on {} (positions after each round)\n\n", f.issue));
            let mut header = vec!["round".to_string()];
            header.extend(tr.actors.iter().cloned());
            let rows: Vec<Vec<String>> = tr
                .rounds
                .iter()
                .enumerate()
                .map(|(t, xs)| std::iter::once(t.to_string()).chain(xs.iter().map(|&x| num(x))).collect())
                .collect();
            out.push_str(&table(&header, &rows));
        }
        if !matches!(r.model, Model::Eu(_) | Model::Smp(_)) {
            out.push_str("\n(--rounds: the baselines are closed-form and have no rounds)\n");
        }
    }
    if let Some(mc) = &r.monte_carlo {
        out.push_str(&format!("\nMonte Carlo: {} runs, seed {}\n\n", mc.runs, mc.seed));
        if no_spreads {
            out.push_str("(the scenario states no uncertain inputs, so every run equals the deterministic forecast)\n\n");
        }
        let header: Vec<String> = ["issue", "median", "P5", "P25", "P75", "P95", "most likely options"].map(String::from).to_vec();
        let rows: Vec<Vec<String>> = mc
            .issues
            .iter()
            .map(|d| {
                let q = |p: f64| d.quantiles.iter().find(|(pp, _)| (*pp - p).abs() < 1e-9).map_or(String::new(), |(_, v)| num(*v));
                let mut opts: Vec<_> = d.options.iter().filter(|o| o.probability > 0.0).collect();
                opts.sort_by(|a, b| b.probability.total_cmp(&a.probability));
                let top = opts.iter().take(3).map(|o| format!("{} {:.0}%", o.option, o.probability * 100.0)).collect::<Vec<_>>().join(", ");
                vec![d.issue.clone(), num(d.median), q(0.05), q(0.25), q(0.75), q(0.95), top]
            })
            .collect();
        out.push_str(&table(&header, &rows));
    }
    out
}

/// The `detente study` section: every model beside the baselines, per case (base and variants).
pub(crate) fn study_section(cases: &[super::study::Case]) -> Section {
    let mut text = String::from(
        "Where each issue settles (0-100 scale) under the c·s weighted mean and median (the baselines,\n\
         which match or beat the models on EU legislative data), Bueno de Mesquita's expected-utility\n\
         model (Scholz reconstruction, preset scholz_code: final median, final mean) and KTAB's SMP.\n",
    );
    let mut json_cases = serde_json::Map::new();
    let mut first: Option<(String, ModelComparison)> = None;
    for case in cases {
        text.push_str(&format!("\n{}\n\n", case.label));
        match compare_models(&case.scenario) {
            Ok(cmp) => {
                json_cases.insert(case.label.clone(), serde_json::to_value(&cmp).expect("invariant: reports serialise"));
                match &first {
                    // Variants that change nothing the spatial models read (who must agree, the
                    // mediator's rule, openings) give the same forecast: say so instead of repeating it.
                    Some((label, f)) if *f == cmp => {
                        text.push_str(&format!(
                            "same forecast as {label}: the variant changes nothing the spatial models read\n\
                             (they use positions, salience and capability, not acceptance rules, mediator rules or openings)\n"
                        ));
                    }
                    Some((label, f)) => {
                        let changed: Vec<&str> =
                            cmp.rows.iter().zip(&f.rows).filter(|(a, b)| a != b).map(|(a, _)| a.issue.as_str()).collect();
                        text.push_str(&comparison_text(&cmp));
                        text.push_str(&format!("changed from {label}: {}\n", changed.join(", ")));
                    }
                    None => {
                        text.push_str(&comparison_text(&cmp));
                        first = Some((case.label.clone(), cmp));
                    }
                }
            }
            Err(e) => {
                text.push_str(&format!("no forecast: {e}\n"));
                json_cases.insert(case.label.clone(), json!({ "error": e.to_string() }));
            }
        }
    }
    Section { id: "forecast", title: "Forecasts: spatial bargaining models".into(), text, json: serde_json::Value::Object(json_cases) }
}

fn comparison_text(cmp: &ModelComparison) -> String {
    let header: Vec<String> = ["issue", "mean", "median", "eu", "eu mean", "smp", "eu option"].map(String::from).to_vec();
    let rows: Vec<Vec<String>> = cmp
        .rows
        .iter()
        .map(|r| {
            vec![
                r.issue.clone(),
                num(r.mean),
                num(r.median),
                num(r.eu),
                r.eu_mean.map(num).unwrap_or_default(),
                num(r.smp),
                r.options.as_ref().map(|o| o[2].clone()).unwrap_or_default(),
            ]
        })
        .collect();
    let mut out = table(&header, &rows);
    for (issue, why) in &cmp.skipped {
        out.push_str(&format!("skipped {issue}: {why}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::{Actor, Issue, Loss, Metadata, OutcomeSpace, Patch, Position, Preferences, Spatial, Utility, Variant};
    use detente_forecast::ForecastTable;

    fn scenario() -> Scenario {
        let space = OutcomeSpace::new(vec![
            Issue::ordinal("territory", &[("pre_2014", 0.), ("pre_2022", 33.), ("current", 67.), ("all", 100.)]),
            Issue::ordinal("nato", &[("membership", 0.), ("deferred", 50.), ("neutrality", 100.)]),
        ]);
        let actor = |id: &str, cap: f64, cells: [(f64, f64); 2]| {
            let positions = cells.iter().map(|&(ideal, salience)| Some(Position { ideal, salience })).collect();
            let mut a = Actor::party(id, Preferences::new(Utility::Spatial(Spatial { positions, loss: Loss::Linear })));
            a.capability = cap;
            a
        };
        Scenario {
            meta: Metadata { id: "mini".into(), title: "mini".into(), ..Default::default() },
            space,
            actors: vec![
                actor("usa", 100., [(67., 0.2), (90., 0.5)]),
                actor("russia", 80., [(100., 0.9), (100., 0.8)]),
                actor("ukraine", 40., [(10., 0.9), (10., 0.6)]),
                actor("europe", 50., [(20., 0.6), (50., 0.4)]),
            ],
            protocol: Default::default(),
            openings: vec![],
            variants: vec![Variant {
                id: "early_concession".into(),
                title: None,
                description: None,
                patches: vec![Patch::Position { actor: "ukraine".into(), issue: "territory".into(), ideal: Some(67.0), salience: None }],
            }],
        }
    }

    #[test]
    fn text_report_shows_model_baselines_rounds_and_monte_carlo() {
        let s = scenario();
        let model = Model::parse("eu", None).unwrap();
        let spreads = vec![InputSpread {
            actor: "russia".into(),
            input: UncertainInput::Position("territory".into()),
            spread: Spread::Uniform { lo: 60.0, hi: 100.0 },
        }];
        let r = forecast_scenario(&s, &model, &spreads, Some(50), 3).unwrap();
        let text = render_text(&s, None, &r, true, false);
        assert!(text.contains("with model eu (preset scholz_code)"), "{text}");
        assert!(text.contains("c·s mean") && text.contains("c·s median"), "{text}");
        assert!(text.lines().any(|l| l.starts_with("territory") && l.contains("russia 46%")), "levers: {text}"); // 72/158
        assert!(text.contains("Rounds on territory") && text.contains("russia"), "{text}");
        assert!(text.contains("Monte Carlo: 50 runs, seed 3"), "{text}");
        // the mean baseline of territory by hand: (20·67 + 72·100 + 36·10 + 30·20)/158 = 9500/158 = 60.1
        assert!(text.lines().any(|l| l.starts_with("territory") && l.contains("60.1")), "{text}");
        assert!(ForecastTable::from_scenario(&s).is_ok());
    }

    #[test]
    fn study_section_covers_base_and_every_variant() {
        let s = scenario();
        let cases = vec![
            super::super::study::Case { label: "base".into(), scenario: s.clone() },
            super::super::study::Case { label: "early_concession".into(), scenario: s.with_variant("early_concession").unwrap() },
        ];
        let sec = study_section(&cases);
        assert_eq!(sec.id, "forecast");
        assert!(sec.text.contains("\nbase\n") && sec.text.contains("\nearly_concession\n"), "{}", sec.text);
        for case in ["base", "early_concession"] {
            let rows = sec.json[case]["rows"].as_array().unwrap();
            assert_eq!(rows.len(), 2);
            for key in ["mean", "median", "eu", "smp"] {
                assert!(rows[0][key].is_number(), "{case} {key}");
            }
        }
        // the variant moves Ukraine towards Russia on territory: the mean baseline rises
        let t = |c: &str| sec.json[c]["rows"][0]["mean"].as_f64().unwrap();
        assert!(t("early_concession") > t("base"));
    }

    #[test]
    fn preset_only_with_eu() {
        let req = Request { model: ModelArg::Mean, preset: Some("dmasad"), runs: None, seed: 1, rounds: false };
        assert!(model_of(&req).is_err());
        let req = Request { model: ModelArg::Eu, preset: Some("nope"), runs: None, seed: 1, rounds: false };
        let Err(Failure::Input(msg)) = model_of(&req) else { panic!("expected an input error") };
        assert!(msg.contains("scholz_code"), "{msg}");
    }
}
