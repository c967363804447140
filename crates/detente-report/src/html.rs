//! The study as one self-contained HTML page: the findings, the evidence section by section,
//! and the plots as inline SVG. No script, no font, no stylesheet and no image is fetched: the
//! file opens offline in any browser. Every plot is a `<figure class="plot" id="plot-…">`
//! listed in the page's contents (`nav#contents`), so a reader (and the browser test) can check
//! that each promised plot is there.

use crate::plot::{self, BINS_PER_AXIS};
use crate::signed;
use detente_study::findings::{percent, thousands};
use detente_study::{
    CaseDeal, CaseRuns, Concessions, Deal, DealPage, ForecastPage, IssueSummary, IssueTrajectory, ModelComparison, NegotiationReport,
    PartyShare, Robustness, Run, ScenarioSummary, Section, StudyReport, Term, UtilitySpace,
};
use maud::{html, Markup, PreEscaped, DOCTYPE};

const STYLE: &str = r#"
:root { --ink: #222; --muted: #5f5f5f; --rule: #ddd; --bg: #fff; --panel: #f6f7f9; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 64px; }
header h1 { font-size: 26px; margin: 8px 0 4px; }
header p.meta { color: var(--muted); margin: 0 0 12px; }
p.assumptions { background: #fff8e6; border-left: 4px solid #E69F00; padding: 8px 12px; font-size: 14px; }
nav#contents { background: var(--panel); padding: 10px 16px; border-radius: 6px; font-size: 14px; }
nav#contents ol { margin: 4px 0; padding-left: 20px; columns: 2; }
nav#contents ul { margin: 0; padding-left: 16px; }
h2 { margin-top: 40px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); font-size: 21px; }
h3 { margin-top: 24px; font-size: 17px; }
ol.findings li { margin: 6px 0; }
ol.findings a { font-size: 13px; color: var(--accent); }
table { border-collapse: collapse; margin: 10px 0 16px; font-size: 13.5px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.small { font-size: 12.5px; color: var(--muted); }
.scroll { overflow-x: auto; }
figure.plot { margin: 16px 0 24px; max-width: 760px; }
figure.plot svg { display: block; width: 100%; height: auto; }
figure.plot figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 8px 24px; }
.grid figure.plot { margin: 8px 0; }
.note { color: var(--muted); font-size: 13.5px; }
.tag { display: inline-block; padding: 0 6px; border-radius: 3px; background: var(--panel); font-size: 12px; color: var(--muted); }
.yes { color: #007a55; font-weight: 600; }
.no { color: #b34700; font-weight: 600; }
footer { margin-top: 48px; color: var(--muted); font-size: 12.5px; }
"#;

/// One plot: its id, caption and SVG (or the reason it could not be drawn).
struct Figure {
    id: String,
    title: String,
    caption: String,
    svg: Result<String, String>,
}

impl Figure {
    fn new(id: impl Into<String>, title: impl Into<String>, caption: impl Into<String>, svg: Result<String, plot::PlotError>) -> Self {
        Figure { id: id.into(), title: title.into(), caption: caption.into(), svg: svg.map_err(|e| e.to_string()) }
    }

    fn markup(&self) -> Markup {
        match &self.svg {
            Ok(svg) => html! {
                figure.plot id=(self.id) {
                    (PreEscaped(svg))
                    figcaption { (self.caption) }
                }
            },
            Err(e) => html! { p.note { "The plot “" (self.title) "” could not be drawn: " (e) } },
        }
    }
}

fn u3(x: f64) -> String {
    format!("{x:.3}")
}

fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// Tick marks of an issue: each value with a place on the 0–100 scale.
fn ticks(issue: &IssueSummary) -> Vec<(f64, String)> {
    issue.values.iter().filter_map(|v| v.scale.map(|x| (x, v.label.clone()))).collect()
}

fn scale_of(issue: &IssueSummary, label: &str) -> Option<f64> {
    issue.values.iter().find(|v| v.label == label).and_then(|v| v.scale)
}

/// The HTML report of a study.
/// The page around a body: head, style, the scenario's header, a footer.
fn page(kind: &str, s: &ScenarioSummary, source: &str, meta: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("detente {} ({})", env!("CARGO_PKG_VERSION"), detente_study::SCHEMA));
                title { "detente " (kind) ": " (s.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    header {
                        h1 { (s.title) }
                        p.meta {
                            (source) " · " (s.issues.len()) " issues · " (s.actors.len()) " actors · "
                            (s.outcomes.parse::<u64>().map_or_else(|_| s.outcomes.clone(), thousands)) " possible outcomes"
                            @if !meta.is_empty() { " · " (meta) }
                        }
                        @if let Some(d) = &s.description { p { (d) } }
                        @if let Some(a) = &s.assumptions { p.assumptions { strong { "Assumptions. " } (a) } }
                    }
                    (body)
                    footer {
                        "Made by detente " (env!("CARGO_PKG_VERSION")) " (" (kind) ") from " (source) ". "
                        "Every number is conditional on the scenario's assumptions. The same scenario and seed give the same page."
                    }
                }
            }
        }
    }
    .into_string()
}

/// A contents box listing sections and plots (plots as `#plot-…` links, which the browser test checks).
fn contents_box(sections: &[(&str, String)], plots: &[&Figure]) -> Markup {
    html! {
        nav #contents {
            strong { "Contents" }
            ol { @for (id, title) in sections { li { a href=(format!("#{id}")) { (title) } } } }
            strong { "Plots" }
            ol { @for p in plots.iter().filter(|p| p.svg.is_ok()) { li { a href=(format!("#{}", p.id)) { (p.title) } } } }
        }
    }
}

/// The HTML report of a study.
pub fn render(r: &StudyReport, source: &str) -> String {
    let figures = Figures::of(r);
    let s = &r.scenario;
    let whatifs = r.cases.iter().filter(|c| c.id != "base").count();
    let alone = r.cases.first().filter(|c| c.id != "base");
    let body = html! {
                    @if let Some(c) = alone {
                        p.assumptions { strong { "Studied alone: the what-if " (c.id) } @if let Some(t) = &c.title { " (" (t) ")" } ": " (c.changes.join("; ")) "." }
                    }
                    (contents(r, &figures))
                    section #findings {
                        h2 { "Findings" }
                        ol.findings {
                            @for f in &r.findings {
                                li { (f.text) " " a href=(format!("#{}", f.evidence)) { "evidence →" } }
                            }
                        }
                    }
                    (scenario_section(r, &figures))
                    (variants_section(r))
                    (deal_section(r, &figures))
                    (simulation_section(r, &figures))
                    (comparison_section(r, &figures))
                    (opening_section(r))
                    (forecast_section(r, &figures))
                    (robustness_section(r, &figures))
                    (stability_section(r))
    };
    page("study", s, source, &format!("{whatifs} what-ifs · report schema {}", r.schema), body)
}

/// Every plot of the report, made once (the contents list them, the sections show them).
struct Figures {
    positions: Option<Figure>,
    utility_space: Option<Figure>,
    concessions: Vec<Figure>,
    trajectories: Vec<Figure>,
    comparison: Option<Figure>,
    robustness: Option<Figure>,
    forecast_shares: Option<Figure>,
    sensitivity: Option<Figure>,
}

impl Figures {
    fn of(r: &StudyReport) -> Self {
        Figures {
            positions: position_map(r),
            utility_space: utility_space(r),
            concessions: concessions(r),
            trajectories: trajectories(r),
            comparison: r.simulation.comparison.ran().and_then(comparison_bars),
            robustness: r.robustness.ran().map(|rb| robustness_bars(rb, &r.nash_counted(&rb.case))),
            forecast_shares: r.robustness.ran().and_then(forecast_shares),
            sensitivity: r.robustness.ran().and_then(sensitivity_tornado),
        }
    }

