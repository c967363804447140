//! `detente analyze`: the analyse lens — sizes, opposition, the Pareto frontier, every
//! bargaining solution as issue options with each party's utility, and the ZOPA.

use super::Options;
use crate::load::{load, Failure};
use crate::render::print_json;
use detente_analysis::{analyze, describe_outcome, render_frontier, render_text, Analysis, Semantics};
use detente_core::Scenario;
use serde_json::{json, Value};
use std::path::Path;

/// `--semantics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SemanticsArg {
    /// NegMAS 0.16.0 `calc_scenario_stats` definitions.
    Negmas,
    /// GENIUS 10.4 `MultilateralAnalysis` definitions.
    Genius,
}

impl From<SemanticsArg> for Semantics {
    fn from(s: SemanticsArg) -> Self {
        match s {
            SemanticsArg::Negmas => Semantics::Negmas,
            SemanticsArg::Genius => Semantics::Genius,
        }
    }
}

/// Runs the analysis of one scenario, or a failure naming the source.
pub(crate) fn analysis(s: &Scenario, semantics: Semantics, source: &str) -> Result<Analysis, Failure> {
    analyze(s, &detente_analysis::Options { semantics, ..Default::default() }).map_err(|e| Failure::Input(format!("{source}: {e}")))
}

pub(crate) fn run(file: Option<&Path>, frontier: bool, semantics: SemanticsArg, opts: &Options<'_>) -> Result<(), Failure> {
    let loaded = load(file, opts.variant)?;
    let s = &loaded.scenario;
    let a = analysis(s, semantics.into(), &loaded.source)?;
    if opts.json {
        print_json(&analysis_json(&a, s, frontier));
        return Ok(());
    }
    out!("{}", render_text(&a, s));
    if frontier {
        outln!();
        out!("{}", render_frontier(&a, s));
    }
    Ok(())
}

/// The analysis as JSON, every referenced outcome also written as issue options (`deals`);
/// the frontier points only when `frontier` is set.
pub(crate) fn analysis_json(a: &Analysis, s: &Scenario, frontier: bool) -> Value {
    let mut v = serde_json::to_value(a).expect("invariant: the analysis serialises");
    let mut deals = serde_json::Map::new();
    collect_outcomes(&v, &mut |o| {
        deals.entry(o.to_string()).or_insert_with(|| json!(describe_outcome(s, o)));
    });
    if let Value::Object(m) = &mut v {
        m.insert("scenario".into(), json!(s.meta.id));
        m.insert("frontier_size".into(), json!(a.frontier.len()));
        m.insert("frontier_outcomes".into(), json!(a.frontier.outcome_count()));
        if !frontier {
            m.remove("frontier");
        }
        m.insert("deals".into(), Value::Object(deals));
    }
    v
}

/// Calls `f` on every `"outcome": n` field outside the frontier.
fn collect_outcomes(v: &Value, f: &mut dyn FnMut(u64)) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "frontier" {
                    continue;
                }
                if k == "outcome" {
                    if let Some(o) = x.as_u64() {
                        f(o);
                    }
                }
                collect_outcomes(x, f);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_outcomes(x, f)),
        _ => {}
    }
}

