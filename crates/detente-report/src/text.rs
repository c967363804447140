//! The study as a text briefing: findings first, then the evidence, section by section. Results
//! that are the same for several cases are printed once, with the cases they hold for. The
//! short form fits a terminal; `full` adds every table the short form summarises.

use crate::signed;
use crate::table::table;
use detente_study::findings::{percent, rate, thousands};
use detente_study::{CaseDeal, CaseRuns, Comparison, Deal, Run, Section, StudyReport, Summary, Term};
use std::fmt::Write;

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextOptions {
    /// Every table, not only the summary.
    pub full: bool,
}

/// The width the text is wrapped to.
pub const WIDTH: usize = 100;

/// Wraps `text` to [`WIDTH`] columns, the first line after `first`, the rest after `rest`.
pub fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn u3(x: f64) -> String {
    format!("{x:.3}")
}

fn heading(out: &mut String, title: &str) {
    let _ = write!(out, "\n## {title}\n\n");
}

/// The text briefing of a study report.
pub fn render(r: &StudyReport, source: &str, opts: TextOptions) -> String {
    let mut out = String::new();
    let s = &r.scenario;
    let _ = writeln!(out, "{}\n{}", s.title, "=".repeat(s.title.chars().count()));
    let variants = r.cases.iter().filter(|c| c.id != "base").count();
    let _ = writeln!(
        out,
        "{source}\n{} issues, {} actors, {} possible outcomes, {} what-if{} studied",
        s.issues.len(),
        s.actors.len(),
        s.outcomes.parse::<u64>().map_or_else(|_| s.outcomes.clone(), thousands),
        variants,
        if variants == 1 { "" } else { "s" }
    );
    if let Some(a) = &s.assumptions {
        out.push_str(&wrap(a, "Assumptions: ", "  "));
    }
    if let Some(c) = r.cases.first().filter(|c| c.id != "base") {
        let title = c.title.as_deref().map_or(String::new(), |t| format!(" ({t})"));
        out.push_str(&wrap(&format!("Studied alone: the what-if {}{title}: {}.", c.id, c.changes.join("; ")), "", "  "));
    }

    heading(&mut out, "Findings");
    for (k, f) in r.findings.iter().enumerate() {
        let n = format!("{:>2}. ", k + 1);
        out.push_str(&wrap(&format!("{} [{}]", f.text, f.evidence), &n, "    "));
    }

    scenario(&mut out, r, opts);
    variants_section(&mut out, r, opts);
    deal(&mut out, r, opts);
    simulation(&mut out, r, opts);
    if opts.full || !compact_simulation(r) {
        comparison(&mut out, r, opts);
    }
    opening(&mut out, r, opts);
    forecast(&mut out, r, opts);
    if opts.full {
        presets(&mut out, &r.forecast);
    }
    robustness(&mut out, r, opts);
    stability(&mut out, r, opts);
    if !opts.full {
        out.push_str("\n(--full prints every table; --html FILE writes the report with its plots; --json the data)\n");
    }
    out
}

fn scenario(out: &mut String, r: &StudyReport, opts: TextOptions) {
    let s = &r.scenario;
    heading(out, "The scenario [scenario]");
    if opts.full {
        if let Some(d) = &s.description {
            out.push_str(&wrap(d, "", ""));
            out.push('\n');
        }
        let rows: Vec<Vec<String>> = s
            .issues
            .iter()
            .map(|i| {
                let vals: Vec<String> =
                    i.values.iter().map(|v| v.scale.map_or(v.label.clone(), |x| format!("{} ({x:.0})", v.label))).collect();
                vec![i.id.clone(), i.kind.to_string(), vals.join(if i.kind == "categorical" { " | " } else { " < " })]
            })
            .collect();
        out.push_str(&table(&["issue", "kind", "values (scale 0-100)"].map(String::from), &rows));
        out.push('\n');
    }
    let rows: Vec<Vec<String>> = s
        .actors
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.role.to_string(),
                if a.required { "yes".into() } else { "no".into() },
                format!("{:.0}", a.capability),
                u3(a.reservation),
                a.strategy.as_ref().map_or_else(|| "-".into(), ToString::to_string),
                a.preferences.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(&["actor", "role", "must agree", "capability", "walk-away", "strategy", "preferences"].map(String::from), &rows));
    let spatial: Vec<&detente_study::ActorSummary> = s.actors.iter().filter(|a| !a.positions.is_empty()).collect();
    if !spatial.is_empty() && !opts.full {
        let spreads = s.spreads;
        let _ = writeln!(out, "(--full adds the issues and every actor's positions; {spreads} inputs state a spread)");
    }
    if !spatial.is_empty() && opts.full {
        out.push_str("\nPositions: ideal point (numeric issues in their units, ordered options on the 0-100 scale) / salience 0-1 (~ marks a stated spread)\n\n");
        let mut header = vec!["issue".to_string()];
        header.extend(spatial.iter().map(|a| a.id.clone()));
        let rows: Vec<Vec<String>> = s
            .issues
            .iter()
            .map(|i| {
                let mut row = vec![i.id.clone()];
                row.extend(spatial.iter().map(|a| match a.positions.iter().find(|p| p.issue == i.id) {
                    Some(p) => {
                        let mark = if p.ideal_spread.is_some() || p.salience_spread.is_some() { "~" } else { "" };
                        format!("{}{} / {:.1}", mark, i.format_position(p.ideal), p.salience)
                    }
                    None => "-".into(),
                }));
                row
            })
            .collect();
        out.push_str(&table(&header, &rows));
    }
    let other: Vec<String> = s.actors.iter().filter(|a| a.positions.is_empty()).map(|a| format!("{} ({})", a.id, a.preferences)).collect();
    if !other.is_empty() {
        out.push_str(&wrap(&format!("Not in the positions table (no positions on a scale): {}.", other.join(", ")), "", ""));
    }
}