    fn all(&self) -> Vec<&Figure> {
        let mut out: Vec<&Figure> = Vec::new();
        out.extend(&self.positions);
        out.extend(&self.utility_space);
        out.extend(&self.concessions);
        out.extend(&self.comparison);
        out.extend(&self.trajectories);
        out.extend(&self.robustness);
        out.extend(&self.forecast_shares);
        out.extend(&self.sensitivity);
        out
    }
}

fn contents(r: &StudyReport, f: &Figures) -> Markup {
    let sections: Vec<(&str, String)> = [
        Some(("findings", "Findings".to_string())),
        Some(("scenario", "The scenario".to_string())),
        (r.cases.len() > 1).then(|| ("variants", "What-if variants, side by side".to_string())),
        Some(("deal", "Is there a deal?".to_string())),
        Some(("simulation", "Simulated negotiations".to_string())),
        Some(("comparison", "Protocols and mediator rules over seeds".to_string())),
        (!r.simulation.opening_tests.is_empty()).then(|| ("opening", "Opening-concession test".to_string())),
        Some(("forecast", "Forecasts".to_string())),
        Some(("robustness", "How robust are the findings?".to_string())),
        r.stability.as_ref().map(|_| ("stability", "Stability: which arrangements hold".to_string())),
    ]
    .into_iter()
    .flatten()
    .collect();
    contents_box(&sections, &f.all())
}

fn scenario_section(r: &StudyReport, f: &Figures) -> Markup {
    let s = &r.scenario;
    let spatial: Vec<&detente_study::ActorSummary> = s.actors.iter().filter(|a| !a.positions.is_empty()).collect();
    html! {
        section #scenario {
            h2 { "The scenario" }
            h3 { "Issues" }
            div.scroll { table {
                tr { th { "issue" } th { "kind" } th { "values (place on the 0–100 scale)" } th { "description and sources" } }
                @for i in &s.issues {
                    tr {
                        td { strong { (i.id) } }
                        td { (i.kind) }
                        td { (i.values.iter().map(|v| v.scale.map_or(v.label.clone(), |x| format!("{} ({x:.0})", v.label))).collect::<Vec<_>>().join(" · ")) }
                        td.small { (i.description.as_deref().unwrap_or("")) }
                    }
                }
            } }
            h3 { "Actors" }
            div.scroll { table {
                tr { th { "actor" } th { "role" } th { "must agree" } th.num { "capability" } th.num { "walk-away" } th { "strategy" } th { "description and sources" } }
                @for a in &s.actors {
                    tr {
                        td { strong { (a.id) } br; span.note { (a.name) } }
                        td { (a.role) }
                        td { @if a.required { span.yes { "yes" } } @else { "no" } }
                        td.num { (format!("{:.0}", a.capability)) @if let Some(sp) = &a.capability_spread { br; span.note { (format!("{:.0}–{:.0}", sp.lo, sp.hi)) } } }
                        td.num { (u3(a.reservation)) }
                        td { (a.strategy.as_ref().map_or_else(|| "-".to_string(), ToString::to_string)) }
                        td.small { (a.description.as_deref().unwrap_or("")) }
                    }
                }
            } }
            @if !spatial.is_empty() {
                h3 { "Positions" }
                p.note { "Ideal point (numeric issues in their own units, ordered options on the 0–100 scale) / salience 0–1; a second line gives the stated spread, which the robustness section samples." }
                div.scroll { table {
                    tr { th { "issue" } @for a in &spatial { th.num { (a.id) } } }
                    @for i in &s.issues {
                        tr {
                            td { (i.id) }
                            @for a in &spatial {
                                @match a.positions.iter().find(|p| p.issue == i.id) {
                                    Some(p) => td.num {
                                        (format!("{} / {:.1}", i.format_position(p.ideal), p.salience))
                                        @if let Some(sp) = &p.ideal_spread { br; span.note { (format!("ideal {}–{}", i.format_position(sp.lo), i.format_position(sp.hi))) } }
                                        @if let Some(sp) = &p.salience_spread { br; span.note { (format!("salience {:.2}–{:.2}", sp.lo, sp.hi)) } }
                                    },
                                    None => td.num { "-" },
                                }
                            }
                        }
                    }
                } }
            }
            @let others: Vec<String> = s.actors.iter().filter(|a| a.positions.is_empty()).map(|a| format!("{} ({})", a.id, a.preferences)).collect();
            @if !others.is_empty() { p.note { "Not in the positions table (no positions on a scale): " (others.join(", ")) "." } }
            @if let Some(fig) = &f.positions { (fig.markup()) }
        }
    }
}

fn position_map(r: &StudyReport) -> Option<Figure> {
    let first = r.deal.cases.first();
    let label = format!("Nash deal{}", first.map_or(String::new(), |d| r.nash_counted(&d.case)));
    position_map_of(&r.scenario, r.forecast.cases.first().and_then(|c| c.comparison.as_ref()), first.and_then(|d| d.nash.as_ref()), label)
}

/// `nash_label`: how the Nash deal is named (whom it counts).
fn position_map_of(s: &ScenarioSummary, cmp: Option<&ModelComparison>, nash: Option<&Deal>, nash_label: String) -> Option<Figure> {
    let actors: Vec<String> = s.actors.iter().map(|a| a.id.clone()).collect();
    let issues: Vec<plot::PositionIssue> = s
        .issues
        .iter()
        .filter(|i| i.kind != "categorical")
        .map(|i| {
            let ideals = s
                .actors
                .iter()
                .enumerate()
                .filter_map(|(k, a)| {
                    let p = a.positions.iter().find(|p| p.issue == i.id)?;
                    Some(plot::IdealPoint { actor: k, position: p.ideal_scale, weight: a.capability * p.salience })
                })
                .collect();
            let forecasts = cmp
                .and_then(|c| c.rows.iter().find(|row| row.issue == i.id))
                .map(|row| {
                    vec![
                        plot::ForecastMark { name: "weighted mean".into(), position: i.to_scale(row.mean) },
                        plot::ForecastMark { name: "weighted median".into(), position: i.to_scale(row.median) },
                        plot::ForecastMark { name: "expected utility".into(), position: i.to_scale(row.eu) },
                        plot::ForecastMark { name: "SMP".into(), position: i.to_scale(row.smp) },
                    ]
                })
                .unwrap_or_default();
            let deal = nash.and_then(|d| d.terms.iter().find(|t| t.issue == i.id)).and_then(|t| scale_of(i, &t.value));
            plot::PositionIssue { name: i.id.clone(), ticks: ticks(i), ideals, forecasts, deal }
        })
        .filter(|p| !p.ideals.is_empty())
        .collect();
    if issues.is_empty() {
        return None;
    }
    let caption = format!(
        "Each actor's ideal point per issue (circle area ∝ capability × salience), the forecasts of the four spatial models{}.",
        if nash.is_some() { format!(", and the {nash_label}") } else { String::new() }
    );
    let input = plot::PositionMap { title: format!("Position map: {}", s.id), actors, issues, deal_label: nash_label };
    Some(Figure::new("plot-positions", "Position map", caption, plot::position_map(&input)))
}

