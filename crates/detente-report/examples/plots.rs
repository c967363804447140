//! Writes one SVG per plot of `detente_report::plot` to /tmp/plots/, from small realistic inputs,
//! for looking at them: `cargo run -p detente-report --example plots`.

use std::fs;
use std::path::Path;

use detente_report::plot::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new("/tmp/plots");
    fs::create_dir_all(dir)?;
    let plots = [
        ("position_map", position_map(&position_input())?),
        ("utility_space", utility_space(&utility_input())?),
        ("concession_curves", concession_curves(&concession_input())?),
        ("trajectory", trajectory(&trajectory_input())?),
        ("bars", bars(&bars_input())?),
        ("tornado", tornado(&tornado_input())?),
        ("no_data", bars(&Bars { title: "Nothing to show".into(), groups: vec![] })?),
        // edge cases: crowding, long labels, long runs, discrete spaces, negative values
        ("edge_position_map", position_map(&edge_position_input())?),
        ("edge_utility_space", utility_space(&edge_utility_input())?),
        ("edge_concession_curves", concession_curves(&edge_concession_input())?),
        ("edge_trajectory", trajectory(&edge_trajectory_input())?),
        ("edge_bars", bars(&edge_bars_input())?),
        ("edge_tornado", tornado(&edge_tornado_input())?),
        // worst case for the density: 200,000 uniform points fill every one of the 100 × 100 cells
        ("edge_utility_space_200k", utility_space(&UtilitySpace { outcomes: lcg_points(200_000), ..utility_input() })?),
    ];
    for (name, svg) in plots {
        let path = dir.join(format!("{name}.svg"));
        fs::write(&path, &svg)?;
        println!("{} {} bytes", path.display(), svg.len());
    }
    Ok(())
}

fn ideals(actors: &[(usize, f64, f64, f64)]) -> Vec<IdealPoint> {
    // (actor, position, capability, salience)
    actors.iter().map(|&(actor, position, cap, sal)| IdealPoint { actor, position, weight: cap * sal }).collect()
}

fn forecasts(values: &[(&str, f64)]) -> Vec<ForecastMark> {
    values.iter().map(|&(name, position)| ForecastMark { name: name.into(), position }).collect()
}

fn position_input() -> PositionMap {
    let actors = ["russia", "ukraine", "usa", "eu", "china", "turkey", "uk"].map(String::from).to_vec();
    PositionMap {
        title: "Where the actors stand".into(),
        actors,
        deal_label: "Nash deal".into(),
        issues: vec![
            PositionIssue {
                name: "territory".into(),
                ticks: vec![
                    (0.0, "pre_2014_borders".into()),
                    (33.0, "pre_2022_line".into()),
                    (67.0, "current_line".into()),
                    (100.0, "four_oblasts".into()),
                ],
                ideals: ideals(&[
                    (0, 95.0, 0.9, 1.0),
                    (1, 0.0, 0.5, 1.0),
                    (2, 10.0, 1.0, 0.6),
                    (3, 5.0, 0.7, 0.7),
                    (4, 70.0, 0.8, 0.3),
                    (5, 40.0, 0.3, 0.5),
                    (6, 3.0, 0.4, 0.6),
                ]),
                forecasts: forecasts(&[("mean", 38.0), ("median", 33.0), ("EU", 45.0), ("SMP", 52.0)]),
                deal: Some(67.0),
            },
            PositionIssue {
                name: "security guarantees".into(),
                ticks: vec![(0.0, "neutrality".into()), (50.0, "bilateral_guarantees".into()), (100.0, "nato_membership".into())],
                ideals: ideals(&[
                    (0, 0.0, 0.9, 0.9),
                    (1, 100.0, 0.5, 1.0),
                    (2, 55.0, 1.0, 0.5),
                    (3, 60.0, 0.7, 0.6),
                    (4, 10.0, 0.8, 0.2),
                    (5, 45.0, 0.3, 0.4),
                    (6, 80.0, 0.4, 0.5),
                ]),
                forecasts: forecasts(&[("mean", 50.0), ("median", 55.0), ("EU", 48.0), ("SMP", 41.0)]),
                deal: Some(50.0),
            },
            PositionIssue {
                name: "sanctions relief".into(),
                ticks: vec![],
                ideals: ideals(&[
                    (0, 100.0, 0.9, 0.7),
                    (1, 0.0, 0.5, 0.6),
                    (2, 20.0, 1.0, 0.4),
                    (3, 25.0, 0.7, 0.5),
                    (4, 90.0, 0.8, 0.4),
                    (5, 75.0, 0.3, 0.3),
                    (6, 15.0, 0.4, 0.3),
                ]),
                forecasts: forecasts(&[("mean", 46.0), ("median", 25.0), ("EU", 44.0), ("SMP", 47.0)]),
                deal: Some(40.0),
            },
        ],
    }
}

