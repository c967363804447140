//! The reference scenario (US-mediated Russia–Ukraine ceasefire talks, Feb 2025): the shipped file
//! `scenarios/ukraine-ceasefire-2025.toml`, and the same positions/salience/capability table from
//! `shared/docs/seed-scenario.md` built by hand (a test checks that the two agree, so hand
//! calculations on the table hold for the file). Illustrative assumptions, as both say.
#![allow(dead_code, unreachable_pub)]

use detente_core::{
    Actor, Issue, IssueKind, Loss, Metadata, OutcomeSpace, Patch, Position, Preferences, ProtocolDefaults, Role, Scenario, ScenarioDraft,
    Spatial, Utility, Variant,
};

pub const ISSUES: [&str; 10] = [
    "territory",
    "nato",
    "security_guarantee",
    "deterrent_force",
    "demilitarization",
    "sanctions",
    "resources",
    "elections",
    "europe_role",
    "prisoners",
];

/// One actor row: `(actor, capability, [(ideal, salience); 10])` in issue order.
pub type Row = (&'static str, f64, [(f64, f64); 10]);

/// The seed table, every position on the issue's 0–100 axis as the seed document states it
/// (`deterrent_force` too, whose positions a scenario states in thousand troops: see
/// [`seed_scenario`]).
pub const TABLE: [Row; 4] = [
    (
        "usa",
        100.0,
        [(67., 0.2), (90., 0.5), (67., 0.6), (67., 0.3), (40., 0.3), (50., 0.3), (100., 0.7), (70., 0.3), (70., 0.2), (0., 0.3)],
    ),
    (
        "russia",
        80.0,
        [(100., 0.9), (100., 0.8), (100., 0.7), (100., 0.6), (100., 0.8), (100., 0.8), (30., 0.2), (100., 0.4), (100., 0.3), (10., 0.2)],
    ),
    ("ukraine", 40.0, [(10., 0.9), (10., 0.6), (10., 0.9), (0., 0.7), (0., 0.9), (0., 0.5), (50., 0.5), (0., 0.6), (10., 0.4), (0., 0.6)]),
    (
        "europe",
        50.0,
        [(20., 0.6), (50., 0.4), (33., 0.7), (50., 0.5), (10., 0.6), (10., 0.5), (40., 0.2), (10., 0.2), (0., 0.9), (0., 0.2)],
    ),
];

pub use detente_testkit::reference_scenario;

/// The seed table as a scenario (no variants beyond three position patches).
pub fn seed_scenario() -> Scenario {
    let mut deterrent = Issue::integer("deterrent_force", 0, 150, 10);
    if let IssueKind::Integer { scale, .. } = &mut deterrent.kind {
        *scale = (100.0, 0.0);
    }
    let space = OutcomeSpace::new(vec![
        Issue::ordinal(
            "territory",
            &[("pre_2014_borders", 0.), ("pre_2022_lines", 33.), ("current_line", 67.), ("all_claimed_oblasts", 100.)],
        ),
        Issue::ordinal("nato", &[("membership", 0.), ("deferred", 50.), ("neutrality", 100.)]),
        Issue::ordinal(
            "security_guarantee",
            &[("article5_with_us", 0.), ("european_force_us_backstop", 33.), ("coalition_without_us", 67.), ("no_foreign_troops", 100.)],
        ),
        deterrent,
        Issue::ordinal("demilitarization", &[("no_cap", 0.), ("partial_cap", 50.), ("strict_cap", 100.)]),
        Issue::ordinal("sanctions", &[("maintained", 0.), ("phased_relief", 50.), ("lifted", 100.)]),
        Issue::ordinal("resources", &[("no_deal", 0.), ("partnership_with_guarantees", 50.), ("access_for_aid", 100.)]),
        Issue::ordinal("elections", &[("after_martial_law", 0.), ("soon_after_ceasefire", 100.)]),
        Issue::ordinal("europe_role", &[("at_the_table", 0.), ("consulted", 50.), ("excluded", 100.)]),
        Issue::ordinal("prisoners", &[("all_for_all", 0.), ("partial", 50.), ("none", 100.)]),
    ]);
    // positions are stated in the issues' units: the axis itself, but thousand troops on
    // deterrent_force (the axis reversed over 0–150)
    let units: Vec<detente_core::Units> = space.issues().iter().map(|i| i.units().expect("ordered issues")).collect();
    let actors = TABLE
        .iter()
        .map(|(id, cap, cells)| {
            let positions =
                cells.iter().zip(&units).map(|(&(ideal, salience), u)| Some(Position::new(u.from_scale(ideal), salience))).collect();
            let mut a = Actor::party(*id, Preferences::new(Utility::Spatial(Spatial { positions, loss: Loss::Linear })));
            a.capability = *cap;
            if *id == "usa" {
                a.role = Role::Mediator;
                a.required = false;
            }
            if *id == "europe" {
                a.required = false;
            }
            a
        })
        .collect();
    let variant = |id: &str, patches: Vec<Patch>| Variant { id: id.into(), title: None, description: None, patches };
    ScenarioDraft {
        meta: Metadata {
            id: "ukraine-ceasefire-2025".into(),
            title: "US-mediated Russia–Ukraine ceasefire talks (Feb 2025)".into(),
            ..Default::default()
        },
        space,
        actors,
        protocol: ProtocolDefaults { mediator: Some("usa".into()), ..Default::default() },
        salience: Default::default(),
        openings: vec![],
        variants: vec![
            variant("europe_at_the_table", vec![Patch::Required { actor: "europe".into(), required: true }]),
            variant(
                "early_concession",
                vec![Patch::Position { actor: "ukraine".into(), issue: "territory".into(), ideal: Some(67.0), salience: None }],
            ),
            variant(
                "us_steps_back",
                vec![Patch::Position { actor: "usa".into(), issue: "security_guarantee".into(), ideal: Some(67.0), salience: Some(0.0) }],
            ),
        ],
    }
    .validate()
    .expect("invariant: a valid scenario")
}