fn variants_section(r: &StudyReport) -> Markup {
    if r.cases.len() <= 1 {
        return html! {};
    }
    let deal = |id: &str| r.deal.cases.iter().find(|d| d.case == id);
    let runs = |id: &str| r.simulation.cases.iter().find(|c| c.case == id);
    let fc = |id: &str| r.forecast.cases.iter().find(|c| c.case == id);
    let finding = |id: &str| r.findings.iter().find(|f| f.evidence == format!("variant-{id}"));
    html! {
        section #variants {
            h2 { "What-if variants, side by side" }
            div.scroll { table {
                tr {
                    th { "case" } th { "what it changes" } th { "must agree" } th { "zone" } th.num { "deals in it" }
                    th { "Nash deal" (r.nash_counted(r.cases.first().map_or("base", |c| c.id.as_str()))) }
                    @for p in &r.simulation.protocols { th { (p.label()) } } th { "forecasts" }
                }
                @for c in &r.cases {
                    tr id=(format!("variant-{}", c.id)) {
                        td { strong { (c.id) } @if let Some(t) = &c.title { br; span.note { (t) } } }
                        td.small { @if c.changes.is_empty() { "the base scenario" } @else { (c.changes.join("; ")) } }
                        td { (c.must_agree.join(", ")) }
                        @match deal(&c.id) {
                            Some(d) => {
                                td { @if d.zone_exists { span.yes { "deal" } } @else { span.no { "none" } } }
                                td.num { (d.zone_size.map_or("-".into(), thousands)) }
                                td.small { (nash_vs_base(r, d)) }
                            },
                            None => { td { "-" } td { "-" } td { "-" } },
                        }
                        @for (k, _) in r.simulation.protocols.iter().enumerate() {
                            td.small { (runs(&c.id).and_then(|x| x.runs.get(k)).map_or("-".to_string(), run_cell)) }
                        }
                        td.small {
                            @match fc(&c.id) {
                                Some(x) if x.case == r.cases[0].id => "as shown",
                                Some(x) if x.same_as.is_some() || x.changed.is_empty() => "unchanged",
                                Some(x) => (format!("changed on {}", x.changed.join(", "))),
                                None => "-",
                            }
                        }
                    }
                }
            } }
            @for c in r.cases.iter().skip(1) {
                @if let Some(f) = finding(&c.id) { p { span.tag { (c.id) } " " (f.text) } }
            }
        }
    }
}

fn nash_vs_base(r: &StudyReport, d: &CaseDeal) -> String {
    let base = r.deal.cases.first();
    match (&d.nash, base.and_then(|b| b.nash.as_ref())) {
        (None, _) => "none".into(),
        (Some(_), _) if base.is_some_and(|b| b.case == d.case) => "as shown below".into(),
        (Some(n), Some(b)) => {
            let diff: Vec<String> =
                b.terms.iter().zip(&n.terms).filter(|(x, y)| x.value != y.value).map(|(_, y)| format!("{} {}", y.issue, y.value)).collect();
            if diff.is_empty() {
                "same as base".into()
            } else {
                diff.join(", ")
            }
        }
        (Some(n), None) => n.terms.iter().map(|t| t.value.clone()).collect::<Vec<_>>().join(", "),
    }
}

fn run_cell(run: &Run) -> String {
    if let Some(w) = &run.not_run {
        return format!("not run ({w})");
    }
    match (&run.concessions, run.agreed) {
        (Some(c), true) => format!("deal, round {}", c.agreed_round.unwrap_or(0)),
        _ => "no deal".into(),
    }
}

/// The bargaining solutions side by side: their terms, then what each party gets and gives up.
fn solution_columns(deals: &[(String, &Deal)]) -> Markup {
    deal_columns(&deals.iter().map(|(l, d)| (l.clone(), d.terms.as_slice(), d.parties.as_slice())).collect::<Vec<_>>())
}

/// Deals side by side, issue by issue: `(column label, terms, each party's share)` (shares may
/// be empty, e.g. for a protocol's deal).
fn deal_columns(deals: &[(String, &[Term], &[PartyShare])]) -> Markup {
    let Some((_, first, shares)) = deals.first() else { return html! {} };
    html! {
        div.scroll { table {
            tr { th { "issue" } @for (l, _, _) in deals { th { (l) } } }
            @for (k, t) in first.iter().enumerate() {
                tr { td { (t.issue) } @for (_, d, _) in deals { td { (d.get(k).map_or("-", |x| x.value.as_str())) } } }
            }
            @for (p, share) in shares.iter().enumerate() {
                tr {
                    td.small { (share.party) " utility (gives up)" }
                    @for (_, _, s) in deals { td.num { (s.get(p).map_or("-".into(), |x| format!("{} ({})", u3(x.utility), u3(x.gives_up)))) } }
                }
            }
        } }
    }
}

fn deal_section(r: &StudyReport, f: &Figures) -> Markup {
    let parties = r.deal.cases.first().map(|d| d.parties.join(" · ")).unwrap_or_default();
    let first = r.deal.cases.first();
    let mut deals: Vec<(String, &Deal)> = Vec::new();
    if let Some(d) = first {
        if let Some(n) = &d.nash {
            deals.push(("Nash".into(), n));
        }
        if let Some(k) = &d.kalai_smorodinsky {
            deals.push(("Kalai-Smorodinsky".into(), k));
        }
    }
    html! {
        section #deal {
            h2 { "Is there a deal?" }
            p { "A deal is in the zone of possible agreement when every party that must agree prefers it to walking away. "
                "Nash maximises the product of gains over walking away; Kalai-Smorodinsky gives each party the same share of its possible gain (NegMAS definitions)."
                @if let Some(n) = first.and_then(|d| d.nash_note(r.scenario.mediator.as_deref())) { " " (n) } }
            div.scroll { table {
                tr { th { "case" } th { "must agree" } th { "a deal beats walking away" } th.num { "deals in the zone" } th { "Nash (" (parties) ")" } th { "KS (" (parties) ")" } }
                @for d in &r.deal.cases {
                    tr {
                        td { (d.case) } td { (d.must_agree.join(", ")) }
                        td { @if d.zone_exists { span.yes { "yes" } } @else { span.no { (zone_no(d)) } } }
                        td.num { (d.zone_size.map_or("-".into(), thousands)) }
                        td.num { (d.nash.as_ref().map_or("none".into(), |x| x.parties.iter().map(|p| u3(p.utility)).collect::<Vec<_>>().join(" "))) }
                        td.num { (d.kalai_smorodinsky.as_ref().map_or("none".into(), |x| x.parties.iter().map(|p| u3(p.utility)).collect::<Vec<_>>().join(" "))) }
                    }
                }
            } }
            @for (case, why) in &r.deal.not_analysed { p.note { (case) ": not analysed: " (why) } }
            @if let Some(d) = first { h3 { "The bargaining solutions (" (d.case) ")" } }
            (solution_columns(&deals))
            @if let Some(fig) = &f.utility_space { (fig.markup()) }
            @if let Section::NotRun { reason } = &r.deal.utility_space { p.note { "No utility-space plot: " (reason) } }
        }
    }
}

fn zone_no(d: &CaseDeal) -> String {
    if !d.no_deal_for.is_empty() {
        format!("no: nothing beats walking away for {}", d.no_deal_for.join(", "))
    } else {
        format!("no: closest leaves short {}", d.shortfall.iter().map(|(p, g)| format!("{p} {g:.3}")).collect::<Vec<_>>().join(", "))
    }
}

fn utility_space(r: &StudyReport) -> Option<Figure> {
    let case = r.cases.first().map_or("base", |c| c.id.as_str());
    utility_space_of(r.deal.utility_space.ran()?, case, &r.nash_counted(case))
}

/// `counted`: whom the bargaining solutions count beyond the two parties (` (mediator counted)`).
fn utility_space_of(u: &UtilitySpace, case: &str, counted: &str) -> Option<Figure> {
    if u.bins != BINS_PER_AXIS {
        return None;
    }
    let input = plot::UtilitySpace {
        title: format!("Utility space: {} and {}", u.x_party, u.y_party),
        party_a: u.x_party.clone(),
        party_b: u.y_party.clone(),
        outcomes: Vec::new(),
        density: Some(u.counts.clone()),
        frontier: u.frontier.clone(),
        reservation_a: Some(u.x_reservation),
        reservation_b: Some(u.y_reservation),
        marks: u.marks.iter().map(|m| plot::MarkedPoint { name: m.label.clone(), utility_a: m.x, utility_b: m.y }).collect(),
    };
    Some(Figure::new(
        "plot-utility-space",
        "Utility space",
        format!(
            "Every possible deal as utility to {} (x) and {} (y), darker where more deals fall; their own Pareto frontier; \
             their walk-away values; the bargaining solutions{} and each protocol's deal ({} case).",
            u.x_party, u.y_party, counted, case
        ),
        plot::utility_space(&input),
    ))
}