/// A synthetic negotiation: 6 issues with 7 options each (117,649 outcomes), partly opposed.
fn utility_input() -> UtilitySpace {
    let wa = [0.35, 0.2, 0.15, 0.1, 0.1, 0.1];
    let wb = [0.3, 0.25, 0.05, 0.2, 0.1, 0.1];
    // issues 0–2 opposed, 3 shared, 4–5 mildly opposed
    let mut outcomes = Vec::with_capacity(7usize.pow(6));
    for idx in 0..7usize.pow(6) {
        let mut rest = idx;
        let (mut ua, mut ub) = (0.0, 0.0);
        for i in 0..6 {
            let x = (rest % 7) as f64 / 6.0;
            rest /= 7;
            ua += wa[i] * x;
            ub += wb[i]
                * if i == 3 {
                    x
                } else if i >= 4 {
                    1.0 - 0.7 * x
                } else {
                    1.0 - x
                };
        }
        outcomes.push((ua, ub));
    }
    // Pareto frontier: sort by ua descending, keep points with strictly larger ub
    let mut sorted = outcomes.clone();
    sorted.sort_by(|p, q| q.0.total_cmp(&p.0).then(q.1.total_cmp(&p.1)));
    let mut frontier = Vec::new();
    let mut best_b = f64::NEG_INFINITY;
    for p in sorted {
        if p.1 > best_b + 1e-12 {
            frontier.push(p);
            best_b = p.1;
        }
    }
    let (ra, rb) = (0.35, 0.3);
    let nash =
        frontier.iter().copied().max_by(|p, q| ((p.0 - ra) * (p.1 - rb)).total_cmp(&((q.0 - ra) * (q.1 - rb)))).unwrap_or((0.5, 0.5));
    let ks = frontier
        .iter()
        .copied()
        .min_by(|p, q| {
            ((p.0 - ra) / (1.0 - ra) - (p.1 - rb) / (1.0 - rb)).abs().total_cmp(&((q.0 - ra) / (1.0 - ra) - (q.1 - rb) / (1.0 - rb)).abs())
        })
        .unwrap_or((0.5, 0.5));
    UtilitySpace {
        title: "Outcomes for russia and ukraine".into(),
        party_a: "russia".into(),
        party_b: "ukraine".into(),
        density: None,
        outcomes,
        frontier,
        reservation_a: Some(ra),
        reservation_b: Some(rb),
        marks: vec![
            MarkedPoint { name: "Nash".into(), utility_a: nash.0, utility_b: nash.1 },
            MarkedPoint { name: "Kalai–Smorodinsky".into(), utility_a: ks.0, utility_b: ks.1 },
            MarkedPoint { name: "joint table".into(), utility_a: 0.55, utility_b: 0.52 },
            MarkedPoint { name: "biased single text".into(), utility_a: 0.71, utility_b: 0.38 },
        ],
    }
}

fn concession_input() -> ConcessionCurves {
    let offers = |start: f64, floor: f64, beta: f64, n: u32| {
        (0..n).map(|r| (f64::from(r), floor + (start - floor) * (1.0 - (f64::from(r) / f64::from(n)).powf(beta)))).collect::<Vec<_>>()
    };
    ConcessionCurves {
        title: "Concessions under the single negotiating text".into(),
        parties: vec![
            ConcessionSeries {
                party: "russia".into(),
                own_offers: offers(1.0, 0.5, 2.5, 24),
                standing_text: (0..24).map(|r| (f64::from(r), 0.30 + 0.012 * f64::from(r))).collect(),
                reservation: Some(0.45),
            },
            ConcessionSeries {
                party: "ukraine".into(),
                own_offers: offers(0.95, 0.42, 1.2, 24),
                standing_text: (0..24).map(|r| (f64::from(r), 0.72 - 0.009 * f64::from(r))).collect(),
                reservation: Some(0.38),
            },
        ],
        agreement_round: Some(23.0),
    }
}

