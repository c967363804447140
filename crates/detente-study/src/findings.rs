//! Findings: the study's conclusions as plain sentences, each computed from the report and
//! pointing to the section that holds its evidence. Every front end shows the same sentences.

use crate::comparison::{Arm, ArmResult, Comparison, Contrast};
use crate::deal::{CaseDeal, Deal};
use crate::opening::Direction;
use crate::robustness::Probability;
use crate::simulation::{CaseRuns, Run, StudyProtocol};
use crate::{Section, StudyReport};
use detente_analysis::OutsideUtility;
use serde::Serialize;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Whether a deal beats walking away.
    Zone,
    /// What the red lines rule out.
    RedLines,
    /// The Nash and Kalai–Smorodinsky deals.
    Solutions,
    /// What a what-if variant changes.
    Variant,
    /// Which protocols reach a deal.
    Protocols,
    /// Protocols and mediator rules compared over seeds.
    Comparison,
    /// The opening-concession test.
    OpeningTest,
    /// The forecasts.
    Forecast,
    /// How robust the findings are.
    Robustness,
    /// The stability lens on the scenario's conflict part.
    Stability,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// What it is about.
    pub topic: Topic,
    /// The sentence.
    pub text: String,
    /// The id of the section holding the evidence (`deal`, `simulation`, `variant-<id>`,
    /// `opening-<id>`, `forecast`, `robustness`).
    pub evidence: String,
}