fn variants_section(out: &mut String, r: &StudyReport, opts: TextOptions) {
    // The short form says what each variant changes in its finding.
    if !opts.full || (r.cases.len() == 1 && r.cases[0].id == "base") {
        return;
    }
    heading(out, "What-if variants [variant-…]");
    for c in r.cases.iter().filter(|c| c.id != "base") {
        let title = c.title.as_deref().map_or(String::new(), |t| format!(": {t}"));
        out.push_str(&wrap(&format!("{}{title} — {}; must agree: {}", c.id, c.changes.join("; "), c.must_agree.join(", ")), "- ", "    "));
    }
}

/// Cases grouped by a key: each distinct value once, with the cases it holds for.
fn groups<'a, T: PartialEq>(items: impl Iterator<Item = (&'a str, T)>) -> Vec<(Vec<&'a str>, T)> {
    let mut out: Vec<(Vec<&str>, T)> = Vec::new();
    for (case, v) in items {
        match out.iter_mut().find(|(_, x)| *x == v) {
            Some(g) => g.0.push(case),
            None => out.push((vec![case], v)),
        }
    }
    out
}

/// Deals side by side, issue by issue: `(column label, terms)`.
fn deal_table(deals: &[(String, &[Term])]) -> String {
    let Some((_, first)) = deals.first() else { return String::new() };
    let mut header = vec!["issue".to_string()];
    header.extend(deals.iter().map(|(l, _)| l.clone()));
    let rows: Vec<Vec<String>> = first
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let mut row = vec![t.issue.clone()];
            row.extend(deals.iter().map(|(_, d)| d.get(k).map_or("-".into(), |x| x.value.clone())));
            row
        })
        .collect();
    table(&header, &rows)
}

fn zone_text(d: &CaseDeal) -> String {
    if d.zone_exists {
        "yes".into()
    } else if !d.no_deal_for.is_empty() {
        format!("no: nothing beats walking away for {}", d.no_deal_for.join(", "))
    } else {
        let short: Vec<String> = d.shortfall.iter().map(|(p, g)| format!("{p} {g:.3}")).collect();
        format!("no: closest deal leaves short {}", short.join(", "))
    }
}