fn trajectory_input() -> Trajectory {
    let path = |from: f64, to: f64, speed: f64| {
        (0..=12).map(|r| (f64::from(r), to + (from - to) * (-speed * f64::from(r)).exp())).collect::<Vec<_>>()
    };
    Trajectory {
        title: "Territory: forecast over the model's rounds".into(),
        issue: "territory".into(),
        ticks: vec![
            (0.0, "pre_2014_borders".into()),
            (33.0, "pre_2022_line".into()),
            (67.0, "current_line".into()),
            (100.0, "four_oblasts".into()),
        ],
        actors: vec![
            ActorPath { actor: "russia".into(), positions: path(95.0, 78.0, 0.3) },
            ActorPath { actor: "ukraine".into(), positions: path(0.0, 28.0, 0.2) },
            ActorPath { actor: "usa".into(), positions: path(10.0, 30.0, 0.25) },
            ActorPath { actor: "eu".into(), positions: path(5.0, 31.0, 0.25) },
            ActorPath { actor: "china".into(), positions: path(70.0, 62.0, 0.3) },
            ActorPath { actor: "turkey".into(), positions: path(40.0, 50.0, 0.3) },
        ],
        forecast: path(33.0, 52.0, 0.25),
        forecast_label: "median forecast".into(),
        bands: path(33.0, 52.0, 0.25)
            .into_iter()
            .map(|(r, m)| {
                let spread = 4.0 + 1.6 * r;
                BandPoint { round: r, p5: m - 2.2 * spread, p25: m - spread, p75: m + spread, p95: m + 2.0 * spread }
            })
            .collect(),
    }
}

fn bars_input() -> Bars {
    Bars {
        title: "How likely is a deal?".into(),
        groups: vec![
            BarGroup {
                heading: Some("Probability a deal beats walking away".into()),
                bars: vec![
                    Bar { label: "russia".into(), value: 0.81, interval: Some((0.7, 0.9)) },
                    Bar { label: "ukraine".into(), value: 0.46, interval: Some((0.31, 0.6)) },
                    Bar { label: "both".into(), value: 0.39, interval: Some((0.25, 0.52)) },
                ],
            },
            BarGroup {
                heading: Some("P(option in the Nash deal)".into()),
                bars: vec![
                    Bar { label: "territory = current_line".into(), value: 0.62, interval: None },
                    Bar { label: "territory = pre_2022_line".into(), value: 0.31, interval: None },
                    Bar { label: "security = bilateral_guarantees".into(), value: 0.997, interval: None },
                    Bar { label: "security = nato_membership".into(), value: 0.002, interval: None },
                ],
            },
            BarGroup {
                heading: Some("P(protocol reaches a deal)".into()),
                bars: vec![
                    Bar { label: "alternating offers (SAO)".into(), value: 0.54, interval: Some((0.49, 0.59)) },
                    Bar { label: "single negotiating text".into(), value: 0.71, interval: Some((0.66, 0.76)) },
                    Bar { label: "shuttle mediation".into(), value: 0.63, interval: Some((0.58, 0.68)) },
                ],
            },
        ],
    }
}

fn tornado_input() -> Tornado {
    Tornado {
        title: "What moves the chance of a deal".into(),
        x_label: "P(deal beats walking away for both)".into(),
        base: 0.39,
        low_label: "input at the low end of its range".into(),
        high_label: "input at the high end".into(),
        rows: vec![
            TornadoRow { label: "usa × sanctions (salience 0.2–0.6)".into(), low: 0.36, high: 0.44 },
            TornadoRow { label: "russia × territory (ideal 80–100)".into(), low: 0.55, high: 0.24 },
            TornadoRow { label: "ukraine reservation (0.3–0.5)".into(), low: 0.51, high: 0.27 },
            TornadoRow { label: "eu × security (capability 0.4–0.8)".into(), low: 0.37, high: 0.42 },
            TornadoRow { label: "china × territory (salience 0.1–0.5)".into(), low: 0.41, high: 0.35 },
            TornadoRow { label: "turkey × sanctions (ideal 60–90)".into(), low: 0.385, high: 0.40 },
        ],
    }
}