/// The study's analysis section: for the base and every variant side by side, whether a deal
/// beats walking away for every required party, the Nash and Kalai–Smorodinsky deals as
/// options, and what each party gives up there relative to its own best deal.
pub(crate) fn study_section(cases: &[super::study::Case], source: &str) -> Result<super::Section, Failure> {
    use crate::render::{table, util};
    use std::fmt::Write;
    let mut text = String::from(
        "Is there a deal every required party prefers to walking away (the zone of possible\n\
         agreement), and which efficient deals do the standard fairness rules pick? NegMAS\n\
         definitions: Nash maximises the product of gains over walking away, Kalai-Smorodinsky\n\
         equalises each party's share of its possible gain.\n\n",
    );
    let mut rows = Vec::new();
    let mut list = Vec::new();
    // Distinct deals, in order of first appearance: (solution name, outcome) -> cases.
    let mut deals: Vec<(&str, u64, Vec<String>, String)> = Vec::new();
    for case in cases {
        let s = &case.scenario;
        let a = analysis(s, Semantics::Negmas, source)?;
        let fmt_utils = |u: &[f64]| u.iter().map(|x| util(*x)).collect::<Vec<_>>().join(" ");
        let possible = if a.zopa.exists {
            "yes".to_string()
        } else if !a.zopa.no_deal_for.is_empty() {
            format!("no: nothing beats walking away for {}", a.zopa.no_deal_for.join(", "))
        } else {
            let short: Vec<String> = a
                .zopa
                .closest
                .iter()
                .flat_map(|c| c.gains.iter().filter(|g| g.1 <= 0.0).map(|(id, g)| format!("{id} {:.3}", -g)))
                .collect();
            format!("no: closest deal leaves short {}", short.join(", "))
        };
        let mut cj = serde_json::Map::new();
        cj.insert("case".into(), json!(case.label));
        cj.insert("outcomes".into(), json!(a.outcomes));
        cj.insert("frontier_size".into(), json!(a.frontier.len()));
        cj.insert("zopa".into(), serde_json::to_value(&a.zopa).expect("invariant: serialises"));
        let mut row = vec![case.label.clone(), a.zopa.required.join(", "), possible, a.zopa.count.map_or("-".into(), |c| c.to_string())];
        for (key, name, sol) in
            [("nash", "Nash", &a.solutions.nash), ("kalai_smorodinsky", "Kalai-Smorodinsky", &a.solutions.kalai_smorodinsky)]
        {
            let Some(d) = sol.chosen() else {
                row.push("none".into());
                cj.insert(key.into(), Value::Null);
                continue;
            };
            row.push(fmt_utils(&d.utilities));
            let mut parties = Vec::new();
            let mut lines = String::new();
            let deal_outcome = s.space.outcome_at(d.outcome);
            for (k, p) in a.parties.iter().enumerate() {
                let best = p.best.as_ref().map_or(p.max, |b| b.utilities[k]);
                let concedes: Vec<String> = match (p.best.as_ref().and_then(|b| s.space.outcome_at(b.outcome)), &deal_outcome) {
                    (Some(bo), Some(o)) => {
                        s.space.issues().iter().zip(o.0.iter().zip(&bo.0)).filter(|(_, (x, y))| x != y).map(|(i, _)| i.id.clone()).collect()
                    }
                    _ => Vec::new(),
                };
                let _ = writeln!(
                    lines,
                    "    {:<10} {} of its best {}, gives up {}{}",
                    p.id,
                    util(d.utilities[k]),
                    util(best),
                    util(best - d.utilities[k]),
                    if concedes.is_empty() {
                        ": this is its best deal".to_string()
                    } else {
                        format!(" (differs from its best on {})", concedes.join(", "))
                    }
                );
                parties.push(json!({ "party": p.id, "utility": d.utilities[k], "best": best, "gives_up": best - d.utilities[k], "differs_on": concedes }));
            }
            cj.insert(
                key.into(),
                json!({ "outcome": d.outcome, "deal": describe_outcome(s, d.outcome), "utilities": d.utilities, "parties": parties }),
            );
            let body = format!("  {}\n{lines}", describe_outcome(s, d.outcome).replace(", ", "\n  "));
            match deals.iter_mut().find(|(n, o, _, b)| *n == name && *o == d.outcome && *b == body) {
                Some(e) => e.2.push(case.label.clone()),
                None => deals.push((name, d.outcome, vec![case.label.clone()], body)),
            }
        }
        rows.push(row);
        list.push(Value::Object(cj));
    }
    let parties =
        cases.first().map(|c| detente_analysis::analysed_parties(&c.scenario).iter().map(|a| a.id.clone()).collect::<Vec<_>>().join(" "));
    let header = ["case", "must agree", "a deal beats walking away", "such deals"]
        .iter()
        .map(|h| h.to_string())
        .chain([format!("Nash ({})", parties.clone().unwrap_or_default()), format!("KS ({})", parties.clone().unwrap_or_default())]);
    let parties_of_base = parties;
    text.push_str(&table(&header.collect::<Vec<_>>(), &rows));
    // A variant may change who is analysed (e.g. an observer becomes a party): say whose
    // utilities its row lists rather than let the header name the wrong parties.
    for case in cases.iter().skip(1) {
        let own = detente_analysis::analysed_parties(&case.scenario).iter().map(|a| a.id.clone()).collect::<Vec<_>>().join(" ");
        if Some(&own) != parties_of_base.as_ref() {
            let _ = writeln!(text, "({}: utilities of {own})", case.label);
        }
    }
    for (name, _, labels, body) in &deals {
        let _ = write!(text, "\n{name} deal ({}):\n{body}", labels.join(", "));
    }
    Ok(super::Section { id: "analysis", title: "Is there a deal? Efficient and fair deals".into(), text, json: json!(list) })
}