fn concessions(r: &StudyReport) -> Vec<Figure> {
    let Some(c) = r.simulation.cases.first() else { return Vec::new() };
    c.runs
        .iter()
        .filter_map(|run| {
            let con = run.concessions.as_ref()?;
            let id = if run.protocol == detente_study::StudyProtocol::JointTable {
                "plot-concession".to_string()
            } else {
                format!("plot-concession-{}", slug(run.protocol.label()))
            };
            Some(concession_figure(con, id, run.protocol.label(), &c.case, &run.summary))
        })
        .collect()
}

fn concession_figure(con: &Concessions, id: String, label: &str, case: &str, summary: &str) -> Figure {
    let texts = con.kind == "texts";
    let parties = con
        .curves
        .iter()
        .zip(&con.reservations)
        .map(|(curve, &res)| {
            let pts: Vec<(f64, f64)> = curve.points.iter().map(|&(t, u)| (f64::from(t), u)).collect();
            plot::ConcessionSeries {
                party: curve.party.clone(),
                own_offers: if texts { Vec::new() } else { pts.clone() },
                standing_text: if texts { pts } else { Vec::new() },
                reservation: Some(res),
            }
        })
        .collect();
    let input = plot::ConcessionCurves {
        title: format!("Concessions: {label} ({case})"),
        parties,
        agreement_round: con.agreed_round.map(f64::from),
    };
    let what = if texts {
        "the utility to each party of the last text the mediator put forward in each round"
    } else {
        "each party's offers in its own utility"
    };
    Figure::new(
        id,
        format!("Concessions, {label}"),
        format!("{label}: {what}, round by round, with each walk-away value; {summary}."),
        plot::concession_curves(&input),
    )
}

fn runs_table(c: &CaseRuns, actors: &[String]) -> Markup {
    let mediator = c.runs.iter().find_map(|r| r.mediator.as_ref());
    let measured = c.runs.iter().find_map(|r| r.quality.as_ref()).map(|q| q.parties.join(", "));
    html! {
        div.scroll { table {
            tr {
                th { "protocol" } th { "result" } @for a in actors { th.num { (a) } } th.num { "to Pareto" } th.num { "to Nash" }
                @if let Some(m) = mediator { th.num { (m.actor) " gain" } }
            }
            @for run in &c.runs {
                tr {
                    td { (run.protocol.label()) }
                    td { @if run.agreed { span.yes { (run.summary) } } @else { (run.summary) } }
                    @for a in actors { td.num { (run.utilities.iter().find(|(x, _)| x == a).map_or("-".into(), |(_, u)| u3(*u))) } }
                    td.num { (run.quality.as_ref().and_then(|q| q.pareto_distance).map_or("-".into(), u3)) }
                    td.num { (run.quality.as_ref().and_then(|q| q.nash_distance).map_or("-".into(), u3)) }
                    @if mediator.is_some() { td.num { (run.mediator.as_ref().and_then(|m| m.over_nash).map_or("-".into(), signed)) } }
                }
            }
        } }
        @if let Some(who) = measured {
            p.note {
                "To Pareto / to Nash: distance in the utility space of the parties that must agree (" (who) "), to their frontier and their Nash point."
                @if let Some(m) = mediator {
                    " " (m.actor) " gain: the mediator's utility minus its utility at the Nash deal of the parties that must agree"
                    @if let Some(a) = m.at_nash { " (" (u3(a)) ")" }
                    ": the price of its bias (mediated runs)."
                }
            }
        }
    }
}

fn simulation_section(r: &StudyReport, f: &Figures) -> Markup {
    let actors: Vec<String> = r.scenario.actors.iter().map(|a| a.id.clone()).collect();
    html! {
        section #simulation {
            h2 { "Simulated negotiations" }
            p { "Each protocol with every party's default strategy, the scenario's deadline and mediator, seed " (r.simulation.seed) ". "
                "Utilities are of the deal, or each actor's walk-away value without one; to Pareto / to Nash: distance in utility space to the nearest point of the rational Pareto frontier and to the Nash point of the parties that must agree. "
                "Cases with identical results are shown once." }
            @for c in r.simulation.cases.iter().filter(|c| c.same_as.is_none()) {
                h3 { (crate::same_group(&c.case, r.simulation.cases.iter().map(|x| (x.case.as_str(), x.same_as.as_deref()))).join(", ")) }
                @if let Some(e) = &c.error { p.note { (e) } } @else {
                    (runs_table(c, &actors))
                    @let deals: Vec<(String, &[Term], &[PartyShare])> = c.runs.iter().filter_map(|x| x.deal.as_deref().map(|t| (x.protocol.label().to_string(), t, &[][..]))).collect();
                    (deal_columns(&deals))
                }
            }
            @if !f.concessions.is_empty() {
                h3 { "Concessions over the rounds (" (r.simulation.cases.first().map_or("", |c| c.case.as_str())) ")" }
                div.grid { @for fig in &f.concessions { (fig.markup()) } }
            }
        }
    }
}

fn opening_section(r: &StudyReport) -> Markup {
    if r.simulation.opening_tests.is_empty() {
        return html! {};
    }
    html! {
        section #opening {
            h2 { "Opening-concession test" }
            @for t in &r.simulation.opening_tests {
                @match t {
                    Section::Ran(t) => {
                        h3 id=(format!("opening-{}", t.variant)) { (t.title.as_deref().unwrap_or(&t.variant)) }
                        p { "The joint table with and without the variant's opening (" (t.concessions.join("; ")) "). The conceding side keeps its strategy; the others play "
                            code { "refdep" } ", whose aspiration rises with the other side's early generosity — the mechanism the claim names. A final demand is a party's last offer, in its own utility." }
                        table {
                            tr { th { "party" } th.num { "demand without" } th.num { "with the concession" } th { "what changed" } }
                            @for d in &t.demands {
                                tr {
                                    td { (d.party) }
                                    td.num { (d.without.map_or("-".into(), u3)) }
                                    td.num { (d.with.map_or("-".into(), u3)) }
                                    td.small { @if d.changes.is_empty() { "(same demand)" } @else { (d.changes.iter().map(|c| format!("{}: {} → {}", c.issue, c.from, c.to)).collect::<Vec<_>>().join("; ")) } }
                                }
                            }
                        }
                        p.note { "Without: " (t.without) ". With: " (t.with) "." }
                    },
                    Section::NotRun { reason } => { p.note { "Not run: " (reason) } },
                }
            }
        }
    }
}

fn trajectories(r: &StudyReport) -> Vec<Figure> {
    trajectories_of(&r.forecast.trajectories, &r.scenario.issues)
}

