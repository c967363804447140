//! `detente forecast`: where each issue settles under a spatial bargaining model, beside the
//! capability × salience baselines; with `--runs`, a seeded Monte Carlo over uncertain inputs.

use super::Options;
use crate::load::{load, Failure};
use crate::render::{print_serialized, table};
use detente_core::Scenario;
use detente_forecast::{forecast_scenario, ForecastReport, Model};
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
    /// Stokman & Van Oosten's exchange model (Decide's Equal Gain; ties broken by --seed).
    Exchange,
}

/// What `detente forecast` was asked.
#[derive(Debug, Clone)]
pub(crate) struct Request<'a> {
    pub(crate) model: ModelArg,
    pub(crate) preset: Option<&'a str>,
    pub(crate) runs: Option<usize>,
    pub(crate) seed: u64,
    pub(crate) rounds: bool,
    /// `--html FILE`.
    pub(crate) html: Option<&'a Path>,
    /// `--force`.
    pub(crate) force: bool,
}

fn model_of(req: &Request<'_>) -> Result<Model, Failure> {
    let name = match req.model {
        ModelArg::Mean => "mean",
        ModelArg::Median => "median",
        ModelArg::Eu => "eu",
        ModelArg::Smp => "smp",
        ModelArg::Exchange => "exchange",
    };
    if req.preset.is_some() && req.model != ModelArg::Eu {
        return Err(Failure::Usage("--preset applies to --model eu only".into()));
    }
    match Model::parse(name, req.preset).map_err(|e| Failure::Usage(format!("--preset: {e}")))? {
        Model::Exchange(p) => Ok(Model::Exchange(detente_forecast::exchange::ExchangeParams { seed: req.seed, ..p })),
        m => Ok(m),
    }
}

/// `forecast --json`: the report with what it is a forecast of.
#[derive(serde::Serialize)]
struct Output<'a> {
    scenario: &'a str,
    variant: Option<&'a str>,
    report: &'a ForecastReport,
}

/// The largest Monte Carlo `--runs` accepted (about 100 s and a few hundred MB on a laptop).
pub(crate) const MAX_RUNS: usize = 1_000_000;

pub(crate) fn run(file: Option<&Path>, req: &Request<'_>, opts: &Options<'_>) -> Result<(), Failure> {
    if let Some(path) = req.html {
        if req.preset.is_some() || req.runs.is_some() || req.rounds {
            // Nothing given is ignored: the page shows every model on the stated inputs.
            return Err(Failure::Usage(
                "--html shows every model beside the baselines on the stated inputs; --preset, --runs and --rounds apply to the text and --json output (for Monte Carlo bands in a page, use `detente study --html`)".into(),
            ));
        }
        crate::render::check_page(path, req.force, opts.json, file)?;
        let loaded = load(file, opts.variant, opts.semantics)?;
        loaded.note_unread(opts.variant, "the forecast", |p, _| detente_forecast::reads(p.input()));
        let page = detente_study::forecast::page(&loaded.scenario, opts.variant.unwrap_or("base"));
        let html = detente_report::html::forecast(&page, &loaded.source);
        crate::output::write_file(path, html.as_bytes(), req.force, file)?;
        outln!("Wrote {} ({} KB): open it in any browser; it needs no network.", path.display(), html.len().div_ceil(1024));
        return Ok(());
    }
    let loaded = load(file, opts.variant, opts.semantics)?;
    loaded.note_unread(opts.variant, "the forecast", |p, _| detente_forecast::reads(p.input()));
    if req.runs == Some(0) {
        return Err(Failure::Usage("--runs: expected at least 1".into()));
    }
    if let Some(n) = req.runs.filter(|&n| n > MAX_RUNS) {
        // Each run costs ~0.1 ms and its result is kept for the quantiles: beyond this the
        // command would run for hours or exhaust memory instead of answering.
        return Err(Failure::Usage(format!("--runs: expected at most {MAX_RUNS} runs, got {n}")));
    }
    let model = model_of(req)?;
    if loaded.scenario.salience != detente_core::SalienceConvention::default() && !model.reads(detente_core::Input::SalienceConvention) {
        let how = match model {
            Model::Exchange(_) => "it compares salience ratios, which do not depend on it, and uses each salience as stated",
            _ => "it runs issue by issue and uses each salience as stated",
        };
        eprintln!(
            "note: the scenario states salience = \"{}\"; model {} does not read it: {how} (only smp reads it)",
            loaded.scenario.salience.as_str(),
            model.name()
        );
    }
    let report =
        forecast_scenario(&loaded.scenario, &model, req.runs, req.seed).map_err(|e| Failure::Input(format!("{}: {e}", loaded.source)))?;
    if opts.json {
        print_serialized(&Output { scenario: &loaded.scenario.meta.id, variant: opts.variant, report: &report });
        return Ok(());
    }
    out!("{}", render_text(&loaded.scenario, opts.variant, &report, req.rounds, report.spreads.sampled == 0));
    if report.monte_carlo.is_some() {
        for (a, _) in &report.spreads.ignored {
            outln!("note: the spread on {a}'s inputs is ignored: the forecast leaves {a} out");
        }
    }
    Ok(())
}