fn deal(out: &mut String, r: &StudyReport, opts: TextOptions) {
    heading(out, "Is there a deal? [deal]");
    if opts.full {
        out.push_str(&wrap(
            &format!(
                "A deal is in the zone of possible agreement when every party that must agree prefers it to walking away. \
                 Nash maximises the product of gains over walking away; Kalai-Smorodinsky gives each party the same share \
                 of its possible gain (NegMAS definitions). {}",
                r.deal.cases.first().and_then(|d| d.nash_note(r.scenario.mediator.as_deref())).unwrap_or_default()
            ),
            "",
            "",
        ));
        out.push('\n');
    }
    let parties = r.deal.cases.first().map(|d| d.parties.join(" ")).unwrap_or_default();
    // The short form prints each distinct row once, for every case with the same zone and deals.
    let shown: Vec<Vec<&str>> = if opts.full {
        r.deal.cases.iter().map(|d| vec![d.case.as_str()]).collect()
    } else {
        let terms = |x: &Option<Deal>| x.as_ref().map(|x| x.terms.clone());
        groups(
            r.deal
                .cases
                .iter()
                .map(|d| (d.case.as_str(), (d.must_agree.clone(), zone_text(d), d.zone_size, terms(&d.nash), terms(&d.kalai_smorodinsky)))),
        )
        .into_iter()
        .map(|(cases, _)| cases)
        .collect()
    };
    let rows: Vec<Vec<String>> = shown
        .iter()
        .filter_map(|g| r.deal.cases.iter().find(|d| d.case == g[0]))
        .map(|d| {
            let utils = |x: &Option<Deal>| {
                x.as_ref().map_or("none".into(), |d| d.parties.iter().map(|p| u3(p.utility)).collect::<Vec<_>>().join(" "))
            };
            vec![
                d.case.clone(),
                d.must_agree.join(", "),
                zone_text(d),
                d.zone_size.map_or("-".into(), thousands),
                utils(&d.nash),
                utils(&d.kalai_smorodinsky),
            ]
        })
        .collect();
    let mut header = vec!["case".to_string(), "must agree".into(), "zone".into(), "deals in it".into()];
    let rows: Vec<Vec<String>> = if opts.full {
        header.extend([format!("Nash ({parties})"), format!("KS ({parties})")]);
        rows
    } else {
        rows.into_iter()
            .map(|mut r| {
                r.truncate(4);
                r
            })
            .collect()
    };
    out.push_str(&table(&header, &rows));
    for d in r.deal.cases.iter().skip(1).filter(|d| opts.full && r.deal.cases.first().is_some_and(|f| f.parties != d.parties)) {
        let _ = writeln!(out, "({}: utilities of {})", d.case, d.parties.join(" "));
    }
    for (case, why) in &r.deal.not_analysed {
        let _ = writeln!(out, "{case}: not analysed: {why}");
    }
    // The distinct Nash and KS deals side by side, each with the cases it holds for.
    let mut deals: Vec<(String, &Deal)> = Vec::new();
    for (name, pick) in [("Nash", 0), ("KS", 1)] {
        let g = groups(r.deal.cases.iter().filter_map(|d| {
            let x = if pick == 0 { d.nash.as_ref() } else { d.kalai_smorodinsky.as_ref() };
            x.map(|x| (d.case.as_str(), (x.terms.clone(), x)))
        }));
        let n = g.len();
        for (cases, (_, d)) in g {
            let label = if n == 1 { name.to_string() } else { format!("{name} ({})", cases.join(", ")) };
            deals.push((label, d));
        }
    }
    if !opts.full {
        let mut notes: Vec<String> = shown
            .iter()
            .filter(|g| g.len() > 1)
            .map(|g| format!("{} stands for {}: the same zone and deals", g[0], g[1..].join(", ")))
            .collect();
        if !deals.is_empty() {
            notes.push("the Nash and KS deals are in the findings; --full prints them issue by issue".into());
        }
        if !notes.is_empty() {
            out.push_str(&wrap(&format!("({})", notes.join("; ")), "", "  "));
        }
    }
    if !deals.is_empty() && opts.full {
        out.push('\n');
        out.push_str(&deal_table(&deals.iter().map(|(l, d)| (l.clone(), d.terms.as_slice())).collect::<Vec<_>>()));
        if let Some((label, d)) = deals.first() {
            let who: Vec<String> = d
                .parties
                .iter()
                .map(|p| format!("{} {} of its best {} (gives up {})", p.party, u3(p.utility), u3(p.best), u3(p.gives_up)))
                .collect();
            out.push_str(&wrap(&format!("{label}: {}.", who.join("; ")), "", "  "));
        }
        for (label, d) in deals.iter().skip(1) {
            let who: Vec<String> =
                d.parties.iter().map(|p| format!("{} {} (gives up {})", p.party, u3(p.utility), u3(p.gives_up))).collect();
            out.push_str(&wrap(&format!("{label}: {}.", who.join("; ")), "", "  "));
        }
    }
}

/// The mediator of a case's runs, if any mediated run had one.
fn mediator_of(c: &CaseRuns) -> Option<&str> {
    c.runs.iter().find_map(|r| r.mediator.as_ref().map(|m| m.actor.as_str()))
}

fn runs_table(c: &CaseRuns, actors: &[String]) -> String {
    let mut header = vec!["protocol".to_string(), "result".into()];
    header.extend(actors.iter().cloned());
    header.extend(["to Pareto".to_string(), "to Nash".into()]);
    let mediator = mediator_of(c);
    if let Some(m) = mediator {
        header.push(format!("{m} gain"));
    }
    let rows: Vec<Vec<String>> = c
        .runs
        .iter()
        .map(|run| {
            let mut row = vec![run.protocol.label().to_string(), short(run)];
            row.extend(actors.iter().map(|a| run.utilities.iter().find(|(x, _)| x == a).map_or("-".into(), |(_, u)| u3(*u))));
            let d = |x: Option<f64>| x.map_or("-".into(), u3);
            row.push(d(run.quality.as_ref().and_then(|q| q.pareto_distance)));
            row.push(d(run.quality.as_ref().and_then(|q| q.nash_distance)));
            if mediator.is_some() {
                row.push(run.mediator.as_ref().and_then(|m| m.over_nash).map_or("-".into(), signed));
            }
            row
        })
        .collect();
    table(&header, &rows)
}

/// What the distance columns and the mediator's column of a case's runs mean, when some
/// stakeholder is left out of the space the distances are measured in.
fn runs_legend(c: &CaseRuns) -> Option<String> {
    let q = c.runs.iter().find_map(|r| r.quality.as_ref()).filter(|q| !q.outside.is_empty())?;
    let mut s = format!("to Pareto / to Nash: in the utility space of {}, who must agree", q.parties.join(", "));
    if let Some(m) = c.runs.iter().find_map(|r| r.mediator.as_ref()) {
        let at = m.at_nash.map_or(String::new(), |a| format!(" {}", u3(a)));
        s.push_str(&format!(
            "; {0} gain: the mediator's utility minus its{at} at the Nash deal of the parties that must agree, the price of its bias",
            m.actor
        ));
    }
    Some(s)
}