fn trajectories_of(trajectories: &[IssueTrajectory], issues: &[IssueSummary]) -> Vec<Figure> {
    trajectories
        .iter()
        .map(|t| {
            let issue = issues.iter().find(|i| i.id == t.issue);
            // the study reports in the issue's units; the plot places them on its 0–100 scale
            let on_scale = |x: f64| issue.map_or(x, |i| i.to_scale(x));
            let actors = t
                .actors
                .iter()
                .enumerate()
                .map(|(k, a)| plot::ActorPath {
                    actor: a.clone(),
                    positions: t
                        .positions
                        .iter()
                        .enumerate()
                        .filter_map(|(round, xs)| xs.get(k).map(|&x| (round as f64, on_scale(x))))
                        .collect(),
                })
                .collect();
            let bands = t
                .bands
                .as_ref()
                .map(|b| {
                    b.iter()
                        .enumerate()
                        .map(|(round, q)| {
                            // a reversed scale turns the quantiles around
                            let mut q = q.map(on_scale);
                            q.sort_by(f64::total_cmp);
                            plot::BandPoint { round: round as f64, p5: q[0], p25: q[1], p75: q[3], p95: q[4] }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let input = plot::Trajectory {
                title: format!("Expected-utility rounds: {}", t.issue),
                issue: t.issue.clone(),
                ticks: issue.map(ticks).unwrap_or_default(),
                actors,
                forecast: t.forecast.iter().enumerate().map(|(round, &x)| (round as f64, on_scale(x))).collect(),
                forecast_label: "forecast".into(),
                bands,
            };
            Figure::new(
                format!("plot-trajectory-{}", slug(&t.issue)),
                format!("Forecast rounds: {}", t.issue),
                format!(
                    "{}: each actor's position round by round under the expected-utility model, the forecast{}.",
                    t.issue,
                    if t.bands.is_some() { " with its Monte Carlo bands (5–95 % and 25–75 % over the robustness runs)" } else { "" }
                ),
                plot::trajectory(&input),
            )
        })
        .collect()
}

fn forecast_section(r: &StudyReport, f: &Figures) -> Markup {
    let fs = &r.forecast;
    html! {
        section #forecast {
            h2 { "Forecasts: spatial bargaining models" }
            p { "Where each issue settles, in each issue's units: the capability × salience weighted mean and median (baselines that match or beat the models on EU legislative data), "
                "Bueno de Mesquita's expected-utility model (Scholz reconstruction, preset " (fs.eu_preset) ": final median and final mean), KTAB's Spatial Model of Politics and Stokman & Van Oosten's exchange model (package deals; trades listed below the table)." }
            @for (a, why) in &fs.left_out { p.note { (a) " is left out: " (why) "." } }
            @if let Some(note) = &fs.salience_note { p.note { "Note: " (note) "." } }
            @for c in fs.cases.iter().filter(|c| c.same_as.is_none()) {
                h3 { (crate::same_group(&c.case, fs.cases.iter().map(|x| (x.case.as_str(), x.same_as.as_deref()))).join(", ")) }
                @match &c.comparison {
                    Some(cmp) => (comparison_table(cmp, &c.changed, &r.scenario.issues)),
                    None => p.note { "No forecast: " (c.error.as_deref().unwrap_or("?")) },
                }
            }
            @if let Some(first) = fs.presets.first() {
                h3 { "The expected-utility model under each preset (" (fs.cases.first().map_or("", |c| c.case.as_str())) ")" }
                p.note { "The model's published descriptions leave choices open; each preset is one reading that reproduces a published code (docs/forecasting.md). Final median and nearest option." }
                div.scroll { table {
                    tr { th { "issue" } @for p in &fs.presets { th { (p.preset) } } }
                    @for (k, (issue, _, _)) in first.issues.iter().enumerate() {
                        tr {
                            td { (issue) }
                            @for p in &fs.presets {
                                td { (p.issues.get(k).map_or("-".into(), |(_, x, o)| format!("{x:.0} {}", o.as_deref().unwrap_or("")))) }
                            }
                        }
                    }
                } }
            }
            @if !f.trajectories.is_empty() {
                h3 { "The expected-utility model round by round (" (fs.cases.first().map_or("", |c| c.case.as_str())) ")" }
                div.grid { @for fig in &f.trajectories { (fig.markup()) } }
            }
        }
    }
}

fn mean_sd(x: Option<detente_study::Summary>) -> String {
    x.map_or("-".into(), |x| format!("{:.3}±{:.3}", x.mean, x.sd))
}

fn comparison_section(r: &StudyReport, f: &Figures) -> Markup {
    html! {
        section #comparison {
            h2 { "Protocols and mediator rules over seeds" }
            @match &r.simulation.comparison {
                Section::NotRun { reason } => p.note { "Not run: " (reason) "." },
                Section::Ran(c) => {
                    p { (c.seeds) " seeds per protocol and mediator rule on " (c.case) " (" (c.deadline) " rounds, default strategies); each run's seed is derived from seed "
                        (c.seed) " and the run's protocol, rule and index, so the arms are independent samples. "
                        "Deal: share of seeds with a deal and its 95 % Wilson interval. " (c.parties.join(", ")) ": mean ± sd of the utility over every seed (the walk-away value without a deal). "
                        "To Pareto, to Nash: mean ± sd of the distance from the frontier and the Nash point of the parties that must agree over the deals, with the interquartile range of the first."
                        @if let Some(m) = &c.mediator { " " (m) " gain: the mediator's utility minus its utility at the Nash deal of the parties that must agree, over the deals: the price of its bias." } }
                    div.scroll { table {
                        tr {
                            th { "protocol" } th { "rule" } th.num { "deal" } th.num { "95 % interval" }
                            @for p in &c.parties { th.num { (p) } }
                            th.num { "to Pareto" } th.num { "its IQR" } th.num { "to Nash" }
                            @if let Some(m) = &c.mediator { th.num { (m) " gain" } }
                            th.num { "distinct deals" } th.num { "rounds" }
                        }
                        @for a in &c.arms {
                            tr {
                                td { (a.arm.protocol_label()) } td { (a.arm.rule.map_or("-", |r| r.as_str())) }
                                @if let Some(why) = &a.not_run { td colspan="9" { "not run: " (why) } } @else {
                                    td.num { (percent(a.agreed.p)) " (" (a.deals) "/" (a.runs) ")" } td.num { (format!("{:.0}–{:.0} %", a.agreed.lo * 100.0, a.agreed.hi * 100.0)) }
                                    @for p in &c.parties { td.num { (mean_sd(a.utilities.iter().find(|u| &u.actor == p).map(|u| u.utility))) } }
                                    td.num { (mean_sd(a.pareto_distance)) }
                                    td.num { (a.pareto_distance.map_or("-".into(), |d| format!("{:.3}–{:.3}", d.q1, d.q3))) }
                                    td.num { (mean_sd(a.nash_distance)) }
                                    @if c.mediator.is_some() { td.num { (a.mediator_gain.map_or("-".into(), |g| format!("{}±{:.3}", signed(g.mean), g.sd))) } }
                                    td.num { (a.distinct_deals) } td.num { (a.rounds.map_or("-".into(), |x| format!("{:.1}", x.mean))) }
                                }
                            }
                        }
                    } }
                    @let borne: Vec<&detente_study::Contrast> = c.contrasts.iter().filter(|x| x.borne_out).collect();
                    @if !borne.is_empty() {
                        p.note { "Differences in the share of deals whose 95 % interval (Newcombe, independent samples) excludes zero: "
                            (borne.iter().map(|x| format!("{} over {} ({:+.0} points, {:.0} to {:.0})", x.a.label(), x.b.label(), x.difference * 100.0, x.lo * 100.0, x.hi * 100.0)).collect::<Vec<_>>().join("; ")) "." }
                    }
                    @if let Some(fig) = &f.comparison { (fig.markup()) }
                },
            }
        }
    }
}

fn comparison_bars(c: &detente_study::Comparison) -> Option<Figure> {
    let mut groups: Vec<plot::BarGroup> = Vec::new();
    for a in c.arms.iter().filter(|a| a.not_run.is_none()) {
        let bar = plot::Bar {
            label: a.arm.rule.map_or_else(|| "no mediator".to_string(), |r| r.as_str().to_string()),
            value: a.agreed.p,
            interval: Some((a.agreed.lo, a.agreed.hi)),
        };
        match groups.last_mut() {
            Some(g) if g.heading.as_deref() == Some(a.arm.protocol_label()) => g.bars.push(bar),
            _ => groups.push(plot::BarGroup { heading: Some(a.arm.protocol_label().to_string()), bars: vec![bar] }),
        }
    }
    if groups.is_empty() {
        return None;
    }
    let input = plot::Bars { title: format!("Share of {} seeds with a deal", c.seeds), groups };
    Some(Figure::new(
        "plot-comparison",
        "Protocols and mediator rules over seeds",
        format!(
            "Share of {} seeds in which each protocol under each mediator rule reaches a deal on {}, with 95 % Wilson intervals.",
            c.seeds, c.case
        ),
        plot::bars(&input),
    ))
}

/// `counted`: whom the Nash deal counts beyond the parties that must agree (` (mediator counted)`).
fn robustness_bars(rb: &Robustness, counted: &str) -> Figure {
    let bar = |label: String, p: &detente_study::Probability| plot::Bar { label, value: p.p, interval: Some((p.lo, p.hi)) };
    let mut first =
        vec![bar("a deal beats walking away".into(), &rb.zone), bar(format!("the Nash deal{counted} as stated"), &rb.nash_unchanged)];
    first.extend(rb.protocols.iter().map(|c| bar(format!("{} reaches a deal", c.protocol.label()), &c.deal)));
    let mut groups = vec![plot::BarGroup { heading: Some("Findings".into()), bars: first }];
    for o in rb.nash.iter().filter(|o| o.shares.first().is_some_and(|(x, p)| *p < 0.99 || o.stated.as_ref() != Some(x))) {
        groups.push(plot::BarGroup {
            heading: Some(format!("Nash deal{counted}: {}", o.issue)),
            bars: o.shares.iter().map(|(x, p)| plot::Bar { label: x.clone(), value: *p, interval: None }).collect(),
        });
    }
    let input = plot::Bars { title: format!("Robustness over {} runs", rb.runs), groups };
    Figure::new(
        "plot-robustness",
        "Robustness of the findings",
        format!(
            "Share of {} draws of the stated input spreads in which each finding holds, with 95 % intervals (seed {}).",
            rb.runs, rb.seed
        ),
        plot::bars(&input),
    )
}

fn forecast_shares(rb: &Robustness) -> Option<Figure> {
    let groups: Vec<plot::BarGroup> = rb
        .forecast
        .iter()
        .filter(|o| o.shares.first().is_some_and(|(_, p)| *p < 0.99))
        .map(|o| plot::BarGroup {
            heading: Some(format!("{} (stated: {})", o.issue, o.stated.as_deref().unwrap_or("-"))),
            bars: o.shares.iter().map(|(x, p)| plot::Bar { label: x.clone(), value: *p, interval: None }).collect(),
        })
        .collect();
    if groups.is_empty() {
        return None;
    }
    let input = plot::Bars { title: "Expected-utility forecast: how often each option comes out".into(), groups };
    Some(Figure::new(
        "plot-forecast-options",
        "Forecast options under uncertainty",
        "The expected-utility forecast's nearest option over the robustness runs, for the issues where it is not settled (no option in 99 % of runs).",
        plot::bars(&input),
    ))
}

fn sensitivity_tornado(rb: &Robustness) -> Option<Figure> {
    let base = rb.sensitivity.first().and_then(|x| x.zone_size[1])? as f64;
    let rows: Vec<plot::TornadoRow> = rb
        .sensitivity
        .iter()
        .filter_map(|x| match x.zone_size {
            [Some(a), _, Some(b)] if a != b || (a as f64) != base => {
                Some(plot::TornadoRow { label: format!("{} ({}–{})", x.input, trim(x.low), trim(x.high)), low: a as f64, high: b as f64 })
            }
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let input = plot::Tornado {
        title: "How the zone of agreement moves with each input".into(),
        x_label: "deals that beat walking away for every party that must agree".into(),
        base,
        low_label: "input at the low end".into(),
        high_label: "input at the high end".into(),
        rows,
    };
    Some(Figure::new(
        "plot-sensitivity",
        "Sensitivity of the zone",
        "One input at a time at each end of its stated range, the others as stated: the size of the zone of agreement.",
        plot::tornado(&input),
    ))
}

fn trim(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

fn robustness_section(r: &StudyReport, f: &Figures) -> Markup {
    html! {
        section #robustness {
            h2 { "How robust are the findings?" }
            @match &r.robustness {
                Section::NotRun { reason } => p.note { "Not run: " (reason) "." },
                Section::Ran(rb) => {
                    p { "Every number in the scenario is an assumption. Here every stated spread (" (rb.inputs.len()) " inputs) is drawn together, "
                        (rb.runs) " times (seed " (rb.seed) ", case " (rb.case) "), and every lens runs again on each draw." }
                    div.scroll { table {
                        tr { th { "finding" } th.num { "share of runs" } th.num { "95 % interval" } th { "with the stated inputs" } }
                        tr { td { "a deal beats walking away" } td.num { (percent(rb.zone.p)) } td.num { (interval(&rb.zone)) } td { "" } }
                        tr { td { "the Nash deal" (r.nash_counted(&rb.case)) " as stated" } td.num { (percent(rb.nash_unchanged.p)) } td.num { (interval(&rb.nash_unchanged)) } td { "" } }
                        @for c in &rb.protocols {
                            tr { td { (c.protocol.label()) " reaches a deal" } td.num { (percent(c.deal.p)) } td.num { (interval(&c.deal)) } td { @if c.stated { "deal" } @else { "no deal" } } }
                        }
                    } }
                    @if let Some([a, m, b]) = rb.zone_size { p.note { "Deals in the zone over the runs: median " (thousands(m as u64)) ", 5–95 % " (thousands(a as u64)) "–" (thousands(b as u64)) "." } }
                    @if let Some(fig) = &f.robustness { (fig.markup()) }
                    @if let Some(fig) = &f.forecast_shares { (fig.markup()) }
                    h3 { "One input at a time" }
                    p.note { "Each uncertain input at both ends of its stated range, the others as stated." }
                    div.scroll { table {
                        tr { th { "input" } th.num { "range" } th.num { "zone at low / stated / high" } th { "what changes" } }
                        @for x in &rb.sensitivity {
                            tr {
                                td { (x.input) }
                                td.num { (trim(x.low)) "–" (trim(x.high)) }
                                td.num { (x.zone_size.iter().map(|z| z.map_or("-".into(), thousands)).collect::<Vec<_>>().join(" / ")) }
                                td.small { @if x.changes.is_empty() { "nothing" } @else { (x.changes.join("; ")) } }
                            }
                        }
                    } }
                    @if let Some(fig) = &f.sensitivity { (fig.markup()) }
                },
            }
        }
    }
}

fn interval(p: &detente_study::Probability) -> String {
    format!("{:.1}–{:.1} %", p.lo * 100.0, p.hi * 100.0)
}

fn comparison_table(cmp: &ModelComparison, changed: &[String], issues: &[IssueSummary]) -> Markup {
    let x = |issue: &str, v: f64| issues.iter().find(|i| i.id == issue).map_or_else(|| format!("{v:.1}"), |i| i.format_forecast(v));
    html! {
        div.scroll { table {
            tr { th { "issue" } th.num { "mean" } th.num { "median" } th.num { "EU" } th.num { "EU mean" } th.num { "SMP" } th.num { "exchange" } th { "EU option" } }
            @for row in &cmp.rows {
                tr {
                    td { (row.issue) @if changed.contains(&row.issue) { " " span.tag { "changed" } } }
                    td.num { (x(&row.issue, row.mean)) } td.num { (x(&row.issue, row.median)) } td.num { (x(&row.issue, row.eu)) }
                    td.num { (row.eu_mean.map_or(String::new(), |v| x(&row.issue, v))) } td.num { (x(&row.issue, row.smp)) }
                    td.num { (x(&row.issue, row.exchange)) }
                    td { (row.options.as_ref().map_or(String::new(), |o| o[2].clone())) }
                }
            }
            @for (issue, why) in &cmp.skipped { tr { td { (issue) } td colspan="7" { "skipped: " (why) } } }
        } }
        @if let Some(run) = &cmp.exchange {
            @let trades = run.trades();
            @if trades.is_empty() {
                p { "The exchange model finds no trade that both sides gain from." }
            } @else {
                p { "Trades the exchange model predicts (Equal Gain, highest gain first in each round):" }
                ul { @for t in &trades { li { (t) } } }
            }
        }
    }
}

/// `detente negotiate --html`: one negotiation — the deal, what each actor gets, how far the
/// result is from the frontier, and each party's concessions over the rounds.
pub fn negotiation(r: &NegotiationReport, scenario: &ScenarioSummary, source: &str) -> String {
    let figure = concession_figure(
        &r.concessions,
        "plot-concession".into(),
        &format!("{}{}", r.protocol, r.mediator_rule.map_or(String::new(), |m| format!(", {m} mediator"))),
        &scenario.id,
        &r.summary,
    );
    let who: Vec<String> = r.parties.iter().map(|p| format!("{} ({})", p.actor, p.negotiator)).collect();
    let body = html! {
        (contents_box(&[("negotiation", "The negotiation".to_string())], &[&figure]))
        section #negotiation {
            h2 { "The negotiation" }
            p { "Protocol " strong { (r.protocol) } @if let Some(m) = r.mediator_rule { " with a " (m) " mediator" @match r.knowledge { Some("votes") => " that knows only the parties' votes and counter-proposals", Some("omniscient") => " that knows every party's utility (a benchmark)", _ => "" } } "; deadline " (r.deadline) " rounds; seed " (r.seed) ". Parties: " (who.join(", ")) "." }
            @for (a, why) in &r.left_out { p.note { (a) " is left out: " (why) "." } }
            p { strong { (r.summary) } @if let Some(t) = r.texts { " Texts put to the parties: " (t.proposed) ", accepted: " (t.accepted) "." } }
            @if let Some(why) = &r.why { p { "Why: " (why) } }
            @if let Some(learnt) = &r.learnt {
                p { "What the mediator learnt from the votes — how well its estimate orders the outcomes as each party does (Spearman's ρ; 1 exactly, 0 no better than chance): "
                    (learnt.iter().map(|g| format!("{} {:.2}", g.party, g.rank_correlation)).collect::<Vec<_>>().join(", ")) "." }
            }
            @if let Some(deal) = &r.deal {
                h3 { "The deal" }
                table { tr { th { "issue" } th { "option" } } @for t in deal { tr { td { (t.issue) } td { (t.value) } } } }
            }
            h3 { "What each actor gets" }
            table {
                tr { th { "actor" } th { "role" } th.num { "utility" } th.num { "walk-away" } th.num { "margin" } th { "must agree" } }
                @for a in &r.utilities {
                    tr { td { (a.actor) } td { (a.role) } td.num { (u3(a.utility)) } td.num { (u3(a.reservation)) } td.num { (u3(a.margin)) } td { @if a.required { "yes" } @else { "no" } } }
                }
            }
            @match (&r.quality, &r.quality_error) {
                (Some(q), _) => p.note {
                    "Distance in the utility space of the parties that must agree (" (q.measures.parties.join(", ")) ") from the result to their Pareto frontier "
                    (q.measures.pareto_distance.map_or("-".into(), u3)) ", to their Nash point " (q.measures.nash_distance.map_or("-".into(), u3))
                    ", to Kalai-Smorodinsky " (q.measures.ks_distance.map_or("-".into(), u3)) " (" (q.semantics) " definitions)."
                    @for o in &q.measures.outside {
                        " " (o.actor)
                        @if r.mediator.as_ref().is_some_and(|m| m.actor == o.actor) { " (the mediator)" }
                        " gets " (u3(o.utility))
                        @if let (Some(a), Some(d)) = (o.at_nash, o.over_nash) {
                            ", " (u3(a)) " at their Nash deal (" (signed(d))
                            @if r.mediator.as_ref().is_some_and(|m| m.actor == o.actor) { ": the price of its bias" }
                            ")"
                        }
                        "."
                    }
                },
                (None, e) => p.note { "Quality not measured: " (e.as_deref().unwrap_or("no analysis")) },
            }
            (figure.markup())
        }
    };
    page("negotiation", scenario, source, "", body)
}

/// `detente analyze --html`: the zone, the bargaining solutions and the utility space.
pub fn analysis(p: &DealPage, source: &str) -> String {
    let d = &p.deal;
    let figure = p.utility_space.ran().and_then(|u| utility_space_of(u, &d.case, &d.nash_counted(p.scenario.mediator.as_deref())));
    let mut deals: Vec<(String, &Deal)> = Vec::new();
    deals.extend(d.nash.as_ref().map(|x| ("Nash".to_string(), x)));
    deals.extend(d.kalai_smorodinsky.as_ref().map(|x| ("Kalai-Smorodinsky".to_string(), x)));
    let plots: Vec<&Figure> = figure.iter().collect();
    let body = html! {
        (contents_box(&[("deal", "Is there a deal?".to_string())], &plots))
        section #deal {
            h2 { "Is there a deal?" }
            p {
                "Must agree: " (d.must_agree.join(", ")) ". "
                @if d.zone_exists { span.yes { "A deal beats walking away for every one of them" } } @else { span.no { (zone_no(d)) } }
                @if let Some(n) = d.zone_size { ": " (thousands(n)) " of " (d.outcomes) " possible deals do" } "."
            }
            p.note { "Nash maximises the product of gains over walking away; Kalai-Smorodinsky gives each party the same share of its possible gain (NegMAS definitions); "
                (d.frontier_size) " points on the Pareto frontier of " (d.parties.join(", ")) "." }
            (solution_columns(&deals))
            @if let Some(f) = &figure { (f.markup()) }
            @if let Section::NotRun { reason } = &p.utility_space { p.note { "No utility-space plot: " (reason) } }
        }
    };
    page("analysis", &p.scenario, source, &d.case, body)
}

/// `detente forecast --html`: every model beside the baselines, the position map and the
/// expected-utility rounds.
pub fn forecast(p: &ForecastPage, source: &str) -> String {
    let f = &p.forecast;
    let map = position_map_of(&p.scenario, f.cases.first().and_then(|c| c.comparison.as_ref()), None, "Nash deal".into());
    let rounds = trajectories_of(&f.trajectories, &p.scenario.issues);
    let mut plots: Vec<&Figure> = map.iter().collect();
    plots.extend(rounds.iter());
    let body = html! {
        (contents_box(&[("forecast", "Forecasts".to_string())], &plots))
        section #forecast {
            h2 { "Forecasts: spatial bargaining models" }
            p { "Where each issue settles, in each issue's units: the capability × salience weighted mean and median, "
                "Bueno de Mesquita's expected-utility model (Scholz reconstruction, preset " (f.eu_preset) "), KTAB's Spatial Model of Politics and Stokman & Van Oosten's exchange model." }
            @for (a, why) in &f.left_out { p.note { (a) " is left out: " (why) "." } }
            @for c in &f.cases {
                @match &c.comparison {
                    Some(cmp) => (comparison_table(cmp, &[], &p.scenario.issues)),
                    None => p.note { "No forecast: " (c.error.as_deref().unwrap_or("?")) },
                }
            }
            @if let Some(m) = &map { (m.markup()) }
            div.grid { @for fig in &rounds { (fig.markup()) } }
        }
    };
    page("forecast", &p.scenario, source, f.cases.first().map_or("", |c| c.case.as_str()), body)
}

/// The stability lens on the scenario's conflict: the equilibria with their options, the
/// results per state for the equilibria, the status-quo paths and why each equilibrium holds.
fn stability_section(r: &StudyReport) -> Markup {
    use detente_conflict::Concept;
    let Some(st) = &r.stability else { return html! {} };
    let shown = crate::conflict::Shown::all(st);
    let eq = crate::conflict::equilibrium_states(st, &st.concepts);
    let main = crate::conflict::equilibrium_states(st, &[Concept::Nash, Concept::Seq]);
    html! {
        section #stability {
            h2 { "Stability: which arrangements hold" }
            p { "The scenario's conflict as a graph model: each side holds yes/no options, a state says which are taken, and a side leaves a state only for one it prefers. A state is stable for a side when it cannot gain by leaving (Nash) or every gain can be answered by the others (GMR, SMR, SEQ; SIM for simultaneous answers); an equilibrium is stable for every side. "
                (st.states.len()) " feasible states of " (st.options.len()) " options." }
            table {
                tr {
                    th.num { "state" } th { "Y/N" } th { "options taken" }
                    @for c in &shown.concepts { th { (c.name()) } }
                }
                @for &s in &eq {
                    tr {
                        td.num { (s) }
                        td { code { (st.states[s - 1].label) } }
                        td.small { (st.states[s - 1].name) }
                        @for &c in &shown.concepts {
                            td {
                                (shown.dms.iter().map(|&d| if st.stable_states(d, c).binary_search(&s).is_ok() { '+' } else { '·' }).collect::<String>())
                                @if st.equilibria(c).binary_search(&s).is_ok() { " E" }
                            }
                        }
                    }
                }
            }
            p.note { "Rows: the states that are an equilibrium under some concept. Marks per decision maker in order (" (st.dms.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", ")) "): + stable, · not; E: an equilibrium. Options in Y/N order: " (st.options.join(", ")) "." }
            @if let Some(q) = &st.status_quo {
                h3 { "From the status quo" }
                @for line in crate::conflict::status_quo(st, q, &[Concept::Nash, Concept::Seq]).lines() {
                    p.small { (line.trim()) }
                }
            }
            h3 { "What deters each side from leaving" }
            @for line in crate::conflict::explanations(st, &shown, &main).split("\n- ") {
                @let line = line.trim().trim_start_matches("- ");
                @if !line.is_empty() { p.small { (line.split_whitespace().collect::<Vec<_>>().join(" ")) } }
            }
        }
    }
}