/// A number on `issue`, in its units, to a tenth of a point of its 0–100 scale (`{:.1}` on the
/// scale itself, `{:.3}` on an issue from 10 to 15).
fn at(s: &Scenario, issue: &str, x: f64) -> String {
    let units = s.space.issue_index(issue).and_then(|k| s.space.issues()[k].units()).unwrap_or(detente_core::Units::IDENTITY);
    units.format_forecast(x)
}

/// The report for people.
pub(crate) fn render_text(s: &Scenario, variant: Option<&str>, r: &ForecastReport, rounds: bool, no_spreads: bool) -> String {
    let mut out = String::new();
    let preset = match &r.model {
        Model::Eu(p) if *p == detente_forecast::eu::EuPreset::ScholzCode.params() => " (preset scholz_code)".to_string(),
        Model::Eu(_) => " (custom parameters)".to_string(),
        Model::Exchange(p) => format!(" (Equal Gain, tie-break seed {})", p.seed),
        _ => String::new(),
    };
    out.push_str(&format!(
        "Forecast of {} [{}] with model {}{preset}; numeric issues in their own units, ordered options on their 0-100 scale\n\n",
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
            let x = |v: f64| at(s, &f.issue, v);
            let mut row = vec![f.issue.clone(), x(f.value), f.option.clone().unwrap_or_default()];
            if dynamic {
                row.push(f.final_mean.map(x).unwrap_or_default());
            }
            let base =
                |t: &detente_forecast::TableForecast| t.issues.iter().find(|b| b.issue == f.issue).map(|b| x(b.value)).unwrap_or_default();
            row.push(base(&r.mean));
            row.push(base(&r.median));
            row
        })
        .collect();
    out.push_str(&table(&header, &rows));
    for (issue, why) in &r.forecast.skipped {
        out.push_str(&format!("skipped {issue}: {why}\n"));
    }
    if let Some(run) = &r.forecast.exchange {
        let trades = run.trades();
        if trades.is_empty() {
            out.push_str("\nThe exchange model finds no trade: no two actors gain from moving toward each other.\n");
        } else {
            out.push_str("\nTrades the exchange model predicts (highest gain first in each round)\n\n");
            trades.iter().for_each(|t| out.push_str(&format!("{t}\n")));
        }
    }
    out.push_str("\nWho moves the c·s mean: its change per unit an actor moves (c·s share), largest first\n\n");
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
            let stats = f.round_stats.as_ref();
            let also = if stats.is_some() { ", with their c·s median and mean" } else { "" };
            out.push_str(&format!("\nRounds on {} (positions after each round{also})\n\n", f.issue));
            let mut header = vec!["round".to_string()];
            header.extend(tr.actors.iter().cloned());
            if stats.is_some() {
                header.extend(["median".to_string(), "mean".to_string()]);
            }
            let rows: Vec<Vec<String>> = tr
                .rounds
                .iter()
                .enumerate()
                .map(|(t, xs)| {
                    let summary = stats
                        .into_iter()
                        .flat_map(|st| [st.median.get(t), st.mean.get(t)])
                        .map(|v| v.copied().map(|v| at(s, &f.issue, v)).unwrap_or_default());
                    std::iter::once(t.to_string()).chain(xs.iter().map(|&x| at(s, &f.issue, x))).chain(summary).collect()
                })
                .collect();
            out.push_str(&table(&header, &rows));
        }
        // SMP's win probabilities are of each actor's whole position (all issues at once): the
        // same in every issue's trajectory, so shown once, for every actor that takes part.
        let mut win: Vec<(&str, Vec<f64>)> = Vec::new();
        for tr in r.forecast.issues.iter().filter_map(|f| f.trajectory.as_ref()) {
            let Some(p) = &tr.win_probability else { continue };
            for (k, a) in tr.actors.iter().enumerate() {
                if !win.iter().any(|(b, _)| b == a) {
                    win.push((a, p.iter().map(|turn| turn.get(k).copied().unwrap_or(f64::NAN)).collect()));
                }
            }
        }
        if !win.is_empty() {
            out.push_str(
                "\nWin probabilities after each round (KTAB's per-turn probabilities: the chance that the actor's whole position, over all issues jointly, is the group's choice, so the same on every issue; actors on equivalent positions share one)\n\n",
            );
            let mut header = vec!["round".to_string()];
            header.extend(win.iter().map(|(a, _)| a.to_string()));
            let turns = win.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
            let rows: Vec<Vec<String>> = (0..turns)
                .map(|t| {
                    std::iter::once(t.to_string())
                        .chain(win.iter().map(|(_, c)| c.get(t).map(|p| format!("{p:.4}")).unwrap_or_default()))
                        .collect()
                })
                .collect();
            out.push_str(&table(&header, &rows));
        }
        if !matches!(r.model, Model::Eu(_) | Model::Smp(_) | Model::Exchange(_)) {
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
                let q =
                    |p: f64| d.quantiles.iter().find(|(pp, _)| (*pp - p).abs() < 1e-9).map_or(String::new(), |(_, v)| at(s, &d.issue, *v));
                let mut opts: Vec<_> = d.options.iter().filter(|o| o.probability > 0.0).collect();
                opts.sort_by(|a, b| b.probability.total_cmp(&a.probability));
                let top = opts.iter().take(3).map(|o| format!("{} {:.0}%", o.option, o.probability * 100.0)).collect::<Vec<_>>().join(", ");
                vec![d.issue.clone(), at(s, &d.issue, d.median), q(0.05), q(0.25), q(0.75), q(0.95), top]
            })
            .collect();
        out.push_str(&table(&header, &rows));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::{
        Actor, Issue, Loss, Metadata, OutcomeSpace, Patch, Position, Preferences, ScenarioDraft, Spatial, Utility, Variant,
    };
    use detente_forecast::ForecastTable;

    fn scenario() -> Scenario {
        let space = OutcomeSpace::new(vec![
            Issue::ordinal("territory", &[("pre_2014", 0.), ("pre_2022", 33.), ("current", 67.), ("all", 100.)]),
            Issue::ordinal("nato", &[("membership", 0.), ("deferred", 50.), ("neutrality", 100.)]),
        ]);
        let actor = |id: &str, cap: f64, cells: [(f64, f64); 2]| {
            let positions = cells.iter().map(|&(ideal, salience)| Some(Position::new(ideal, salience))).collect();
            let mut a = Actor::party(id, Preferences::new(Utility::Spatial(Spatial { positions, loss: Loss::Linear })));
            a.capability = cap;
            a
        };
        ScenarioDraft {
            meta: Metadata { id: "mini".into(), title: "mini".into(), ..Default::default() },
            space,
            actors: vec![
                actor("usa", 100., [(67., 0.2), (90., 0.5)]),
                actor("russia", 80., [(100., 0.9), (100., 0.8)]),
                actor("ukraine", 40., [(10., 0.9), (10., 0.6)]),
                actor("europe", 50., [(20., 0.6), (50., 0.4)]),
            ],
            protocol: Default::default(),
            salience: Default::default(),
            openings: vec![],
            variants: vec![Variant {
                id: "early_concession".into(),
                title: None,
                description: None,
                patches: vec![Patch::Position { actor: "ukraine".into(), issue: "territory".into(), ideal: Some(67.0), salience: None }],
            }],
        }
        .validate()
        .expect("a valid scenario")
    }

    #[test]
    fn text_report_shows_model_baselines_rounds_and_monte_carlo() {
        let mut s = scenario().into_draft();
        let russia = s.actors.iter_mut().find(|a| a.id == "russia").unwrap();
        let detente_core::Utility::Spatial(sp) = &mut russia.preferences.utility else { panic!("spatial") };
        sp.positions[0].as_mut().unwrap().ideal_spread = Some(detente_core::Spread::Uniform { lo: 60.0, hi: 100.0 });
        let s = s.validate().unwrap();
        let model = Model::parse("eu", None).unwrap();
        let r = forecast_scenario(&s, &model, Some(50), 3).unwrap();
        let text = render_text(&s, None, &r, true, false);
        assert!(text.contains("with model eu (preset scholz_code)"), "{text}");
        assert!(text.contains("c·s mean") && text.contains("c·s median"), "{text}");
        assert!(text.lines().any(|l| l.starts_with("territory") && l.contains("russia 46%")), "levers: {text}"); // 72/158
        assert!(text.contains("Rounds on territory") && text.contains("russia"), "{text}");
        assert!(text.contains("Monte Carlo: 50 runs, seed 3"), "{text}");
        // the mean baseline of territory by hand: (20·67 + 72·100 + 36·10 + 30·20)/158 = 9500/158 = 60.1
        assert!(text.lines().any(|l| l.starts_with("territory") && l.contains("60.1")), "{text}");
        assert!(ForecastTable::from_scenario(&s).is_ok());
        assert!(!text.contains("Win probabilities"), "the EU model has none: {text}");
    }

    /// The SMP's per-round win probabilities are of whole positions: one table after the
    /// issues' rounds, every actor once, each round's probabilities in [0, 1].
    #[test]
    fn smp_rounds_show_the_win_probabilities_once() {
        let s = scenario();
        let r = forecast_scenario(&s, &Model::parse("smp", None).unwrap(), None, 1).unwrap();
        let text = render_text(&s, None, &r, true, true);
        let at = text.find("Win probabilities after each round").unwrap_or_else(|| panic!("{text}"));
        let rest = &text[at..];
        assert_eq!(rest.matches("Win probabilities").count(), 1, "{text}");
        let header = rest.lines().nth(2).unwrap();
        for a in ["russia", "ukraine", "europe"] {
            assert_eq!(header.matches(a).count(), 1, "{header}");
        }
        let first = rest.lines().nth(4).unwrap();
        assert!(first.starts_with('0'), "{rest}");
        for p in first.split_whitespace().skip(1) {
            assert!((0.0..=1.0).contains(&p.parse::<f64>().unwrap()), "{first}");
        }
    }

    #[test]
    fn preset_only_with_eu() {
        let req = Request { model: ModelArg::Mean, preset: Some("dmasad"), runs: None, seed: 1, rounds: false, html: None, force: false };
        assert!(model_of(&req).is_err());
        let req = Request { model: ModelArg::Eu, preset: Some("nope"), runs: None, seed: 1, rounds: false, html: None, force: false };
        let Err(Failure::Usage(msg)) = model_of(&req) else { panic!("expected a usage error") };
        assert!(msg.contains("scholz_code"), "{msg}");
    }
}