/// Which actors' utilities in the runs tables are discounted, and that the distances are not.
fn discount_legend(r: &StudyReport) -> Option<String> {
    let d: Vec<String> = r.scenario.actors.iter().filter_map(|a| a.discount.as_ref().map(|d| format!("{} ({d})", a.id))).collect();
    (!d.is_empty()).then(|| {
        format!("discounted at the round the negotiation ended: {}; the distances are measured on undiscounted utilities", d.join(", "))
    })
}

fn short(run: &Run) -> String {
    if let Some(w) = &run.not_run {
        return format!("not run: {w}");
    }
    match (&run.concessions, run.agreed) {
        (Some(c), true) => format!("deal, round {}/{}", c.agreed_round.unwrap_or(0), c.deadline),
        _ => run.summary.split(':').next().unwrap_or("no deal").to_string(),
    }
}

/// The cases of each group of identical results: the representative first.
fn case_groups<'a>(ids: impl Iterator<Item = (&'a str, Option<&'a str>)> + Clone) -> Vec<Vec<&'a str>> {
    ids.clone().filter(|(_, same)| same.is_none()).map(|(id, _)| crate::same_group(id, ids.clone())).collect()
}

/// Whether the short briefing shows the simulated negotiations as one compact table, the share of
/// seeds with a deal protocol by rule: when the comparison over seeds ran and the cases' one-seed
/// runs differ, the findings say what each case's runs reach and `--full` prints them.
fn compact_simulation(r: &StudyReport) -> bool {
    r.simulation.comparison.ran().is_some() && r.simulation.cases.iter().filter(|c| c.same_as.is_none()).count() > 1
}

fn simulation(out: &mut String, r: &StudyReport, opts: TextOptions) {
    heading(out, "Simulated negotiations [simulation]");
    if let (false, true, Some(c)) = (opts.full, compact_simulation(r), r.simulation.comparison.ran()) {
        let intro = format!(
            "One run per protocol and case (seed {}, default strategies, the scenario's deadline and mediator): the \
             findings say what each reaches; --full prints every run. Over seeds [comparison]: the share of {} seeds \
             per protocol and mediator rule on {} ({} rounds) with a deal [95 % interval], the mediator knowing only \
             the votes (--full adds the omniscient benchmark).",
            r.simulation.seed, c.seeds, c.case, c.deadline
        );
        out.push_str(&wrap(&intro, "", ""));
        out.push('\n');
        out.push_str(&rates_table(c, false));
        return;
    }
    let intro = if opts.full {
        "Each protocol with every party's default strategy, the scenario's deadline and mediator, seed {seed}. \
         Utilities: of the deal, or each actor's walk-away value without one; to Pareto / to Nash: distance \
         in utility space to the rational Pareto frontier and to the Nash point of the parties that must agree."
    } else {
        "Default strategies, the scenario's deadline and mediator, seed {seed}."
    };
    out.push_str(&wrap(&intro.replace("{seed}", &r.simulation.seed.to_string()), "", ""));
    let actors: Vec<String> = r.scenario.actors.iter().map(|a| a.id.clone()).collect();
    let groups = case_groups(r.simulation.cases.iter().map(|c| (c.case.as_str(), c.same_as.as_deref())));
    let find = |id: &str| r.simulation.cases.iter().find(|c| c.case == id);
    if !opts.full && groups.len() > 1 {
        // One line per protocol across the groups of cases, then the first group in detail.
        let mut header = vec!["protocol".to_string()];
        header.extend(groups.iter().map(|g| g[0].to_string()));
        let rows: Vec<Vec<String>> = r
            .simulation
            .protocols
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let mut row = vec![p.label().to_string()];
                row.extend(groups.iter().map(|g| find(g[0]).and_then(|c| c.runs.get(k)).map_or("-".into(), short)));
                row
            })
            .collect();
        out.push('\n');
        out.push_str(&table(&header, &rows));
        for g in groups.iter().filter(|g| g.len() > 1) {
            out.push_str(&wrap(&format!("({} stands for {}: the same results.)", g[0], g[1..].join(", ")), "", "  "));
        }
    }
    let shown: Vec<&Vec<&str>> = if opts.full { groups.iter().collect() } else { groups.iter().take(1).collect() };
    for g in shown {
        let Some(c) = find(g[0]) else { continue };
        let _ = write!(out, "\n{}\n\n", g.join(", "));
        if let Some(e) = &c.error {
            let _ = writeln!(out, "{e}");
            continue;
        }
        out.push_str(&runs_table(c, &actors));
        if let Some(l) = runs_legend(c) {
            out.push_str(&wrap(&format!("({l})"), "", "  "));
        }
        if let Some(l) = discount_legend(r) {
            out.push_str(&wrap(&format!("({l})"), "", "  "));
        }
        let deals: Vec<(String, &[Term])> =
            c.runs.iter().filter_map(|x| x.deal.as_deref().map(|t| (x.protocol.label().to_string(), t))).collect();
        if !deals.is_empty() && !opts.full {
            out.push_str("(--full prints each protocol's deal issue by issue)\n");
        }
        if !deals.is_empty() && opts.full {
            out.push('\n');
            out.push_str(&deal_table(&deals));
        }
    }
}