fn edge_position_input() -> PositionMap {
    let actors: Vec<String> = (0..12).map(|i| format!("actor_with_long_id_{i}")).collect();
    PositionMap {
        title: "Crowded issue with an extremely long title that will certainly not fit on one line of a 720 pixel wide plot".into(),
        actors,
        deal_label: String::new(),
        issues: vec![
            PositionIssue {
                name: "crowded".into(),
                ticks: vec![(0.0, "a_long_option_label_at_zero".into()), (5.0, "another_long_label_at_five".into()), (100.0, "end".into())],
                ideals: (0..12)
                    .map(|i| IdealPoint { actor: i, position: 50.0 + f64::from(i as u32), weight: f64::from(i as u32) })
                    .collect(),
                forecasts: ["mean", "median", "EU", "SMP", "x", "y", "z", "w"]
                    .iter()
                    .map(|n| ForecastMark { name: (*n).into(), position: 55.0 })
                    .collect(),
                deal: Some(100.0),
            },
            PositionIssue { name: "empty issue".into(), ..Default::default() },
        ],
    }
}

fn edge_utility_input() -> UtilitySpace {
    let outcomes: Vec<(f64, f64)> =
        (0..5).flat_map(|i| (0..5).map(move |j| (f64::from(i) / 4.0, 1.0 - f64::from(j) / 5.0 - f64::from(i) / 10.0))).collect();
    UtilitySpace {
        title: "A small discrete space, no reservations".into(),
        party_a: "a_party_with_a_rather_long_name".into(),
        party_b: "b".into(),
        density: None,
        outcomes,
        frontier: vec![(0.0, 1.0), (0.25, 0.975), (0.5, 0.95), (0.75, 0.925), (1.0, 0.9)],
        reservation_a: None,
        reservation_b: Some(0.95),
        marks: (0..7).map(|k| MarkedPoint { name: format!("mark number {k} with a long name"), utility_a: 0.5, utility_b: 0.95 }).collect(),
    }
}

fn edge_concession_input() -> ConcessionCurves {
    let n = 180;
    ConcessionCurves {
        title: "A long alternating-offers session without agreement".into(),
        parties: (0..4)
            .map(|p| ConcessionSeries {
                party: format!("party_{p}"),
                own_offers: (0..n)
                    .filter(|r| r % 4 == p)
                    .map(|r| (f64::from(r), 1.0 - 0.4 * f64::from(r) / f64::from(n) - 0.05 * f64::from(p)))
                    .collect(),
                standing_text: vec![],
                reservation: Some(0.5 + 0.05 * f64::from(p)),
            })
            .collect(),
        agreement_round: None,
    }
}

fn edge_trajectory_input() -> Trajectory {
    Trajectory {
        title: "Ten actors converging, numeric axis, no bands".into(),
        issue: String::new(),
        ticks: vec![],
        actors: (0..10)
            .map(|i| ActorPath {
                actor: format!("actor_{i}"),
                positions: (0..=8).map(|r| (f64::from(r), 50.0 + (f64::from(i) * 10.0 - 45.0) * (-0.5 * f64::from(r)).exp())).collect(),
            })
            .collect(),
        forecast: (0..=8).map(|r| (f64::from(r), 50.0)).collect(),
        forecast_label: String::new(),
        bands: vec![],
    }
}

fn edge_bars_input() -> Bars {
    Bars {
        title: "Long labels".into(),
        groups: vec![BarGroup {
            heading: None,
            bars: vec![
                Bar {
                    label: "a very long label that goes on and on and on well beyond any reasonable width for a bar chart".into(),
                    value: 0.5,
                    interval: Some((0.2, 0.95)),
                },
                Bar { label: "not a number".into(), value: f64::NAN, interval: None },
                Bar { label: "zero".into(), value: 0.0, interval: Some((0.0, 0.02)) },
                Bar { label: "one".into(), value: 1.0, interval: Some((0.98, 1.0)) },
            ],
        }],
    }
}

fn edge_tornado_input() -> Tornado {
    Tornado {
        title: "Negative metric, one-sided rows".into(),
        x_label: "change in joint utility".into(),
        base: -12.0,
        low_label: String::new(),
        high_label: String::new(),
        rows: vec![
            TornadoRow { label: "both above base".into(), low: -8.0, high: -2.0 },
            TornadoRow { label: "both below base".into(), low: -30.0, high: -15.0 },
            TornadoRow { label: "no effect".into(), low: -12.0, high: -12.0 },
            TornadoRow { label: "crossing".into(), low: -20.0, high: -4.0 },
        ],
    }
}

/// Deterministic uniform points in the unit square (a 64-bit LCG).
fn lcg_points(n: usize) -> Vec<(f64, f64)> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n).map(|_| (next(), next())).collect()
}