/// `50468` → `50,468`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage for people.
pub fn percent(p: f64) -> String {
    if p.is_nan() {
        "-".into()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

pub(crate) fn list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn terms_text(d: &Deal) -> String {
    d.terms.iter().map(|t| format!("{} {}", t.issue, t.value)).collect::<Vec<_>>().join(", ")
}

/// Issues where `b` differs from `a`, with `b`'s option.
fn differences(a: &Deal, b: &Deal) -> Vec<String> {
    a.terms.iter().zip(&b.terms).filter(|(x, y)| x.value != y.value).map(|(_, y)| format!("{} {}", y.issue, y.value)).collect()
}

fn zone_sentence(d: &CaseDeal) -> String {
    let who = list(&d.must_agree);
    if d.zone_exists {
        match d.zone_size {
            Some(n) => format!(
                "A deal beats walking away for every party that must agree ({who}): {} of {} possible deals do.",
                thousands(n),
                d.outcomes.parse::<u64>().map_or_else(|_| d.outcomes.clone(), thousands)
            ),
            None => format!("A deal beats walking away for every party that must agree ({who})."),
        }
    } else if !d.no_deal_for.is_empty() {
        format!(
            "No deal beats walking away for {}: whatever the others concede, {} prefer(s) to walk away.",
            list(&d.no_deal_for),
            list(&d.no_deal_for)
        )
    } else {
        let short: Vec<String> = d.shortfall.iter().map(|(p, g)| format!("{p} by {g:.3}")).collect();
        format!("No single deal beats walking away for all of {who} at once; the closest leaves {} short.", list(&short))
    }
}

/// What the required parties' red lines do to the zone, when any states one.
fn red_lines_sentence(d: &CaseDeal) -> Option<String> {
    let r = d.red_lines.as_ref()?;
    let lines: Vec<String> = r.lines.iter().map(|l| format!("{}'s {}", l.actor, l.red_line)).collect();
    let binding: Vec<String> = r.binding().map(|l| format!("{}'s {} ({})", l.actor, l.red_line, thousands(l.rules_out))).collect();
    let zone = d.zone_size.unwrap_or(0);
    let ruled_out = r.zone_without_red_lines.saturating_sub(zone);
    Some(if ruled_out == 0 {
        format!("Red lines ({}) rule out no deal that would otherwise beat walking away.", list(&lines))
    } else if zone == 0 {
        format!(
            "No acceptable deal: all {} deals that would beat walking away for {} cross a red line: {}.",
            thousands(r.zone_without_red_lines),
            list(&d.must_agree),
            list(&binding)
        )
    } else {
        format!(
            "Red lines rule out {} of the {} deals that would otherwise beat walking away: {}.",
            thousands(ruled_out),
            thousands(r.zone_without_red_lines),
            list(&binding)
        )
    })
}

/// The Nash and Kalai-Smorodinsky deals; the Nash deal says whom it counts when that is more than
/// the parties that must agree (simulated results are measured against theirs).
fn solutions_sentence(d: &CaseDeal, mediator: Option<&str>) -> Option<String> {
    let nash = d.nash.as_ref()?;
    let mut s = match d.nash_scope(mediator) {
        None => format!("The Nash deal (the most gain for all, multiplied): {}.", terms_text(nash)),
        Some(scope) => {
            format!("The Nash deal {} (the most gain for {}, multiplied): {}.", scope.phrase(), list(&d.parties), terms_text(nash))
        }
    };
    if let Some(ks) = &d.kalai_smorodinsky {
        let diff = differences(nash, ks);
        if diff.is_empty() {
            s.push_str(" The Kalai-Smorodinsky deal is the same.");
        } else {
            s.push_str(&format!(" The Kalai-Smorodinsky deal (equal shares of possible gain) differs on {}.", list(&diff)));
        }
    }
    // (ties: the party listed first, the one tie rule)
    if let Some(p) =
        detente_core::select::argmax(nash.parties.iter().enumerate().map(|(i, p)| (i, p.gives_up))).map(|(i, _)| &nash.parties[i])
    {
        s.push_str(&format!(" Under Nash, {} gives up the most ({:.3} below its best deal).", p.party, p.gives_up));
    }
    Some(s)
}

fn run_brief(r: &Run) -> String {
    let round = r.concessions.as_ref().and_then(|c| c.agreed_round.map(|a| format!("round {a}")));
    let q = r.quality.as_ref().and_then(|q| {
        let p = q.pareto_distance?;
        let n = q.nash_distance?;
        Some(if p < 1e-9 {
            format!("on the Pareto frontier, {n:.3} from the Nash point")
        } else {
            format!("{p:.3} from the frontier, {n:.3} from the Nash point")
        })
    });
    let m = r.mediator.as_ref().and_then(mediator_brief);
    let parts: Vec<String> = [round, q, m].into_iter().flatten().collect();
    format!("{} ({})", r.protocol.label(), parts.join("; "))
}

/// The mediator's utility of a result beside its utility at the required parties' Nash deal:
/// the price of its bias, in words.
pub fn mediator_brief(m: &OutsideUtility) -> Option<String> {
    let over = m.over_nash?;
    m.at_nash?;
    Some(if over.abs() < 5e-4 {
        format!("the mediator {} gets {:.3}, as at the Nash point", m.actor, m.utility)
    } else {
        format!(
            "the mediator {} gets {:.3}, {:.3} {} than at the Nash point",
            m.actor,
            m.utility,
            over.abs(),
            if over > 0.0 { "more" } else { "less" }
        )
    })
}

/// "russia and ukraine": the parties a quality was measured over, when some stakeholder (a
/// mediator, a party whose acceptance is optional) is left out of that space.
fn measured_over(c: &CaseRuns) -> Option<String> {
    c.runs.iter().find_map(|r| r.quality.as_ref()).filter(|q| !q.outside.is_empty()).map(|q| list(&q.parties))
}

fn protocols_sentence(c: &CaseRuns) -> Option<String> {
    if let Some(e) = &c.error {
        return Some(format!("No negotiation was simulated: {e}."));
    }
    let ran: Vec<&Run> = c.runs.iter().filter(|r| r.not_run.is_none()).collect();
    if ran.is_empty() {
        return None;
    }
    let deals: Vec<String> = ran.iter().filter(|r| r.agreed).map(|r| run_brief(r)).collect();
    let none: Vec<String> = ran.iter().filter(|r| !r.agreed).map(|r| r.protocol.label().to_string()).collect();
    let mut s = format!("{} of {} protocols reach a deal with the default strategies", deals.len(), ran.len());
    if !deals.is_empty() {
        s.push_str(&format!(": {}", list(&deals)));
    }
    s.push('.');
    if let (false, Some(who)) = (deals.is_empty(), measured_over(c)) {
        s.push_str(&format!(" Frontier and Nash point are those of {who}, who must agree."));
    }
    if !none.is_empty() {
        let names = list(&none);
        let mut chars = names.chars();
        let names = chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect());
        s.push_str(&format!(" {names} end{} without one.", if none.len() == 1 { "s" } else { "" }));
    }
    let skipped: Vec<String> = c.runs.iter().filter_map(|r| r.not_run.as_ref().map(|w| format!("{} ({w})", r.protocol.label()))).collect();
    if !skipped.is_empty() {
        s.push_str(&format!(" Not run: {}.", list(&skipped)));
    }
    Some(s)
}

fn variant_sentence(report: &StudyReport, k: usize) -> Option<Finding> {
    let case = &report.cases[k];
    let base_id = &report.cases[0].id;
    let name = case.title.clone().unwrap_or_else(|| case.id.clone());
    let mut parts = Vec::new();
    let deal = |id: &str| report.deal.cases.iter().find(|d| d.case == id);
    let mut deals_same = true;
    if let (Some(b), Some(v)) = (deal(base_id), deal(&case.id)) {
        if b.zone_exists != v.zone_exists {
            parts.push(if v.zone_exists {
                "opens a zone of agreement".to_string()
            } else {
                "leaves no deal that beats walking away for everyone who must agree".to_string()
            });
        } else if let (Some(x), Some(y)) = (b.zone_size, v.zone_size) {
            if x != y {
                let verb = if y < x { "shrinks" } else { "grows" };
                parts.push(format!("{verb} the zone from {} to {} deals", thousands(x), thousands(y)));
            }
        }
        let moved = |a: &Option<Deal>, b: &Option<Deal>| match (a, b) {
            (Some(a), Some(b)) => differences(a, b),
            _ => Vec::new(),
        };
        let (n, ks) = (moved(&b.nash, &v.nash), moved(&b.kalai_smorodinsky, &v.kalai_smorodinsky));
        deals_same = n.is_empty() && ks.is_empty();
        if !n.is_empty() {
            parts.push(format!("moves the Nash deal to {}", list(&n)));
        }
        if !ks.is_empty() {
            parts.push(format!("moves the Kalai-Smorodinsky deal to {}", list(&ks)));
        }
    }
    let runs = |id: &str| report.simulation.cases.iter().find(|c| c.case == id);
    let mut sims_same = true;
    if let (Some(b), Some(v)) = (runs(base_id), runs(&case.id)) {
        let mut changed = Vec::new();
        for (x, y) in b.runs.iter().zip(&v.runs) {
            if x.same_result(y) {
                continue;
            }
            sims_same = false;
            let label = y.protocol.label();
            match (x.agreed, y.agreed) {
                (false, true) => parts.push(format!("lets {label} reach a deal")),
                (true, false) => parts.push(format!("keeps {label} from a deal")),
                _ => changed.push(label.to_string()),
            }
        }
        match changed.len() {
            0 => {}
            1 => parts.push(format!("changes the {} result", changed[0])),
            _ => parts.push(format!("changes the {} results", list(&changed))),
        }
    }
    let fc = report.forecast.cases.iter().find(|c| c.case == case.id);
    let forecast_same = fc.is_none_or(|c| c.same_as.is_some() || c.changed.is_empty());
    if let Some(c) = fc.filter(|c| !c.changed.is_empty()) {
        parts.push(format!("moves the forecasts on {} of {} issues", c.changed.len(), c.comparison.as_ref().map_or(0, |x| x.rows.len())));
    }
    let what = if case.changes.is_empty() { "no change".to_string() } else { case.changes.join("; ") };
    let name = format!("{name} [{}: {what}]", case.id);
    let all_restate = !case.unread.is_empty() && case.unread.len() == case.changes.len() && case.unread.iter().all(|u| u.restates_base);
    let text = if all_restate {
        format!("{name} restates the {base_id} case: none of its changes changes anything.")
    } else if parts.is_empty() {
        let opening = report.simulation.opening_tests.iter().any(|t| t.ran().is_some_and(|t| t.variant == case.id));
        format!(
            "{name} gives the same results as the {base_id} case in every lens{}.",
            if opening { " (its opening is tested on its own below)" } else { "" }
        )
    } else {
        let mut unchanged = Vec::new();
        if deals_same {
            unchanged.push("the Nash and Kalai-Smorodinsky deals");
        }
        if sims_same {
            unchanged.push("the simulated negotiations");
        }
        if forecast_same {
            unchanged.push("the forecasts");
        }
        let tail = if unchanged.is_empty() {
            String::new()
        } else {
            format!(", but leaves {} as they are", list(&unchanged.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
        };
        format!("{name} {}{tail}.", list(&parts))
    };
    let one = case.changes.len() == 1;
    let notes: Vec<String> = if all_restate {
        Vec::new()
    } else {
        case.unread
            .iter()
            .map(|u| {
                let what = if one { "Not read".to_string() } else { format!("\"{}\" is not read", u.change) };
                if u.restates_base {
                    format!("{what}: it restates the {base_id}")
                } else if matches!(u.input, detente_core::Input::MediatorRule) {
                    format!("{what} {}", u.why)
                } else {
                    // the two single-text runs read the same inputs: name them once
                    let single: [&str; 2] = [StudyProtocol::BiasedSingleText.label(), StudyProtocol::NeutralSingleText.label()];
                    let mut who: Vec<String> = Vec::new();
                    for l in &u.ignored_by {
                        if single.contains(&l.as_str()) && single.iter().all(|x| u.ignored_by.iter().any(|y| y == x)) {
                            if !who.iter().any(|w| w == "the single-text runs") {
                                who.push("the single-text runs".into());
                            }
                        } else {
                            who.push(l.clone());
                        }
                    }
                    format!("{what} by {}", list(&who))
                }
            })
            .collect()
    };
    let text = if notes.is_empty() { text } else { format!("{text} {}.", notes.join("; ")) };
    Some(Finding { topic: Topic::Variant, text, evidence: format!("variant-{}", case.id) })
}

fn forecast_sentences(report: &StudyReport) -> Vec<String> {
    let mut out = Vec::new();
    let f = &report.forecast;
    if let Some(cmp) = f.cases.first().and_then(|c| c.comparison.as_ref()) {
        let with_options = f.disagreement.iter().filter(|d| cmp.rows.iter().any(|r| r.issue == d.issue && r.options.is_some())).count();
        let agree: Vec<String> = f.disagreement.iter().filter(|d| d.same_option).map(|d| d.issue.clone()).collect();
        let mut s = format!("The five forecasting models name the same option on {} of {} issues", agree.len(), with_options);
        if let Some(w) = f.disagreement.first() {
            if let Some(r) = cmp.rows.iter().find(|r| r.issue == w.issue) {
                let issue = report.scenario.issues.iter().find(|i| i.id == w.issue);
                let at = |x: f64| issue.map_or_else(|| format!("{x:.0}"), |i| i.format_position(x));
                s.push_str(&format!(
                    "; they disagree most on {} (weighted mean {}, median {}, expected utility {}, SMP {}, exchange {})",
                    w.issue,
                    at(r.mean),
                    at(r.median),
                    at(r.eu),
                    at(r.smp),
                    at(r.exchange)
                ));
            }
        }
        s.push('.');
        out.push(s);
    }
    // How much the expected-utility forecast depends on the reading of the model.
    if let Some(first) = f.presets.first() {
        let split: Vec<String> = first
            .issues
            .iter()
            .enumerate()
            .filter(|(k, (_, _, option))| f.presets.iter().skip(1).any(|p| p.issues.get(*k).is_some_and(|x| x.2 != *option)))
            .map(|(_, (issue, _, _))| issue.clone())
            .collect();
        if !split.is_empty() {
            let names: Vec<String> = f.presets.iter().map(|p| p.preset.to_string()).collect();
            out.push(format!(
                "The expected-utility forecast depends on how the model is read: {} of {} issues change option between its presets ({}, which reproduce different published codes): {}.",
                split.len(),
                first.issues.len(),
                names.join(", "),
                list(&split)
            ));
        }
    }
    if !f.left_out.is_empty() {
        let who: Vec<String> = f.left_out.iter().map(|(a, why)| format!("{a} ({why})")).collect();
        out.push(format!("The spatial models leave out {}.", list(&who)));
    }
    if let Section::Ran(r) = &report.robustness {
        let fragile: Vec<String> = r
            .forecast
            .iter()
            .filter(|o| o.shares.first().is_some_and(|(_, p)| *p < 0.8))
            .map(|o| {
                let top: Vec<String> = o.shares.iter().take(2).map(|(opt, p)| format!("{opt} {}", percent(*p))).collect();
                format!("{} ({})", o.issue, top.join(" / "))
            })
            .collect();
        if !fragile.is_empty() {
            out.push(format!(
                "The expected-utility forecast is fragile on {}: over {} draws of the stated spreads no option comes out in 80 % of runs.",
                list(&fragile),
                r.runs
            ));
        }
    }
    out
}

fn robustness_sentences(report: &StudyReport) -> Vec<String> {
    let Section::Ran(r) = &report.robustness else { return Vec::new() };
    let mut out = Vec::new();
    let mut s = format!(
        "Over {} draws of the {} stated input spreads (seed {}), a deal beats walking away in {} of runs (95 % interval {}-{})",
        r.runs,
        r.inputs.len(),
        r.seed,
        percent(r.zone.p),
        percent(r.zone.lo),
        percent(r.zone.hi)
    );
    s.push_str(&format!(" and the Nash deal{} is the stated one in {}", report.nash_counted(&r.case), percent(r.nash_unchanged.p)));
    let unstable: Vec<String> = r
        .nash
        .iter()
        .filter(|o| o.shares.first().is_some_and(|(opt, p)| *p < 0.9 || Some(opt) != o.stated.as_ref()))
        .map(|o| o.issue.clone())
        .collect();
    if !unstable.is_empty() {
        s.push_str(&format!(", moving most on {}", list(&unstable)));
    }
    s.push('.');
    out.push(s);
    let chances: Vec<String> = r.protocols.iter().map(|p| format!("{} {}", p.protocol.label(), percent(p.deal.p))).collect();
    out.push(format!("Over the same draws, the chance of a deal per protocol: {}.", list(&chances)));
    let changing: Vec<&crate::Sensitivity> = r.sensitivity.iter().filter(|x| !x.changes.is_empty()).collect();
    if changing.is_empty() {
        out.push(format!("Moved alone across its stated range, none of the {} uncertain inputs changes a finding.", r.sensitivity.len()));
    } else {
        let top = changing[0];
        out.push(format!(
            "Moved alone across its stated range, {} of {} uncertain inputs change a finding; for example {}: {}.",
            changing.len(),
            r.sensitivity.len(),
            top.input,
            top.changes.first().cloned().unwrap_or_default()
        ));
    }
    out
}

/// Every finding of a report, in reading order.
pub fn findings(report: &StudyReport) -> Vec<Finding> {
    let mut out = Vec::new();
    let first = report.cases.first().map(|c| c.id.clone()).unwrap_or_default();
    if let Some(d) = report.deal.cases.iter().find(|d| d.case == first) {
        out.push(Finding { topic: Topic::Zone, text: zone_sentence(d), evidence: "deal".into() });
        if let Some(s) = red_lines_sentence(d) {
            out.push(Finding { topic: Topic::RedLines, text: s, evidence: "deal".into() });
        }
        if let Some(s) = solutions_sentence(d, report.scenario.mediator.as_deref()) {
            out.push(Finding { topic: Topic::Solutions, text: s, evidence: "deal".into() });
        }
    } else if let Some((_, why)) = report.deal.not_analysed.first() {
        out.push(Finding { topic: Topic::Zone, text: format!("The deals were not analysed: {why}."), evidence: "deal".into() });
    }
    if let Some(s) = report.simulation.cases.first().and_then(protocols_sentence) {
        out.push(Finding { topic: Topic::Protocols, text: s, evidence: "simulation".into() });
    }
    if let Some(c) = report.simulation.comparison.ran() {
        for s in comparison_sentences(c) {
            out.push(Finding { topic: Topic::Comparison, text: s, evidence: "comparison".into() });
        }
    }
    if report.cases.first().is_some_and(|c| c.id == "base") {
        for k in 1..report.cases.len() {
            out.extend(variant_sentence(report, k));
        }
    }
    for t in &report.simulation.opening_tests {
        let Section::Ran(t) = t else { continue };
        let moved: Vec<String> = t
            .demands
            .iter()
            .map(|d| match (d.direction, d.without, d.with) {
                (Direction::More, Some(a), Some(b)) => format!("{}'s final demand rises from {a:.3} to {b:.3}", d.party),
                (Direction::Less, Some(a), Some(b)) => format!("{}'s final demand falls from {a:.3} to {b:.3}", d.party),
                (Direction::Same, Some(a), _) => format!("{}'s final demand stays at {a:.3}", d.party),
                _ => format!("{} makes no offer in one of the runs", d.party),
            })
            .collect();
        let less = t.demands.iter().any(|d| d.direction == Direction::Less);
        let verdict = match (t.larger_demands, less) {
            (true, false) => "consistent with the claim that an early concession invites larger demands, against opponents whose aspirations follow the other side's generosity",
            (true, true) => "mixed evidence for the claim that an early concession invites larger demands: some opponents ask for more, others for less",
            _ => "no sign that the early concession invites larger demands, even against opponents whose aspirations follow the other side's generosity",
        };
        out.push(Finding {
            topic: Topic::OpeningTest,
            text: format!(
                "Opening-concession test ({}): when {}, {}: {verdict}.",
                t.title.as_deref().unwrap_or(&t.variant),
                list(&t.concessions),
                list(&moved)
            ),
            evidence: format!("opening-{}", t.variant),
        });
    }
    for s in forecast_sentences(report) {
        out.push(Finding { topic: Topic::Forecast, text: s, evidence: "forecast".into() });
    }
    for s in robustness_sentences(report) {
        out.push(Finding { topic: Topic::Robustness, text: s, evidence: "robustness".into() });
    }
    if let Some(s) = report.stability.as_ref().map(stability_sentence) {
        out.push(Finding { topic: Topic::Stability, text: s, evidence: "stability".into() });
    }
    out
}

/// The stability lens in one sentence: whether the status quo is an equilibrium and how many
/// states are (the briefing's section and `detente conflict` give the rest).
fn stability_sentence(st: &detente_conflict::StabilityReport) -> String {
    use detente_conflict::Concept;
    let (nash, seq) = (st.equilibria(Concept::Nash), st.equilibria(Concept::Seq));
    // One line in the briefing (it is at its length limit): the full section is in --full.
    let sq = match &st.status_quo {
        Some(q) if nash.contains(&q.state) => format!("Status quo {} is a Nash equilibrium; ", q.state),
        Some(q) if seq.contains(&q.state) => format!("Status quo {} is a SEQ equilibrium; ", q.state),
        Some(q) => format!("Status quo {} is no equilibrium; ", q.state),
        None => String::new(),
    };
    format!("{sq}{} Nash and {} SEQ equilibria of {} states.", nash.len(), seq.len(), st.states.len())
}

/// `22% [12-38%]`: a share of runs with its 95 % interval, in whole percent.
pub fn rate(p: &Probability) -> String {
    if p.p.is_nan() {
        return "-".into();
    }
    format!("{} [{:.0}-{:.0}%]", percent(p.p), p.lo * 100.0, p.hi * 100.0)
}

/// `+78 [60 to 88]`: a difference of rates in percentage points with its 95 % interval.
fn points(c: &Contrast) -> String {
    format!("{:+.0} [{:.0} to {:.0}]", c.difference * 100.0, c.lo * 100.0, c.hi * 100.0)
}

/// The comparison over seeds in words: each protocol's and rule's chance of a deal, the
/// differences the seeds bear out, and how close the deals come to the required parties'
/// frontier, with what the mediator gains.
fn comparison_sentences(c: &Comparison) -> Vec<String> {
    let ran: Vec<&ArmResult> = c.arms.iter().filter(|a| a.not_run.is_none()).collect();
    if ran.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let rate_of = |a: Arm| c.arms.iter().find(|x| x.arm == a).map_or("-".into(), |x| rate(&x.agreed));
    // What the seeds bear out, and what they do not tell apart, protocol by protocol.
    let rule = |a: Arm| a.rule.map_or("", |r| r.as_str());
    let mut borne: Vec<String> = Vec::new();
    // Protocols where the same rules win by the same margins are named together.
    let mut won: Vec<(String, Vec<String>)> = Vec::new();
    let mut alike: Vec<(String, Vec<String>)> = Vec::new();
    // (the default mediator, which knows only the votes; the omniscient benchmark is set beside
    // it below, and its own rules in the table)
    let k = detente_protocol::Knowledge::Votes;
    for p in detente_core::ProtocolName::ALL {
        let mine: Vec<&Contrast> = c
            .contrasts
            .iter()
            .filter(|x| x.a.protocol == p && x.b.protocol == p && x.a.knowledge == Some(k) && x.b.knowledge == Some(k))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let label = mine[0].a.protocol_label();
        let mut wins: Vec<(Arm, Vec<String>)> = Vec::new();
        for x in mine.iter().filter(|x| x.borne_out) {
            let beaten = format!("{} ({}; {})", rule(x.b), rate_of(x.b), points(x));
            match wins.iter_mut().find(|(a, _)| *a == x.a) {
                Some((_, v)) => v.push(beaten),
                None => wins.push((x.a, vec![beaten])),
            }
        }
        // Rules with the same rate that beat the same rules by the same margins are named together.
        let mut same: Vec<(Vec<&str>, String, String)> = Vec::new();
        for (a, v) in &wins {
            let (r, beaten) = (rate_of(*a), list(v));
            match same.iter_mut().find(|(_, x, y)| *x == r && *y == beaten) {
                Some((rules, _, _)) => rules.push(rule(*a)),
                None => same.push((vec![rule(*a)], r, beaten)),
            }
        }
        if !same.is_empty() {
            let w: Vec<String> = same
                .iter()
                .map(|(rules, r, beaten)| match rules.as_slice() {
                    [one] => format!("{one} ({r}) beats {beaten}"),
                    _ => format!("{} ({r}) each beat {beaten}", list(&rules.iter().map(|x| x.to_string()).collect::<Vec<_>>())),
                })
                .collect();
            let what = w.join(", ");
            match won.iter_mut().find(|(x, _)| *x == what) {
                Some((_, labels)) => labels.push(label.to_string()),
                None => won.push((what, vec![label.to_string()])),
            }
        }
        let same: Vec<&&Contrast> = mine.iter().filter(|x| !x.borne_out).collect();
        let pairs = if same.len() == mine.len() {
            "any two rules".to_string()
        } else {
            list(&same.iter().map(|x| format!("{} and {}", rule(x.a), rule(x.b))).collect::<Vec<_>>())
        };
        if !same.is_empty() {
            // Protocols where the same pairs are not told apart are named together.
            match alike.iter_mut().find(|(p, _)| *p == pairs) {
                Some((_, protocols)) => protocols.push(label.to_string()),
                None => alike.push((pairs, vec![label.to_string()])),
            }
        }
    }
    // What knowing only the votes changes, against the omniscient benchmark.
    let mut knowing: Vec<String> = Vec::new();
    let share = |a: Arm| c.arms.iter().find(|x| x.arm == a).map_or("-".into(), |x| format!("{:.0}%", 100.0 * x.agreed.p));
    for x in c.contrasts.iter().filter(|x| x.a.protocol == x.b.protocol && x.a.rule == x.b.rule && x.a.knowledge != x.b.knowledge) {
        if x.borne_out {
            let (v, o) = if x.a.knowledge == Some(detente_protocol::Knowledge::Votes) { (x.a, x.b) } else { (x.b, x.a) };
            knowing.push(format!("{} {}, {} vs {}", v.protocol_label(), rule(v), share(v), share(o)));
        }
    }
    borne.extend(won.iter().map(|(what, labels)| format!("under {}, {what}", list(labels))));
    for x in c.contrasts.iter().filter(|x| x.a.protocol != x.b.protocol && x.borne_out) {
        // `b` is the other protocol's best rule: beating it is beating every rule.
        let winner =
            if x.a.rule.is_some() { format!("{} with a {} mediator", x.a.protocol_label(), rule(x.a)) } else { "the joint table".into() };
        let loser = if x.b.rule.is_some() { format!("{} under any rule", x.b.protocol_label()) } else { "the joint table".into() };
        borne.push(format!("{winner} ({}) beats {loser} ({} at best; {})", rate_of(x.a), rate_of(x.b), points(x)));
    }
    let head = format!("Over {} seeds per protocol and mediator rule ({}, {} rounds)", c.seeds, c.case, c.deadline);
    let mut s = if borne.is_empty() {
        format!("{head}, no difference in the share of seeds with a deal is borne out (every 95 % interval of a difference includes zero).")
    } else {
        format!(
            "{head}, the share of seeds with a deal [95 % interval] differs where the interval of the difference (in points) excludes zero: {}.",
            borne.join("; ")
        )
    };
    if !alike.is_empty() {
        let a: Vec<String> = alike.iter().map(|(pairs, protocols)| format!("{pairs} under {}", list(protocols))).collect();
        s.push_str(&format!(" Not told apart: {}.", a.join("; ")));
    }
    out.push(s);
    if !knowing.is_empty() {
        out.push(format!(
            "What the mediator knows changes the share of seeds with a deal (knowing only the votes, the default, vs every \
             party's utility; each difference's 95 % interval excludes zero): {}.",
            knowing.join("; ")
        ));
    }
    // Quality of the deals and the mediator's gain.
    // (the default mediator's arms: an omniscient neutral one starts from the Nash deal itself)
    let with_deals: Vec<(&ArmResult, f64)> =
        ran.iter().filter(|a| a.deals >= 5 && !a.arm.omniscient()).filter_map(|a| a.pareto_distance.map(|d| (*a, d.mean))).collect();
    // (ties: the arm listed first)
    let arm = |k: Option<(usize, f64)>| k.map(|(k, _)| &with_deals[k]);
    let scores = || with_deals.iter().enumerate().map(|(k, a)| (k, a.1));
    if let (Some(lo), Some(hi)) = (arm(detente_core::select::argmin(scores())), arm(detente_core::select::argmax(scores()))) {
        let ms = |a: &ArmResult, d: f64| format!("{d:.3}±{:.3}, {} deals", a.pareto_distance.map_or(0.0, |x| x.sd), a.deals);
        let mut s = format!(
            "The deals land closest to the frontier of {} under {} ({}) and farthest under {} ({}; arms with 5 deals or more)",
            list(&c.parties),
            lo.0.arm.label(),
            ms(lo.0, lo.1),
            hi.0.arm.label(),
            ms(hi.0, hi.1)
        );
        if let Some(m) = &c.mediator {
            let gains: Vec<f64> = ran
                .iter()
                .filter(|a| a.arm.rule == Some(detente_core::MediatorRule::Biased) && a.deals == a.runs && a.runs > 0)
                .filter_map(|a| a.mediator_gain.map(|g| g.mean))
                .collect();
            if let (Some(a), Some(b)) = (gains.iter().copied().reduce(f64::min), gains.iter().copied().reduce(f64::max)) {
                let range = if (b - a).abs() < 5e-4 { format!("is {a:+.3}") } else { format!("ranges from {a:+.3} to {b:+.3}") };
                s.push_str(&format!(
                    "; where a biased mediator always reaches a deal, {m}'s mean gain over its utility at the Nash deal of {} {range}",
                    list(&c.parties)
                ));
            }
        }
        s.push('.');
        out.push(s);
    }
    out
}