/// The share of seeds with a deal [95 % interval], one row per protocol, one column per rule.
/// (`omniscient`: also the arms whose mediator knows every utility.)
fn rates_table(c: &Comparison, omniscient: bool) -> String {
    let mut rules: Vec<&str> = Vec::new();
    for r in c.arms.iter().filter_map(|a| a.arm.rule) {
        if !rules.contains(&r.as_str()) {
            rules.push(r.as_str());
        }
    }
    let mut header = vec!["protocol".to_string(), "no mediator".into()];
    header.extend(rules.iter().map(|r| r.to_string()));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for a in c.arms.iter().filter(|a| omniscient || !a.arm.omniscient()) {
        let cell = a.not_run.as_ref().map_or_else(|| rate(&a.agreed), |_| "not run".into());
        let col = a.arm.rule.map_or(1, |r| 2 + rules.iter().position(|x| *x == r.as_str()).unwrap_or(0));
        match rows.last_mut() {
            Some(row) if row[0] == a.arm.protocol_label() => row[col] = cell,
            _ => {
                let mut row = vec!["-".to_string(); header.len()];
                row[0] = a.arm.protocol_label().to_string();
                row[col] = cell;
                rows.push(row);
            }
        }
    }
    table(&header, &rows)
}

/// `0.604±0.012`.
fn mean_sd(x: Option<Summary>) -> String {
    x.map_or("-".into(), |x| format!("{:.3}±{:.3}", x.mean, x.sd))
}

fn comparison(out: &mut String, r: &StudyReport, opts: TextOptions) {
    heading(out, "Protocols and mediator rules over seeds [comparison]");
    let c: &Comparison = match &r.simulation.comparison {
        Section::NotRun { reason } => {
            let _ = writeln!(out, "Not run: {reason}.");
            return;
        }
        Section::Ran(c) => c,
    };
    let mediator = c.mediator.as_deref();
    if !opts.full {
        // The share of seeds with a deal, protocol by rule; how the seeds are drawn, the
        // utilities, distances and spreads are in --full.
        let intro = format!(
            "Share of {} seeds with a deal [95 % interval], per protocol and mediator rule on {} ({} rounds, default \
             strategies); --full adds the seeds, utilities and distances.",
            c.seeds, c.case, c.deadline
        );
        out.push_str(&wrap(&intro, "", ""));
        out.push('\n');
        out.push_str(&rates_table(c, true));
        return;
    }
    let head = format!(
        "{} seeds per protocol and mediator rule on {} ({} rounds, default strategies; each run's seed derived from seed {} and \
         the run's protocol, rule and index).",
        c.seeds, c.case, c.deadline, c.seed
    );
    let mut intro = format!(
        "{head} Deal: share of seeds with a deal [95 % interval]; {}: mean±sd utility over every seed (the walk-away value \
         without a deal); to Pareto, to Nash: mean±sd distance from the frontier and the Nash point of the parties that must \
         agree, over the deals.",
        c.parties.join(", ")
    );
    if let Some(m) = mediator {
        intro.push_str(&format!(
            " {m} gain: the mediator's utility minus its utility at the Nash deal of the parties that must agree, over the \
             deals (the price of its bias)."
        ));
    }
    out.push_str(&wrap(&intro, "", ""));
    out.push('\n');
    let mut header = vec!["protocol".to_string(), "rule".into(), "deal".into()];
    header.extend(c.parties.iter().cloned());
    header.push("to Pareto".into());
    if let Some(m) = mediator {
        header.push(format!("{m} gain"));
    }
    header.extend(["to Nash".to_string(), "distinct deals".into(), "rounds".into()]);
    let rows: Vec<Vec<String>> = c
        .arms
        .iter()
        .map(|a| {
            let mut row = vec![a.arm.protocol_label().to_string(), a.arm.rule.map_or("-".into(), |r| r.as_str().to_string())];
            if let Some(why) = &a.not_run {
                row.push(format!("not run: {why}"));
                return row;
            }
            row.push(rate(&a.agreed));
            row.extend(c.parties.iter().map(|p| mean_sd(a.utilities.iter().find(|u| &u.actor == p).map(|u| u.utility))));
            row.push(mean_sd(a.pareto_distance));
            if mediator.is_some() {
                row.push(a.mediator_gain.map_or("-".into(), |g| format!("{}±{:.3}", signed(g.mean), g.sd)));
            }
            row.push(mean_sd(a.nash_distance));
            row.push(a.distinct_deals.to_string());
            row.push(a.rounds.map_or("-".into(), |x| format!("{:.1}", x.mean)));
            row
        })
        .collect();
    out.push_str(&table(&header, &rows));
}