/// `detente tournament report DIR --html FILE`: a tournament's summary as one page — the
/// standings in words, the scores with their intervals and the agreement rates as plots, and
/// the standings, significant differences and scenarios as tables.
pub fn tournament(s: &detente_tournament::Summary, source: &str) -> String {
    use crate::tournament::{estimate as est, lead, num as opt, rate};
    let standings = s.standings();
    // a bar spans 0–1: the score is a share of the possible gain (clipped, and said so)
    let clip = |x: f64| x.clamp(0.0, 1.0);
    let clipped = standings.iter().any(|n| n.scores.mean.is_some_and(|m| !(0.0..=1.0).contains(&m)));
    let score_bars = plot::Bars {
        title: "Score: share of the possible gain over walking away".into(),
        groups: vec![plot::BarGroup {
            heading: None,
            bars: standings
                .iter()
                .filter_map(|n| {
                    let m = n.scores.mean?;
                    let interval = n.scores.ci.map(|ci| (clip(m - ci), clip(m + ci)));
                    Some(plot::Bar { label: n.negotiator.clone(), value: clip(m), interval })
                })
                .collect(),
        }],
    };
    let agreement_bars = plot::Bars {
        title: "Agreement rate".into(),
        groups: vec![plot::BarGroup {
            heading: None,
            bars: standings
                .iter()
                .filter_map(|n| Some(plot::Bar { label: n.negotiator.clone(), value: n.agreement_rate?, interval: None }))
                .collect(),
        }],
    };
    let scores = Figure::new(
        "plot-scores",
        "Scores with 95% intervals",
        format!(
            "Each negotiator's score — NegMAS's tournament score, the mean over every seat it played of (utility − walk-away)/(best − walk-away) — with its 95% interval (Student t){}.",
            if clipped { "; bars are clipped to 0–100%" } else { "" }
        ),
        plot::bars(&score_bars),
    );
    let agreements = Figure::new(
        "plot-agreements",
        "Agreement rates",
        "Share of each negotiator's seats whose negotiation ended in a deal (refused negotiations aside).",
        plot::bars(&agreement_bars),
    );
    let plots = [&scores, &agreements];
    let significant: Vec<_> = s.pairs.iter().filter(|p| p.test.as_ref().is_some_and(|t| t.significant)).collect();
    let body = html! {
        (contents_box(&[("standings", "Standings".to_string()), ("pairs", "Significant differences".to_string()), ("scenarios", "Scenarios".to_string())], &plots))
        section #standings {
            h2 { "Standings" }
            p { (lead(s)) }
            (scores.markup())
            table {
                thead { tr { th { "rank" } th { "negotiator" } th { "score ± 95% CI" } th { "utility" } th { "advantage" } th { "agreed" } th { "seats" } th { "errored" } } }
                tbody {
                    @for n in &standings {
                        tr {
                            td { (n.rank.map_or_else(|| "-".to_string(), |r| r.to_string())) }
                            td { (n.negotiator) }
                            td { (est(&n.scores)) }
                            td { (est(&n.utility)) }
                            td { (est(&n.advantage)) }
                            td { (rate(n.agreement_rate)) }
                            td { (thousands(n.seats)) }
                            td { (thousands(n.statuses.errored)) }
                        }
                    }
                }
            }
            p.note { "Advantage: utility − walk-away value. Errored negotiations count at the walk-away value, refused ones in no mean." }
            (agreements.markup())
        }
        section #pairs {
            h2 { "Significant differences" }
            @if significant.is_empty() {
                p { "No difference of scores is significant at 0.05 (Welch's t, Holm-adjusted over the pairs tested)." }
            } @else {
                table {
                    thead { tr { th { "a" } th { "b" } th { "score a − b" } th { "t" } th { "df" } th { "p (Holm)" } } }
                    tbody {
                        @for p in &significant {
                            @if let Some(t) = &p.test {
                                tr { td { (p.a) } td { (p.b) } td { (opt(p.difference)) } td { (format!("{:.2}", t.t)) } td { (format!("{:.1}", t.df)) } td { (format!("{:.3}", t.p_holm)) } }
                            }
                        }
                    }
                }
                p.note { "Welch's t-test of the scores, p-values adjusted by Holm–Bonferroni over the pairs tested. The two negotiators' seats are treated as independent samples; they share negotiations, so read p as a guide." }
            }
        }
        section #scenarios {
            h2 { "Scenarios" }
            table {
                thead { tr { th { "scenario" } th { "negotiations" } th { "agreed" } th { "round" } th { "welfare" } th { "Pareto" } th { "Nash" } th { "KS" } } }
                tbody {
                    @for c in &s.scenarios {
                        tr {
                            td { (c.scenario) } td { (thousands(c.negotiations)) } td { (rate(c.agreement_rate)) }
                            td { (opt(c.rounds.mean)) } td { (opt(c.welfare.mean)) } td { (opt(c.pareto_distance.mean)) }
                            td { (opt(c.nash_distance.mean)) } td { (opt(c.ks_distance.mean)) }
                        }
                    }
                }
            }
            p.note { "round: mean round of agreement; welfare and the distances to the Pareto frontier and the Nash and Kalai–Smorodinsky points: means over the negotiations not refused." }
        }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("detente {}", env!("CARGO_PKG_VERSION")));
                title { "detente tournament: " (source) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    header {
                        h1 { "Tournament" }
                        p.meta {
                            (source) " · " (thousands(s.negotiations)) " negotiations · " (s.negotiators.len()) " negotiators · "
                            (s.scenarios.len()) " scenarios · agreement rate " (rate(s.agreement_rate))
                        }
                    }
                    (body)
                    footer {
                        "Made by detente " (env!("CARGO_PKG_VERSION")) " (tournament) from " (source) ". The same tournament and seed give the same page."
                    }
                }
            }
        }
    }
    .into_string()
}