fn opening(out: &mut String, r: &StudyReport, opts: TextOptions) {
    for t in &r.simulation.opening_tests {
        match t {
            Section::Ran(t) => {
                heading(out, &format!("Opening-concession test: {} [opening-{}]", t.title.as_deref().unwrap_or(&t.variant), t.variant));
                let who: Vec<String> = t.negotiators.iter().map(|(a, n)| format!("{a} {n}")).collect();
                out.push_str(&wrap(
                    &format!(
                        "Joint table with and without the opening ({}); {}. refdep's aspiration rises with the other side's \
                         early generosity. A final demand is a party's last offer, in its own utility.",
                        t.concessions.join("; "),
                        who.join(", ")
                    ),
                    "",
                    "",
                ));
                out.push('\n');
                // Each party's changes issue by issue; the short form leaves those longer than a
                // line to --full (the finding says which way the demand moved).
                let changes: Vec<Option<String>> = t
                    .demands
                    .iter()
                    .map(|d| {
                        let ch: Vec<String> = d.changes.iter().map(|c| format!("{} {} -> {}", c.issue, c.from, c.to)).collect();
                        let text = wrap(&format!("{}: {}", d.party, ch.join("; ")), "  ", "    ");
                        (!ch.is_empty() && (opts.full || text.lines().count() == 1)).then_some(text)
                    })
                    .collect();
                let rows: Vec<Vec<String>> = t
                    .demands
                    .iter()
                    .zip(&changes)
                    .map(|(d, shown)| {
                        let n = d.changes.len();
                        vec![
                            d.party.clone(),
                            d.without.map_or("-".into(), u3),
                            d.with.map_or("-".into(), u3),
                            if n == 0 {
                                "(same demand)".into()
                            } else {
                                let plural = if n == 1 { "" } else { "s" };
                                format!("{n} issue{plural} ({})", if shown.is_some() { "below" } else { "--full: which" })
                            },
                        ]
                    })
                    .collect();
                out.push_str(&table(&["party", "demand without", "with concession", "what changed"].map(String::from), &rows));
                for text in changes.iter().flatten() {
                    out.push_str(text);
                }
                let _ = writeln!(out, "without: {}; with: {}", t.without, t.with);
            }
            Section::NotRun { reason } => {
                heading(out, "Opening-concession test");
                let _ = writeln!(out, "not run: {reason}");
            }
        }
    }
}

fn forecast(out: &mut String, r: &StudyReport, opts: TextOptions) {
    heading(out, "Forecasts: spatial bargaining models [forecast]");
    let f = &r.forecast;
    let intro = if opts.full {
        format!(
            "Where each issue settles (in each issue's units): the capability x salience weighted mean and median (baselines that match \
             or beat the models on EU legislative data), Bueno de Mesquita's expected-utility model (Scholz reconstruction, \
             preset {}: final median, final mean), KTAB's Spatial Model of Politics and Stokman & Van Oosten's exchange \
             model (Decide's Equal Gain: actors trade moves across issues where both gain; final c·s mean).",
            f.eu_preset
        )
    } else {
        format!(
            "Where each issue settles (in its units): c·s weighted mean and median, expected utility ({}), KTAB's SMP, exchange.",
            f.eu_preset
        )
    };
    out.push_str(&wrap(&intro, "", ""));
    for (a, why) in &f.left_out {
        out.push_str(&wrap(&format!("{a} is left out: {why}."), "", "  "));
    }
    if let Some(note) = &f.salience_note {
        out.push_str(&wrap(&format!("Note: {note}."), "", "  "));
    }
    let header: Vec<String> = ["issue", "mean", "median", "eu", "eu mean", "smp", "exch", "eu option"].map(String::from).to_vec();
    let first = f.cases.first().and_then(|c| c.comparison.as_ref());
    for c in &f.cases {
        if c.same_as.is_some() {
            continue;
        }
        let cases = crate::same_group(&c.case, f.cases.iter().map(|x| (x.case.as_str(), x.same_as.as_deref())));
        let _ = write!(
            out,
            "\n{}\n{}",
            cases.join(", "),
            if opts.full || Some(&c.case) == f.cases.first().map(|x| &x.case) { "\n" } else { "" }
        );
        let Some(cmp) = &c.comparison else {
            let _ = writeln!(out, "no forecast: {}", c.error.as_deref().unwrap_or("?"));
            continue;
        };
        let show_all = opts.full || Some(cmp) == first;
        if !show_all {
            let moved: Vec<String> = cmp
                .rows
                .iter()
                .filter_map(|row| {
                    let base = first?.rows.iter().find(|b| b.issue == row.issue)?;
                    let eu = match (&row.options, &base.options) {
                        (Some(a), Some(b)) if a[2] != b[2] => format!(", EU option {} -> {}", b[2], a[2]),
                        _ => String::new(),
                    };
                    // moves in points of the issue's 0–100 scale (forecasts are in its units)
                    let on = |x: f64| r.scenario.issues.iter().find(|i| i.id == row.issue).map_or(x, |i| i.to_scale(x));
                    let d = [
                        (row.mean, base.mean),
                        (row.median, base.median),
                        (row.eu, base.eu),
                        (row.smp, base.smp),
                        (row.exchange, base.exchange),
                    ]
                    .map(|(a, b)| on(a) - on(b));
                    let big = d.iter().fold(0.0f64, |m, x| m.max(x.abs()));
                    (big >= 5.0 || !eu.is_empty()).then(|| format!("{} (up to {big:.0} points{eu})", row.issue))
                })
                .collect();
            let text = if moved.is_empty() {
                format!("The forecasts differ from {}'s on {} issue(s), each by less than 5 points.", f.cases[0].case, c.changed.len())
            } else {
                format!("Moved by 5 points or more against {}: {}.", f.cases[0].case, moved.join(", "))
            };
            out.push_str(&wrap(&text, "", ""));
            continue;
        }
        let rows: Vec<Vec<String>> = cmp
            .rows
            .iter()
            .filter(|row| show_all || c.changed.contains(&row.issue))
            .map(|row| {
                let issue = r.scenario.issues.iter().find(|i| i.id == row.issue);
                let x = |v: f64| issue.map_or_else(|| format!("{v:.1}"), |i| i.format_forecast(v));
                vec![
                    row.issue.clone(),
                    x(row.mean),
                    x(row.median),
                    x(row.eu),
                    row.eu_mean.map_or(String::new(), x),
                    x(row.smp),
                    x(row.exchange),
                    row.options.as_ref().map_or(String::new(), |o| o[2].clone()),
                ]
            })
            .collect();
        out.push_str(&table(&header, &rows));
        for (issue, why) in &cmp.skipped {
            let _ = writeln!(out, "skipped {issue}: {why}");
        }
        trades(out, cmp, opts.full);
    }
}

/// The trades the exchange model predicts, in words: the briefing names the first, `--full` the
/// first ten (`--json` has them all).
fn trades(out: &mut String, cmp: &detente_study::ModelComparison, full: bool) {
    let Some(run) = &cmp.exchange else { return };
    let all = run.trades();
    let Some(first) = all.first() else {
        out.push_str("The exchange model finds no trade that both sides gain from.\n");
        return;
    };
    let (n, rounds) = (all.len(), run.rounds.len());
    if !full {
        let more = if n > 1 { " (--full: more)" } else { "" };
        out.push_str(&wrap(&format!("Exchange model, first of {n} trade(s) in {rounds} round(s){more}: {first}."), "", "  "));
        return;
    }
    let shown = n.min(10);
    let more = if shown < n { format!(", the first {shown} (--json: all)") } else { String::new() };
    let _ = writeln!(out, "Trades the exchange model predicts ({n} in {rounds} round(s){more}):");
    for t in &all[..shown] {
        out.push_str(&wrap(t, "  ", "    "));
    }
}

/// The expected-utility forecast under every preset (`--full`).
fn presets(out: &mut String, f: &detente_study::ForecastSection) {
    let Some(first) = f.presets.first() else { return };
    let _ = write!(
        out,
        "\nThe expected-utility model under each preset ({}): final median / nearest option\n\n",
        f.cases.first().map_or("", |c| c.case.as_str())
    );
    let mut header = vec!["issue".to_string()];
    header.extend(f.presets.iter().map(|p| p.preset.to_string()));
    let rows: Vec<Vec<String>> = first
        .issues
        .iter()
        .enumerate()
        .map(|(k, (issue, _, _))| {
            let mut row = vec![issue.clone()];
            row.extend(f.presets.iter().map(|p| {
                p.issues.get(k).map_or("-".into(), |(_, x, o)| format!("{x:.0} {}", o.as_deref().unwrap_or("")).trim_end().to_string())
            }));
            row
        })
        .collect();
    out.push_str(&table(&header, &rows));
}

fn robustness(out: &mut String, r: &StudyReport, opts: TextOptions) {
    heading(out, "How robust are the findings? [robustness]");
    let rb = match &r.robustness {
        Section::Ran(rb) => rb,
        Section::NotRun { reason } => {
            let _ = writeln!(out, "Not run: {reason}.");
            return;
        }
    };
    out.push_str(&wrap(
        &format!(
            "Every stated spread ({} inputs) drawn together, {} runs, seed {}, case {}; every lens run again on each draw. \
             Brackets: 95 % intervals of the estimate.",
            rb.inputs.len(),
            rb.runs,
            rb.seed,
            rb.case
        ),
        "",
        "",
    ));
    out.push('\n');
    let p = |x: &detente_study::Probability| format!("{} [{:.1}-{:.1}%]", percent(x.p), x.lo * 100.0, x.hi * 100.0);
    let mut rows = vec![vec!["a deal beats walking away".to_string(), p(&rb.zone)]];
    if let Some([a, m, b]) = rb.zone_size {
        rows.push(vec![
            "deals in the zone (median, 5-95 %)".into(),
            format!("{} ({}-{})", thousands(m as u64), thousands(a as u64), thousands(b as u64)),
        ]);
    }
    // The robustness runs redraw the deal section's Nash deal: say whom it counts.
    let which = r.nash_counted(&rb.case);
    rows.push(vec![format!("the Nash deal{which} as stated"), p(&rb.nash_unchanged)]);
    for c in &rb.protocols {
        rows.push(vec![
            format!("{} reaches a deal", c.protocol.label()),
            format!("{} (stated inputs: {})", p(&c.deal), if c.stated { "deal" } else { "no deal" }),
        ]);
    }
    out.push_str(&table(&["finding".to_string(), "share of runs".into()], &rows));
    let shares = |o: &detente_study::robustness::OptionShares| {
        o.shares.iter().take(3).map(|(x, p)| format!("{x} {}", percent(*p))).collect::<Vec<_>>().join(", ")
    };
    let nash: Vec<Vec<String>> = rb
        .nash
        .iter()
        .filter(|o| opts.full || o.shares.first().is_some_and(|(x, p)| *p < 0.9 || o.stated.as_ref() != Some(x)))
        .map(|o| vec![o.issue.clone(), o.stated.clone().unwrap_or_default(), shares(o)])
        .collect();
    if !nash.is_empty() {
        let _ = write!(out, "\nThe Nash deal{which}: options that move (the rest hold in 90 % of runs or more)\n\n");
        out.push_str(&table(&["issue", "stated", "share of runs"].map(String::from), &nash));
    }
    // (the short form leaves the forecast's option shares to its finding on fragile issues)
    let fc: Vec<Vec<String>> =
        rb.forecast.iter().filter(|_| opts.full).map(|o| vec![o.issue.clone(), o.stated.clone().unwrap_or_default(), shares(o)]).collect();
    if !fc.is_empty() {
        out.push_str("\nExpected-utility forecast: issues where no option comes out in 90 % of runs\n\n");
        out.push_str(&table(&["issue", "stated", "share of runs"].map(String::from), &fc));
    }
    let limit = if opts.full { usize::MAX } else { 5 };
    let rows: Vec<Vec<String>> = rb
        .sensitivity
        .iter()
        .filter(|x| opts.full || !x.changes.is_empty())
        .take(limit)
        .map(|x| {
            let z = |v: Option<u64>| v.map_or("-".into(), thousands);
            let fmt = |v: f64| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.2}") };
            let mut row = vec![x.input.clone(), format!("{}-{}", fmt(x.low), fmt(x.high))];
            if opts.full {
                row.push(format!("{} / {} / {}", z(x.zone_size[0]), z(x.zone_size[1]), z(x.zone_size[2])));
            }
            row.push(if x.changes.is_empty() { "-".into() } else { x.changes.join("; ") });
            row
        })
        .collect();
    let changing = rb.sensitivity.iter().filter(|x| !x.changes.is_empty()).count();
    let _ = write!(
        out,
        "\nOne at a time: each input at both ends of its range, the others as stated ({changing} of {} change a finding{})\n\n",
        rb.sensitivity.len(),
        if opts.full || changing <= limit { String::new() } else { format!("; the first {limit} shown") }
    );
    if rows.is_empty() {
        return;
    }
    if opts.full {
        let header = ["input", "range", "zone at low / stated / high", "what changes"].map(String::from);
        out.push_str(&table(&header, &rows));
    } else {
        // one input per paragraph: what changes can be long, and a table column would run past
        // the terminal's width
        for row in &rows {
            let [input, range, changes] = &row[..] else { continue };
            out.push_str(&wrap(&format!("{input} ({range}): {changes}"), "", "    "));
        }
    }
}

/// The stability lens on the scenario's conflict (with `--full`; the briefing has its finding):
/// the equilibria, the paths from the status quo, the results table and what deters each side
/// from leaving each equilibrium.
fn stability(out: &mut String, r: &StudyReport, opts: TextOptions) {
    use detente_conflict::Concept;
    if !opts.full {
        return;
    }
    heading(out, "Stability: which arrangements hold, and what deters each side from leaving");
    let Some(st) = &r.stability else {
        out.push_str("The scenario has no `[conflict]` part (docs/scenario-format.md), so no stability analysis.\n");
        return;
    };
    let strong = [Concept::Nash, Concept::Seq];
    let shown = crate::conflict::Shown::all(st);
    out.push_str(&wrap(&format!("Options, in the order of the Y/N patterns: {}.", st.options.join(", ")), "", "  "));
    out.push('\n');
    out.push_str(&crate::conflict::results(st, &shown, st.states.len() <= crate::conflict::FULL_STATES));
    if let Some(q) = &st.status_quo {
        out.push('\n');
        out.push_str(&crate::conflict::status_quo(st, q, &strong));
    }
    out.push('\n');
    out.push_str(&crate::conflict::explanations(
        st,
        &crate::conflict::Shown { dms: shown.dms.clone(), concepts: strong.to_vec() },
        &crate::conflict::equilibrium_states(st, &strong),
    ));
}
