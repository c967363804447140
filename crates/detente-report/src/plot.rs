//! Inline SVG plots (plotters' SVG backend) from plain inputs.
//!
//! Six pure functions — [`position_map`], [`utility_space`], [`concession_curves`],
//! [`trajectory`], [`bars`] and [`tornado`] — each take a plain input struct defined here and
//! return one self-contained `<svg>` element as a `String`, ready to be pasted into an offline
//! HTML page.
//!
//! # Conventions shared by every plot
//!
//! - **Markup.** The root element is
//!   `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 H" width="100%" role="img" font-family="sans-serif">`
//!   whose first child is `<title>` holding the plot's title (escaped). There is no `height`
//!   attribute: the page scales the plot to its container and the viewBox keeps the aspect
//!   ratio (cap the width with CSS, e.g. `svg { max-width: 720px }`, if the column is wide). No
//!   scripts, no external fonts, images or links; text is `<text>` in the generic `sans-serif`
//!   family. The width is always 720 user units; the height depends on the content.
//! - **Determinism.** The same input gives the same bytes: no hashing, no clock, no randomness;
//!   every sort is stable with an explicit tie-break.
//! - **Numbers.** Non-finite values (NaN, ±∞) are never drawn: the point, row, bar or series
//!   element carrying one is dropped (a bar with a non-finite value is shown as "n/a"). Finite
//!   values outside an axis' fixed range (0–100 for positions, 0–1 for utilities and
//!   probabilities) are clamped onto the axis; utility-space outcome points further than 10⁻⁶
//!   outside the unit square are dropped.
//! - **Empty input** is not an error: when nothing drawable remains the function returns a small
//!   valid SVG (720 × 98 with a title, 720 × 70 without) with the title and the words "no data".
//! - **Errors.** [`PlotError`] only reports a failure of the drawing backend (in practice
//!   unreachable for the in-memory SVG backend); the functions never panic on any input.
//! - **Colours.** Actors and parties are coloured by their index in the input, with the
//!   colour-blind-safe Okabe–Ito palette (black replaced by grey, which is reserved here for
//!   forecasts, deals and the outcome cloud); [`actor_color`] gives the same colour as a hex
//!   string so tables in the page can match the plots. Forecast and marked-point kinds are told
//!   apart by marker shape as well as colour.
//! - **Text metrics.** The crate builds plotters without `ttf`/`ab_glyph`, so plotters falls
//!   back to its naive font-size estimate; this module does its own layout with a per-glyph
//!   width estimate for a generic sans-serif (see `text_width`), never asks plotters to measure
//!   text, and sizes fonts so that the emitted `font-size` is exactly the intended pixel size
//!   (plotters' SVG backend divides the requested size by 1.24).

use std::cell::RefCell;
use std::f64::consts::PI;
use std::fmt::{self, Write as _};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

// ---------------------------------------------------------------------------------------------
// Public inputs
// ---------------------------------------------------------------------------------------------

/// Input to [`position_map`]: the spatial-bargaining picture of one scenario, one row per issue.
#[derive(Debug, Clone, Default)]
pub struct PositionMap {
    /// Title of the plot (drawn at the top and used as the SVG `<title>`).
    pub title: String,
    /// Actor ids. An actor's index in this list fixes its colour (see [`actor_color`]);
    /// [`IdealPoint::actor`] refers to this list.
    pub actors: Vec<String>,
    /// One row per issue, drawn top to bottom in this order.
    pub issues: Vec<PositionIssue>,
    /// Legend name of the deal tick (e.g. "Nash deal"), shown when any issue has a
    /// [`PositionIssue::deal`]; "deal" when empty.
    pub deal_label: String,
}

/// One issue row of a [`PositionMap`]: a horizontal 0–100 axis.
#[derive(Debug, Clone, Default)]
pub struct PositionIssue {
    /// Issue name, drawn as the row heading.
    pub name: String,
    /// Tick labels at their scale positions (0–100), e.g. `(0.0, "pre_2014_borders")`,
    /// `(67.0, "current_line")` for an ordinal issue. Empty: numeric ticks 0, 25, …, 100.
    pub ticks: Vec<(f64, String)>,
    /// The actors' ideal points on this issue.
    pub ideals: Vec<IdealPoint>,
    /// Forecast positions on this issue, e.g. `("median", 61.0)`. Forecasts with the same name
    /// share a marker shape across rows; legend order is order of first appearance (seven
    /// distinct shapes, then they repeat).
    pub forecasts: Vec<ForecastMark>,
    /// A deal's position on this issue (e.g. the Nash deal), drawn as a vertical tick.
    pub deal: Option<f64>,
}

/// One actor's ideal point on one issue of a [`PositionMap`].
#[derive(Debug, Clone, Default)]
pub struct IdealPoint {
    /// Index of the actor in [`PositionMap::actors`]; points with an index out of range are
    /// skipped.
    pub actor: usize,
    /// Ideal position on the 0–100 scale.
    pub position: f64,
    /// Weight ≥ 0, usually capability × salience. The circle's area is proportional to it (its
    /// radius to the square root), normalised by the largest weight in the whole map; negative or
    /// non-finite weights count as 0 (smallest circle).
    pub weight: f64,
}

/// A named forecast position on one issue of a [`PositionMap`] (e.g. "mean", "median", "EU",
/// "SMP").
#[derive(Debug, Clone, Default)]
pub struct ForecastMark {
    /// Forecast name (legend entry).
    pub name: String,
    /// Forecast position on the 0–100 scale.
    pub position: f64,
}

/// Input to [`utility_space`]: outcomes of a negotiation seen by two parties.
#[derive(Debug, Clone, Default)]
pub struct UtilitySpace {
    /// Title of the plot.
    pub title: String,
    /// Party on the x axis ("A").
    pub party_a: String,
    /// Party on the y axis ("B").
    pub party_b: String,
    /// Cloud of outcomes as (utility to A, utility to B), each in 0–1. Any number of points:
    /// they are binned into a 100 × 100 grid and drawn as a density, so the SVG size does not
    /// grow with the count.
    pub outcomes: Vec<(f64, f64)>,
    /// The same cloud already binned: `BINS_PER_AXIS²` counts, row-major from the bottom
    /// (`density[j * BINS_PER_AXIS + i]`: utility to A in bin i, to B in bin j). When given (with
    /// the right length) it is drawn instead of `outcomes`.
    pub density: Option<Vec<u32>>,
    /// Pareto-frontier points (utility to A, utility to B), any order: drawn as a line in
    /// increasing x order, with small markers when there are at most 150 points.
    pub frontier: Vec<(f64, f64)>,
    /// A's reservation (walk-away) utility, drawn as a dashed vertical line.
    pub reservation_a: Option<f64>,
    /// B's reservation (walk-away) utility, drawn as a dashed horizontal line.
    pub reservation_b: Option<f64>,
    /// Named points (e.g. "Nash", "KS", "joint table", "biased single text"), each with its own
    /// marker shape and colour and a legend entry.
    pub marks: Vec<MarkedPoint>,
}

/// A named point of a [`UtilitySpace`].
#[derive(Debug, Clone, Default)]
pub struct MarkedPoint {
    /// Legend name.
    pub name: String,
    /// Utility to party A (x).
    pub utility_a: f64,
    /// Utility to party B (y).
    pub utility_b: f64,
}

/// Input to [`concession_curves`]: how each party's utility evolves over a negotiation.
#[derive(Debug, Clone, Default)]
pub struct ConcessionCurves {
    /// Title of the plot.
    pub title: String,
    /// One entry per party; its index fixes its colour.
    pub parties: Vec<ConcessionSeries>,
    /// Round of the agreement, if any: marked with a vertical line.
    pub agreement_round: Option<f64>,
}

/// The curves of one party in a [`ConcessionCurves`].
#[derive(Debug, Clone, Default)]
pub struct ConcessionSeries {
    /// Party id (legend entry).
    pub party: String,
    /// (round, utility to this party of its own offer made in that round), any order; drawn as
    /// a solid step line (each offer holds until the next).
    pub own_offers: Vec<(f64, f64)>,
    /// (round, utility to this party of the standing text) for mediated protocols; drawn as a
    /// dashed step line. Empty when the protocol has no standing text.
    pub standing_text: Vec<(f64, f64)>,
    /// The party's reservation (walk-away) utility, drawn as a thin dotted line in its colour.
    pub reservation: Option<f64>,
}

/// Input to [`trajectory`]: forecast trajectories of one issue over a model's rounds.
#[derive(Debug, Clone, Default)]
pub struct Trajectory {
    /// Title of the plot.
    pub title: String,
    /// Issue name (caption of the y axis).
    pub issue: String,
    /// Option labels at their scale positions (0–100), as in [`PositionIssue::ticks`]. Empty:
    /// numeric ticks 0, 25, …, 100.
    pub ticks: Vec<(f64, String)>,
    /// One path per actor; its index fixes its colour. Labelled at the right end.
    pub actors: Vec<ActorPath>,
    /// Forecast over rounds as (round, position), e.g. the median position; drawn as a thick
    /// dark line. Empty: no forecast line.
    pub forecast: Vec<(f64, f64)>,
    /// Name of the forecast line (legend and end label), e.g. "median forecast"; "forecast" when
    /// empty.
    pub forecast_label: String,
    /// Monte Carlo quantiles per round, drawn as two nested translucent areas (p5–p95 and
    /// p25–p75) under the forecast line. Empty: no bands.
    pub bands: Vec<BandPoint>,
}

/// One actor's positions over rounds in a [`Trajectory`].
#[derive(Debug, Clone, Default)]
pub struct ActorPath {
    /// Actor id (end label).
    pub actor: String,
    /// (round, position on 0–100), any order.
    pub positions: Vec<(f64, f64)>,
}

/// Monte Carlo quantiles of the forecast position at one round of a [`Trajectory`].
#[derive(Debug, Clone, Default)]
pub struct BandPoint {
    /// Round.
    pub round: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Input to [`bars`]: labelled values in 0–1 drawn as horizontal bars with percentages.
#[derive(Debug, Clone, Default)]
pub struct Bars {
    /// Title of the plot.
    pub title: String,
    /// Groups drawn top to bottom.
    pub groups: Vec<BarGroup>,
}

/// A group of bars under an optional heading.
#[derive(Debug, Clone, Default)]
pub struct BarGroup {
    /// Group heading (bold); `None` or empty: no heading row.
    pub heading: Option<String>,
    /// Bars of the group, top to bottom.
    pub bars: Vec<Bar>,
}

/// One bar of a [`Bars`] chart.
#[derive(Debug, Clone, Default)]
pub struct Bar {
    /// Row label, e.g. "P(protocol reaches a deal)".
    pub label: String,
    /// Value in 0–1, printed as a percentage at the bar end.
    pub value: f64,
    /// Optional interval (lo, hi) in 0–1 drawn as a whisker, e.g. a 90% interval.
    pub interval: Option<(f64, f64)>,
}

/// Input to [`tornado`]: a one-at-a-time sensitivity chart.
#[derive(Debug, Clone, Default)]
pub struct Tornado {
    /// Title of the plot.
    pub title: String,
    /// Label of the x axis: the output metric, e.g. "P(deal beats walking away)".
    pub x_label: String,
    /// Value of the metric with every input at its base value (vertical line).
    pub base: f64,
    /// Legend name of the metric's value with the input at the low end of its range, e.g.
    /// "input at low end"; "low" when empty.
    pub low_label: String,
    /// Legend name of the metric's value with the input at the high end; "high" when empty.
    pub high_label: String,
    /// Rows, any order: drawn sorted by swing |high − low|, largest on top (ties keep input
    /// order).
    pub rows: Vec<TornadoRow>,
}

/// One input varied in a [`Tornado`].
#[derive(Debug, Clone, Default)]
pub struct TornadoRow {
    /// Row label, e.g. "russia × territory (ideal 80–100)".
    pub label: String,
    /// Metric with the input at the low end of its range.
    pub low: f64,
    /// Metric with the input at the high end of its range.
    pub high: f64,
}

/// Why a plot could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlotError {
    /// The plotters drawing backend reported an error (its message).
    Drawing(String),
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlotError::Drawing(msg) => write!(f, "drawing the plot failed: {msg}"),
        }
    }
}

impl std::error::Error for PlotError {}

/// Hex colour (`#RRGGBB`) of the actor or party with this index in a plot's input; the same
/// colour the plots use, so the page's tables and legends can match them.
pub fn actor_color(index: usize) -> &'static str {
    PALETTE_HEX[index % PALETTE_HEX.len()]
}

// ---------------------------------------------------------------------------------------------
// Style
// ---------------------------------------------------------------------------------------------

const WIDTH: u32 = 720;
const W: i32 = WIDTH as i32;

/// Okabe–Ito, in an order that keeps the low-contrast yellow late; black replaced by grey.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x99, 0x99, 0x99),
];
const PALETTE_HEX: [&str; 8] = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#999999"];

/// Colours of marked points in the utility space (never the outcome cloud's grey-blue).
const MARK_COLORS: [RGBColor; 6] = [
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
];

const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED: RGBColor = RGBColor(0x5F, 0x5F, 0x5F);
const AXIS: RGBColor = RGBColor(0x9A, 0x9A, 0x9A);
const GRID: RGBColor = RGBColor(0xE6, 0xE6, 0xE6);
const LEADER: RGBColor = RGBColor(0xB8, 0xB8, 0xB8);
const CLOUD: RGBColor = RGBColor(0x3E, 0x55, 0x6E);
const ZONE: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const BAR: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const LOW: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const HIGH: RGBColor = RGBColor(0xE6, 0x9F, 0x00);

const PX_TITLE: f64 = 15.0;
const PX_LABEL: f64 = 12.0;
const PX_TICK: f64 = 11.0;
const PX_HEAD: f64 = 13.0;
/// Width of bold text relative to regular (DejaVu Sans Bold is about 12–15% wider).
const BOLD: f64 = 1.15;

/// plotters' root drawing area plus raw SVG snippets spliced in at their place in the drawing
/// order (see [`Area::raw`]).
struct Area<'b> {
    area: DrawingArea<SVGBackend<'b>, Shift>,
    raw: RefCell<Vec<String>>,
}

impl Area<'_> {
    /// Puts a raw SVG snippet at this point of the drawing order, for what plotters' SVG backend
    /// cannot express compactly (real `stroke-dasharray` dashes; the density as a few paths).
    /// plotters draws a 1-pixel placeholder off-canvas with `draw_pixel` (which nothing else
    /// here calls), replaced by the snippet when the document is finished.
    fn raw(&self, snippet: String) -> Res {
        let k = {
            let mut raw = self.raw.borrow_mut();
            raw.push(snippet);
            raw.len() - 1
        };
        self.area.draw_pixel(placeholder_at(k), &RGBColor(1, 2, 3)).map_err(drawing_err)
    }
}

fn placeholder_at(k: usize) -> Px {
    (-10 - i32::try_from(k).unwrap_or(i32::MAX - 20).min(i32::MAX - 20), -10)
}

fn placeholder_prefix(k: usize) -> String {
    let (x, y) = placeholder_at(k);
    format!("<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\"")
}

/// Replaces the placeholders (in drawing order) by their snippets; a placeholder that cannot be
/// found (should plotters' output format change) puts its snippet before the closing tag.
fn splice_raw(svg: &str, snippets: &[String]) -> String {
    let mut out = String::with_capacity(svg.len() + snippets.iter().map(String::len).sum::<usize>());
    let mut rest = svg;
    let mut missing = String::new();
    for (k, snippet) in snippets.iter().enumerate() {
        let prefix = placeholder_prefix(k);
        let found = rest.find(&prefix).and_then(|start| rest[start..].find("/>").map(|len| (start, start + len + 2)));
        match found {
            Some((start, mut end)) => {
                if rest[end..].starts_with('\n') {
                    end += 1;
                }
                out.push_str(&rest[..start]);
                out.push_str(snippet);
                rest = &rest[end..];
            }
            None => missing.push_str(snippet),
        }
    }
    match rest.rfind("</svg>") {
        Some(close) if !missing.is_empty() => {
            out.push_str(&rest[..close]);
            out.push_str(&missing);
            out.push_str(&rest[close..]);
        }
        _ => out.push_str(rest),
    }
    out
}

fn hex(c: RGBColor) -> String {
    let (r, g, b) = c.rgb();
    format!("#{r:02X}{g:02X}{b:02X}")
}
type Px = (i32, i32);
type Res = Result<(), PlotError>;

fn drawing_err<E: fmt::Display>(e: E) -> PlotError {
    PlotError::Drawing(e.to_string())
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/// Estimated advance width of `s` at `px` pixels in a generic sans-serif (DejaVu/Arial-like),
/// slightly generous so that layouts do not collide in wider fonts.
fn text_width(s: &str, px: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | '(' | ')' | '[' | ']' => 0.3,
            ' ' | 'f' | 't' | 'r' => 0.38,
            'm' | 'w' | 'M' | 'W' | '%' => 0.88,
            '×' | '–' | '—' | '≥' | '≤' => 0.75,
            c if c.is_ascii_digit() => 0.62,
            c if c.is_uppercase() => 0.7,
            _ => 0.58,
        })
        .sum();
    em * px
}

fn text_width_bold(s: &str, px: f64) -> f64 {
    text_width(s, px) * BOLD
}

/// `s`, cut with an ellipsis so that it fits in `max_w` pixels at `px`.
fn fit(s: &str, px: f64, max_w: f64) -> String {
    if text_width(s, px) <= max_w {
        return s.to_string();
    }
    let budget = max_w - text_width("…", px);
    let mut out = String::new();
    let mut used = 0.0;
    for c in s.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), px);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// The size to hand plotters for `px` pixels (its SVG backend writes `size / 1.24`; `finish`
/// rounds the written value back to a clean number).
fn plotters_font_size(px: f64) -> f64 {
    px * 1.24
}

/// Rewrites every `font-size="12.000000000000002"` as `font-size="12"` (two decimals at most).
fn clean_font_sizes(svg: &str) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(KEY) {
        let value_start = at + KEY.len();
        let Some(len) = rest[value_start..].find('"') else { break };
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..value_start + len];
        match value.parse::<f64>() {
            Ok(v) if v.is_finite() => {
                let rounded = format!("{v:.2}");
                out.push_str(rounded.trim_end_matches('0').trim_end_matches('.'));
            }
            _ => out.push_str(value),
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

#[derive(Clone, Copy)]
struct Txt {
    px: f64,
    color: RGBColor,
    h: HPos,
    v: VPos,
    bold: bool,
    rotate: bool,
}

impl Txt {
    fn new(px: f64) -> Self {
        Txt { px, color: INK, h: HPos::Left, v: VPos::Center, bold: false, rotate: false }
    }
    fn color(self, color: RGBColor) -> Self {
        Txt { color, ..self }
    }
    fn center(self) -> Self {
        Txt { h: HPos::Center, ..self }
    }
    fn right(self) -> Self {
        Txt { h: HPos::Right, ..self }
    }
    fn bold(self) -> Self {
        Txt { bold: true, ..self }
    }
    fn rotated(self) -> Self {
        Txt { rotate: true, ..self }
    }
    fn width(&self, s: &str) -> f64 {
        if self.bold {
            text_width_bold(s, self.px)
        } else {
            text_width(s, self.px)
        }
    }
}

fn text(a: &Area<'_>, s: &str, at: Px, t: Txt) -> Res {
    if s.is_empty() {
        return Ok(());
    }
    let style = if t.bold { FontStyle::Bold } else { FontStyle::Normal };
    let mut font = FontDesc::new(FontFamily::SansSerif, plotters_font_size(t.px), style);
    if t.rotate {
        font = font.transform(FontTransform::Rotate270);
    }
    let ts = font.color(&t.color).pos(Pos::new(t.h, t.v));
    a.area.draw(&Text::new(s, at, ts)).map_err(drawing_err)
}

/// Text on a translucent white plate, for labels drawn over data.
fn text_on_plate(a: &Area<'_>, s: &str, at: Px, t: Txt) -> Res {
    let w = t.width(s).ceil() as i32;
    let x0 = match t.h {
        HPos::Left => at.0,
        HPos::Center => at.0 - w / 2,
        HPos::Right => at.0 - w,
    };
    let half = (t.px * 0.65).round() as i32;
    rect(a, (x0 - 3, at.1 - half), (x0 + w + 3, at.1 + half), WHITE.mix(0.85))?;
    text(a, s, at, t)
}

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

fn stroke(color: RGBAColor, width: u32) -> ShapeStyle {
    ShapeStyle { color, filled: false, stroke_width: width }
}

fn fill(color: RGBAColor) -> ShapeStyle {
    ShapeStyle { color, filled: true, stroke_width: 0 }
}

fn line(a: &Area<'_>, pts: &[Px], color: RGBAColor, width: u32) -> Res {
    if pts.len() < 2 {
        return Ok(());
    }
    a.area.draw(&PathElement::new(pts.to_vec(), stroke(color, width))).map_err(drawing_err)
}

fn dashed(a: &Area<'_>, pts: &[Px], color: RGBColor, width: f64, dash: i32, gap: i32) -> Res {
    if pts.len() < 2 {
        return Ok(());
    }
    let mut points = String::new();
    for (k, (x, y)) in pts.iter().enumerate() {
        let _ = write!(points, "{}{x},{y}", if k > 0 { " " } else { "" });
    }
    a.raw(format!(
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"{width}\" stroke-dasharray=\"{dash} {gap}\" points=\"{points}\"/>\n",
        hex(color)
    ))
}

fn rect(a: &Area<'_>, p0: Px, p1: Px, color: RGBAColor) -> Res {
    let (x0, x1) = (p0.0.min(p1.0), p0.0.max(p1.0));
    let (y0, y1) = (p0.1.min(p1.1), p0.1.max(p1.1));
    if x1 == x0 || y1 == y0 {
        return Ok(());
    }
    a.area.draw(&Rectangle::new([(x0, y0), (x1, y1)], fill(color))).map_err(drawing_err)
}

fn frame(a: &Area<'_>, p0: Px, p1: Px, color: RGBColor) -> Res {
    a.area.draw(&Rectangle::new([p0, p1], stroke(color.to_rgba(), 1))).map_err(drawing_err)
}

fn circle(a: &Area<'_>, c: Px, r: i32, style: ShapeStyle) -> Res {
    a.area.draw(&Circle::new(c, r.max(1), style)).map_err(drawing_err)
}

fn polygon(a: &Area<'_>, pts: Vec<Px>, color: RGBAColor) -> Res {
    if pts.len() < 3 {
        return Ok(());
    }
    a.area.draw(&Polygon::new(pts, fill(color))).map_err(drawing_err)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Diamond,
    TriangleUp,
    Square,
    TriangleDown,
    Star,
    Plus,
    Hexagon,
}

const SHAPES: [Shape; 7] =
    [Shape::Diamond, Shape::TriangleUp, Shape::Square, Shape::TriangleDown, Shape::Star, Shape::Plus, Shape::Hexagon];

fn shape_points(shape: Shape, (cx, cy): (f64, f64), s: f64) -> Vec<Px> {
    let unit: Vec<(f64, f64)> = match shape {
        Shape::Diamond => vec![(0.0, -1.3), (1.0, 0.0), (0.0, 1.3), (-1.0, 0.0)],
        Shape::TriangleUp => vec![(0.0, -1.25), (1.15, 0.8), (-1.15, 0.8)],
        Shape::TriangleDown => vec![(0.0, 1.25), (1.15, -0.8), (-1.15, -0.8)],
        Shape::Square => vec![(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
        Shape::Star => (0..10)
            .map(|k| {
                let r = if k % 2 == 0 { 1.35 } else { 0.55 };
                let ang = -PI / 2.0 + f64::from(k) * PI / 5.0;
                (r * ang.cos(), r * ang.sin())
            })
            .collect(),
        Shape::Plus => {
            let w = 0.4;
            vec![(-w, -1.1), (w, -1.1), (w, -w), (1.1, -w), (1.1, w), (w, w), (w, 1.1), (-w, 1.1), (-w, w), (-1.1, w), (-1.1, -w), (-w, -w)]
        }
        Shape::Hexagon => (0..6)
            .map(|k| {
                let ang = f64::from(k) * PI / 3.0;
                (1.05 * ang.cos(), 1.05 * ang.sin())
            })
            .collect(),
    };
    unit.into_iter().map(|(dx, dy)| ((cx + dx * s).round() as i32, (cy + dy * s).round() as i32)).collect()
}

/// A filled marker with a thin white halo, so that overlapping markers stay distinguishable.
fn marker(a: &Area<'_>, shape: Shape, c: (f64, f64), s: f64, color: RGBColor) -> Res {
    polygon(a, shape_points(shape, c, s + 1.6), WHITE.to_rgba())?;
    polygon(a, shape_points(shape, c, s), color.to_rgba())
}

// ---------------------------------------------------------------------------------------------
// Layout helpers
// ---------------------------------------------------------------------------------------------

/// Linear map from a data interval onto a pixel interval, clamping to the data interval.
#[derive(Debug, Clone, Copy)]
struct Lin {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Lin {
    fn new(d0: f64, d1: f64, p0: i32, p1: i32) -> Self {
        Lin { d0, d1, p0: f64::from(p0), p1: f64::from(p1) }
    }
    fn f(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        let t = if span.abs() > 0.0 && v.is_finite() { ((v - self.d0) / span).clamp(0.0, 1.0) } else { 0.5 };
        self.p0 + t * (self.p1 - self.p0)
    }
    fn i(&self, v: f64) -> i32 {
        self.f(v).round() as i32
    }
}

/// Greedy lane assignment for intervals (lo, hi) so that intervals in one lane keep `gap` apart.
/// Items are taken in order of `lo` (ties by index); lane 0 is filled first.
fn assign_lanes(extents: &[(f64, f64)], gap: f64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..extents.len()).collect();
    order.sort_by(|&i, &j| extents[i].0.total_cmp(&extents[j].0).then(i.cmp(&j)));
    let mut lane_end: Vec<f64> = Vec::new();
    let mut lanes = vec![0; extents.len()];
    for i in order {
        let (lo, hi) = extents[i];
        let lane = match lane_end.iter().position(|&end| end + gap <= lo) {
            Some(l) => l,
            None => {
                lane_end.push(f64::NEG_INFINITY);
                lane_end.len() - 1
            }
        };
        lane_end[lane] = hi;
        lanes[i] = lane;
    }
    lanes
}

/// Positions as close as possible to `desired` but at least `gap` apart, within [lo, hi] when
/// they fit: overlapping neighbours are merged into clusters centred on their mean.
fn spread(desired: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let n = desired.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| desired[i].total_cmp(&desired[j]).then(i.cmp(&j)));
    // clusters of consecutive items in `order`: (first index into order, len, start position)
    let mut clusters: Vec<(usize, usize, f64)> = Vec::new();
    let place = |first: usize, len: usize| -> f64 {
        let mean = order[first..first + len].iter().map(|&i| desired[i]).sum::<f64>() / len as f64;
        let total = gap * (len as f64 - 1.0);
        let start = mean - total / 2.0;
        start.min(hi - total).max(lo)
    };
    for k in 0..n {
        clusters.push((k, 1, place(k, 1)));
        while clusters.len() >= 2 {
            let (f1, l1, s1) = clusters[clusters.len() - 2];
            let (_, l2, s2) = clusters[clusters.len() - 1];
            if s1 + gap * l1 as f64 > s2 {
                clusters.truncate(clusters.len() - 2);
                clusters.push((f1, l1 + l2, place(f1, l1 + l2)));
            } else {
                break;
            }
        }
    }
    let mut out = vec![0.0; n];
    for (first, len, start) in clusters {
        for j in 0..len {
            out[order[first + j]] = start + gap * j as f64;
        }
    }
    out
}

/// A "nice" tick step (1, 2, 2.5 or 5 × 10^k) giving about `target` intervals over `range`.
fn nice_step(range: f64, target: f64) -> f64 {
    if !(range.is_finite() && range > 0.0) {
        return 1.0;
    }
    let raw = range / target.max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Multiples of `step` within [lo, hi] (at most 200).
fn ticks_in(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    if !(step > 0.0 && lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    let eps = step * 1e-9;
    let first = ((lo - eps) / step).ceil();
    let last = ((hi + eps) / step).floor();
    let mut out = Vec::new();
    let mut k = first;
    while k <= last && out.len() < 200 {
        out.push(k * step);
        if k + 1.0 == k {
            break; // beyond f64 integer precision
        }
        k += 1.0;
    }
    out
}

/// Decimals needed to print multiples of `step` exactly (0–6).
fn decimals_for(step: f64) -> usize {
    (0..=6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(6)
}

fn fmt_num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    // no "-0", "-0.00"
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// Percentage for a probability in [0, 1], never rounding a non-certainty to 0% or 100%.
fn fmt_pct(v: f64) -> String {
    if v <= 0.0 {
        "0%".to_string()
    } else if v >= 1.0 {
        "100%".to_string()
    } else if v < 0.005 {
        "<1%".to_string()
    } else if v > 0.995 {
        ">99%".to_string()
    } else {
        format!("{:.0}%", v * 100.0)
    }
}

fn finite2(p: &(f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite()
}

/// Finite ticks, clamped to [lo, hi], sorted by position (stable).
fn clean_ticks(ticks: &[(f64, String)], lo: f64, hi: f64) -> Vec<(f64, String)> {
    let mut out: Vec<(f64, String)> = ticks.iter().filter(|(v, _)| v.is_finite()).map(|(v, s)| (v.clamp(lo, hi), s.clone())).collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// Finite (x, y) points with y clamped to [lo, hi], sorted by x (stable).
fn clean_series(pts: &[(f64, f64)], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = pts.iter().filter(|p| finite2(p)).map(|&(x, y)| (x, y.clamp(lo, hi))).collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// Step-after path through points sorted by x: each value holds until the next x.
fn step_path(pts: &[Px]) -> Vec<Px> {
    let mut out = Vec::with_capacity(pts.len() * 2);
    for (k, &p) in pts.iter().enumerate() {
        if k > 0 {
            let prev_y = pts[k - 1].1;
            out.push((p.0, prev_y));
        }
        out.push(p);
    }
    dedup_path(out)
}

/// Drops consecutive duplicates and the middle of collinear axis-parallel runs.
fn dedup_path(pts: Vec<Px>) -> Vec<Px> {
    let mut out: Vec<Px> = Vec::with_capacity(pts.len());
    for p in pts {
        if out.last() == Some(&p) {
            continue;
        }
        let n = out.len();
        if n >= 2 {
            let (a, b) = (out[n - 2], out[n - 1]);
            if (a.0 == b.0 && b.0 == p.0 && (b.1 - a.1).signum() == (p.1 - b.1).signum())
                || (a.1 == b.1 && b.1 == p.1 && (b.0 - a.0).signum() == (p.0 - b.0).signum())
            {
                out[n - 1] = p;
                continue;
            }
        }
        out.push(p);
    }
    out
}

/// X range over rounds: [min, max], widened to at least one round; step ≥ 1 for ticks.
fn round_axis(xs: impl Iterator<Item = f64>) -> Option<(f64, f64, f64)> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for x in xs.filter(|x| x.is_finite()) {
        lo = lo.min(x);
        hi = hi.max(x);
    }
    if lo > hi {
        return None;
    }
    if hi - lo < 1.0 {
        let mid = (lo + hi) / 2.0;
        lo = mid - 0.5;
        hi = mid + 0.5;
    }
    let step = nice_step(hi - lo, 8.0).max(1.0);
    Some((lo, hi, step))
}

// ---------------------------------------------------------------------------------------------
// Legends
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Swatch {
    Marker(Shape, RGBColor),
    Line(RGBColor, u32),
    Dashed(RGBColor, f64),
    Dotted(RGBColor),
    Fill(RGBAColor),
    Bubble(RGBColor),
    VTick(RGBColor),
    Density,
}

const SWATCH_W: i32 = 24;
const LEGEND_ROW: i32 = 20;

fn legend_item_width(label: &str) -> i32 {
    SWATCH_W + 6 + text_width(label, PX_LABEL).ceil() as i32
}

/// Flow layout: items left to right, wrapping at `x_max`. Returns the centre-left point of each
/// item and the bottom y of the legend.
fn legend_flow(items: &[(Swatch, String)], x0: i32, x_max: i32, y0: i32) -> (Vec<Px>, i32) {
    if items.is_empty() {
        return (Vec::new(), y0);
    }
    let (mut x, mut y) = (x0, y0 + LEGEND_ROW / 2);
    let mut out = Vec::with_capacity(items.len());
    for (_, label) in items {
        let w = legend_item_width(label);
        if x > x0 && x + w > x_max {
            x = x0;
            y += LEGEND_ROW;
        }
        out.push((x, y));
        x += w + 20;
    }
    (out, y + LEGEND_ROW / 2)
}

fn draw_swatch(a: &Area<'_>, sw: Swatch, (x, y): Px) -> Res {
    let mid = x + SWATCH_W / 2;
    match sw {
        Swatch::Marker(shape, c) => marker(a, shape, (f64::from(mid), f64::from(y)), 5.5, c),
        Swatch::Line(c, w) => line(a, &[(x + 1, y), (x + SWATCH_W - 1, y)], c.to_rgba(), w),
        Swatch::Dashed(c, w) => dashed(a, &[(x, y), (x + SWATCH_W, y)], c, w, 6, 4),
        Swatch::Dotted(c) => dashed(a, &[(x, y), (x + SWATCH_W, y)], c, 1.5, 2, 3),
        Swatch::Fill(c) => rect(a, (x + 2, y - 6), (x + SWATCH_W - 2, y + 6), c),
        Swatch::Bubble(c) => {
            circle(a, (mid, y), 6, fill(c.mix(0.55)))?;
            circle(a, (mid, y), 6, stroke(c.to_rgba(), 1))
        }
        Swatch::VTick(c) => line(a, &[(mid, y - 8), (mid, y + 8)], c.to_rgba(), 2),
        Swatch::Density => {
            for (k, op) in [0.15, 0.4, 0.7].iter().enumerate() {
                let kx = x + 2 + 7 * k as i32;
                rect(a, (kx, y - 6), (kx + 6, y + 6), CLOUD.mix(*op))?;
            }
            Ok(())
        }
    }
}

fn draw_legend(a: &Area<'_>, items: &[(Swatch, String)], at: &[Px]) -> Res {
    for ((sw, label), &(x, y)) in items.iter().zip(at) {
        draw_swatch(a, *sw, (x, y))?;
        text(a, label, (x + SWATCH_W + 6, y), Txt::new(PX_LABEL))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------------------------

fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // characters not allowed in XML 1.0
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Labels with XML-forbidden control characters replaced by spaces (plotters escapes markup but
/// passes control characters through).
fn clean_label(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Height reserved for the visible title.
fn title_height(title: &str) -> i32 {
    if title.trim().is_empty() {
        12
    } else {
        40
    }
}

/// Draws on a fresh 720 × `height` SVG (white background, visible title), then rewrites the root
/// element (viewBox, width 100%, role, `<title>`).
fn render<F>(title: &str, height: i32, draw: F) -> Result<String, PlotError>
where
    F: FnOnce(&Area<'_>) -> Res,
{
    let height = u32::try_from(height.max(40)).unwrap_or(40);
    let mut buf = String::new();
    let snippets = {
        let canvas = Area { area: SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area(), raw: RefCell::new(Vec::new()) };
        canvas.area.fill(&WHITE).map_err(drawing_err)?;
        let title = clean_label(title.trim());
        if !title.is_empty() {
            let t = Txt::new(PX_TITLE).bold();
            text(&canvas, &fit(&title, PX_TITLE * BOLD, f64::from(W - 24)), (12, 20), t)?;
        }
        draw(&canvas)?;
        canvas.area.present().map_err(drawing_err)?;
        canvas.raw.into_inner()
    };
    Ok(finish(&splice_raw(&clean_font_sizes(&buf), &snippets), title, height))
}

fn finish(raw: &str, title: &str, height: u32) -> String {
    let body = raw.find("<svg").and_then(|s| raw[s..].find('>').map(|e| &raw[s + e + 1..])).unwrap_or("");
    let mut out = String::with_capacity(raw.len() + 256);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" \
         font-family=\"sans-serif\">\n<title>{}</title>",
        escape_xml(title.trim())
    );
    out.push_str(body);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    if !out.ends_with("</svg>") {
        out.push_str("\n</svg>");
    }
    out
}

fn no_data(title: &str) -> Result<String, PlotError> {
    let top = title_height(title);
    render(title, top + 58, |a| text(a, "no data", (W / 2, top + 22), Txt::new(PX_HEAD).color(MUTED).center()))
}

// ---------------------------------------------------------------------------------------------
// 1. Position map
// ---------------------------------------------------------------------------------------------

const R_MAX: f64 = 14.0;
const R_MIN: f64 = 3.0;
const LANE: i32 = 16;
const TICK_LANE: i32 = 14;
const MARKER_LANE: i32 = 16;

struct PmRow {
    name: String,
    ticks: Vec<(f64, String)>,
    /// (actor index, position, weight)
    ideals: Vec<(usize, f64, f64)>,
    /// (legend index, position)
    forecasts: Vec<(usize, f64)>,
    deal: Option<f64>,
}

struct PmLabel {
    x: f64,
    text: String,
    extent: (f64, f64),
}

/// Horizontal extent of a label centred at `x`, pushed inside [6, W − 6].
fn centred_extent(x: f64, w: f64) -> (f64, f64) {
    let lo = (x - w / 2.0).max(6.0).min(f64::from(W) - 6.0 - w);
    (lo, lo + w)
}

/// The classic spatial-bargaining chart: one 0–100 axis per issue, stacked vertically.
///
/// Each row has the issue name as a heading; the option labels (or 0, 25, …, 100) as tick
/// labels below a light vertical grid; each actor's ideal point as a translucent circle in the
/// actor's colour whose area is proportional to its weight, labelled with the actor id above the
/// axis (labels that would overlap are staggered upwards with thin leader lines); forecast
/// markers (one shape per forecast name) in a strip under the circles; and the deal as a dark
/// vertical tick. The legend at the top names the forecast shapes, the deal and the circle-size
/// convention. Returns the "no data" SVG when no issue has a drawable point, forecast or deal.
pub fn position_map(input: &PositionMap) -> Result<String, PlotError> {
    let mut forecast_names: Vec<String> = Vec::new();
    let mut rows: Vec<PmRow> = Vec::new();
    let mut w_max: f64 = 0.0;
    let mut any_content = false;
    for issue in &input.issues {
        let ideals: Vec<(usize, f64, f64)> = issue
            .ideals
            .iter()
            .filter(|p| p.actor < input.actors.len() && p.position.is_finite())
            .map(|p| (p.actor, p.position.clamp(0.0, 100.0), if p.weight.is_finite() && p.weight > 0.0 { p.weight } else { 0.0 }))
            .collect();
        let mut forecasts = Vec::new();
        for f in issue.forecasts.iter().filter(|f| f.position.is_finite()) {
            let name = clean_label(&f.name);
            let k = match forecast_names.iter().position(|n| *n == name) {
                Some(k) => k,
                None => {
                    forecast_names.push(name);
                    forecast_names.len() - 1
                }
            };
            forecasts.push((k, f.position.clamp(0.0, 100.0)));
        }
        let deal = issue.deal.filter(|d| d.is_finite()).map(|d| d.clamp(0.0, 100.0));
        any_content |= !ideals.is_empty() || !forecasts.is_empty() || deal.is_some();
        w_max = ideals.iter().fold(w_max, |m, p| m.max(p.2));
        let mut ticks = clean_ticks(&issue.ticks, 0.0, 100.0);
        if ticks.is_empty() {
            ticks = [0.0, 25.0, 50.0, 75.0, 100.0].iter().map(|&v| (v, fmt_num(v, 0))).collect();
        }
        rows.push(PmRow { name: clean_label(&issue.name), ticks, ideals, forecasts, deal });
    }
    if !any_content {
        return no_data(&input.title);
    }
    let radius = |w: f64| -> i32 {
        if w_max > 0.0 {
            (R_MAX * (w / w_max).sqrt()).max(R_MIN).round() as i32
        } else {
            6
        }
    };
    let ax = Lin::new(0.0, 100.0, 40, W - 40);

    // legend
    let mut legend: Vec<(Swatch, String)> =
        forecast_names.iter().enumerate().map(|(k, n)| (Swatch::Marker(SHAPES[k % SHAPES.len()], INK), n.clone())).collect();
    if rows.iter().any(|r| r.deal.is_some()) {
        let label = if input.deal_label.trim().is_empty() { "deal".to_string() } else { clean_label(&input.deal_label) };
        legend.push((Swatch::VTick(INK), label));
    }
    if rows.iter().any(|r| !r.ideals.is_empty()) {
        legend.push((Swatch::Bubble(AXIS), "ideal point (area ∝ capability × salience)".to_string()));
    }
    let top = title_height(&input.title);
    let (legend_at, legend_bottom) = legend_flow(&legend, 14, W - 12, top);

    // per-row layout
    struct RowLayout {
        top: i32,
        axis: i32,
        labels: Vec<PmLabel>,
        label_lanes: Vec<usize>,
        marker_lanes: Vec<usize>,
        tick_labels: Vec<(f64, String, (f64, f64))>,
        tick_lanes: Vec<usize>,
        marker_y0: i32,
        tick_y0: i32,
    }
    let mut layouts = Vec::with_capacity(rows.len());
    let mut y = legend_bottom + 6;
    for row in &rows {
        let labels: Vec<PmLabel> = row
            .ideals
            .iter()
            .map(|&(actor, pos, _)| {
                let name = fit(&clean_label(&input.actors[actor]), PX_LABEL, 200.0);
                let x = ax.f(pos);
                let extent = centred_extent(x, text_width(&name, PX_LABEL));
                PmLabel { x, text: name, extent }
            })
            .collect();
        let label_lanes = assign_lanes(&labels.iter().map(|l| l.extent).collect::<Vec<_>>(), 6.0);
        let n_label_lanes = label_lanes.iter().max().map_or(0, |m| m + 1) as i32;
        let marker_lanes = assign_lanes(&row.forecasts.iter().map(|&(_, p)| (ax.f(p) - 8.0, ax.f(p) + 8.0)).collect::<Vec<_>>(), 2.0);
        let n_marker_lanes = marker_lanes.iter().max().map_or(0, |m| m + 1) as i32;
        let tick_labels: Vec<(f64, String, (f64, f64))> = row
            .ticks
            .iter()
            .map(|(v, s)| {
                let s = fit(&clean_label(s), PX_TICK, 220.0);
                let x = ax.f(*v);
                let e = centred_extent(x, text_width(&s, PX_TICK));
                (x, s, e)
            })
            .collect();
        let tick_lanes = assign_lanes(&tick_labels.iter().map(|t| t.2).collect::<Vec<_>>(), 8.0);
        let n_tick_lanes = tick_lanes.iter().max().map_or(0, |m| m + 1) as i32;

        let row_top = y;
        let heading_bottom = row_top + 22;
        let axis = if n_label_lanes > 0 {
            heading_bottom + 6 + (n_label_lanes - 1) * LANE + 8 + 6 + R_MAX as i32
        } else {
            heading_bottom + 4 + R_MAX as i32
        };
        let marker_y0 = axis + R_MAX as i32 + 10;
        let tick_y0 = marker_y0 + (n_marker_lanes - 1).max(0) * MARKER_LANE + if n_marker_lanes > 0 { 18 } else { 0 };
        let bottom = tick_y0 + (n_tick_lanes - 1).max(0) * TICK_LANE + 14;
        layouts.push(RowLayout { top: row_top, axis, labels, label_lanes, marker_lanes, tick_labels, tick_lanes, marker_y0, tick_y0 });
        y = bottom + 8;
    }
    let height = y + 4;

    render(&input.title, height, |a| {
        draw_legend(a, &legend, &legend_at)?;
        for (k, (row, lay)) in rows.iter().zip(&layouts).enumerate() {
            if k > 0 {
                line(a, &[(12, lay.top - 4), (W - 12, lay.top - 4)], GRID.to_rgba(), 1)?;
            }
            text(a, &fit(&row.name, PX_HEAD, f64::from(W - 24)), (12, lay.top + 11), Txt::new(PX_HEAD).bold())?;
            // grid at ticks, axis line
            let grid_top = lay.axis - R_MAX as i32 - 2;
            let grid_bottom = lay.tick_y0 - 8;
            for (v, _) in &row.ticks {
                let x = ax.i(*v);
                line(a, &[(x, grid_top), (x, grid_bottom)], GRID.to_rgba(), 1)?;
                line(a, &[(x, lay.axis), (x, lay.axis + 4)], AXIS.to_rgba(), 1)?;
            }
            line(a, &[(ax.i(0.0), lay.axis), (ax.i(100.0), lay.axis)], AXIS.to_rgba(), 1)?;
            // leader lines, then circles (largest first), then labels
            let lane_y = |lane: usize| lay.axis - R_MAX as i32 - 14 - lane as i32 * LANE;
            for (i, &(_, _, w)) in row.ideals.iter().enumerate() {
                let l = &lay.labels[i];
                let x = l.x.round() as i32;
                let from = lane_y(lay.label_lanes[i]) + 7;
                let to = lay.axis - radius(w) - 1;
                if to - from > 2 {
                    line(a, &[(x, from), (x, to)], LEADER.to_rgba(), 1)?;
                }
            }
            let mut order: Vec<usize> = (0..row.ideals.len()).collect();
            order.sort_by(|&i, &j| row.ideals[j].2.total_cmp(&row.ideals[i].2).then(i.cmp(&j)));
            for i in order {
                let (actor, pos, w) = row.ideals[i];
                let c = PALETTE[actor % PALETTE.len()];
                let centre = (ax.i(pos), lay.axis);
                circle(a, centre, radius(w), fill(c.mix(0.55)))?;
                circle(a, centre, radius(w), stroke(c.to_rgba(), 1))?;
            }
            for (i, l) in lay.labels.iter().enumerate() {
                let cx = ((l.extent.0 + l.extent.1) / 2.0).round() as i32;
                text(a, &l.text, (cx, lane_y(lay.label_lanes[i])), Txt::new(PX_LABEL).center())?;
            }
            if let Some(d) = row.deal {
                let x = ax.i(d);
                line(a, &[(x, lay.axis - R_MAX as i32 - 5), (x, lay.axis + R_MAX as i32 + 5)], INK.to_rgba(), 2)?;
            }
            for (i, &(k, pos)) in row.forecasts.iter().enumerate() {
                let cy = lay.marker_y0 + lay.marker_lanes[i] as i32 * MARKER_LANE;
                marker(a, SHAPES[k % SHAPES.len()], (ax.f(pos), f64::from(cy)), 5.5, INK)?;
            }
            for (i, (_, s, e)) in lay.tick_labels.iter().enumerate() {
                let cx = ((e.0 + e.1) / 2.0).round() as i32;
                let cy = lay.tick_y0 + lay.tick_lanes[i] as i32 * TICK_LANE;
                text(a, s, (cx, cy), Txt::new(PX_TICK).color(MUTED).center())?;
            }
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// 2. Utility space
// ---------------------------------------------------------------------------------------------

/// Density cells per axis of [`UtilitySpace`].
pub const BINS_PER_AXIS: usize = 100;
const BINS: usize = BINS_PER_AXIS;
const DENSITY_LEVELS: usize = 7;

/// Counts of outcomes per cell of a BINS × BINS grid over the unit square (row 0 = lowest
/// utility to B), and how many points were counted.
fn bin_outcomes(points: &[(f64, f64)]) -> (Vec<u32>, usize) {
    const TOL: f64 = 1e-6;
    let mut counts = vec![0u32; BINS * BINS];
    let mut n = 0;
    let cell = |u: f64| ((u.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
    for &(u, v) in points {
        // also false for NaN and ±∞
        if !((-TOL..=1.0 + TOL).contains(&u) && (-TOL..=1.0 + TOL).contains(&v)) {
            continue;
        }
        let idx = cell(v) * BINS + cell(u);
        counts[idx] = counts[idx].saturating_add(1);
        n += 1;
    }
    (counts, n)
}

/// The density as one `<path>` per opacity level (log-scaled counts), each cell a rectangle
/// sub-path and horizontal runs of equal level merged: a bounded size whatever the point count.
fn density_svg(counts: &[u32], xs: Lin, ys: Lin) -> String {
    let max = counts.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return String::new();
    }
    let denom = (1.0 + f64::from(max)).ln();
    let level = |c: u32| -> usize {
        if c == 0 {
            0
        } else {
            let t = (1.0 + f64::from(c)).ln() / denom;
            ((t * DENSITY_LEVELS as f64).ceil() as usize).clamp(1, DENSITY_LEVELS)
        }
    };
    let xe: Vec<i32> = (0..=BINS).map(|i| xs.i(i as f64 / BINS as f64)).collect();
    let ye: Vec<i32> = (0..=BINS).map(|j| ys.i(j as f64 / BINS as f64)).collect();
    let mut paths = vec![String::new(); DENSITY_LEVELS + 1];
    for j in 0..BINS {
        let (y_top, y_bottom) = (ye[j + 1], ye[j]);
        let h = y_bottom - y_top;
        let mut i = 0;
        while i < BINS {
            let l = level(counts[j * BINS + i]);
            let mut end = i + 1;
            while end < BINS && level(counts[j * BINS + end]) == l {
                end += 1;
            }
            if l > 0 && h > 0 {
                let (x0, x1) = (xe[i], xe[end]);
                let _ = write!(paths[l], "M{x0} {y_top}h{}v{h}h-{}z", x1 - x0, x1 - x0);
            }
            i = end;
        }
    }
    let (r, g, b) = CLOUD.rgb();
    let mut out = format!("<g fill=\"#{r:02X}{g:02X}{b:02X}\" stroke=\"none\">\n");
    for (l, d) in paths.iter().enumerate().skip(1) {
        if d.is_empty() {
            continue;
        }
        let opacity = 0.10 + 0.70 * (l - 1) as f64 / (DENSITY_LEVELS - 1) as f64;
        let _ = writeln!(out, "<path fill-opacity=\"{opacity:.2}\" d=\"{d}\"/>");
    }
    out.push_str("</g>\n");
    out
}

/// A scatter of the outcomes of a negotiation in the utility space of two parties.
///
/// Square plot (0–1 on both axes, light grid, "utility to A/B" axis titles) with the outcome
/// cloud as a 100 × 100 density of small grey-blue rectangles (opacity by log count); the
/// Pareto frontier as a dark line with small dots; the reservation values as dark dashed lines
/// labelled "‹party A› walks away" / "‹party B› walks away"; the zone where both beat their reservation shaded
/// light green (when both are given); and each marked point as a distinct coloured marker. The
/// legend is a column at the right. Returns the "no data" SVG when there is no finite outcome,
/// frontier point or marked point.
pub fn utility_space(input: &UtilitySpace) -> Result<String, PlotError> {
    let (counts, counted) = match &input.density {
        Some(d) if d.len() == BINS * BINS => (d.clone(), d.iter().map(|&c| c as usize).sum()),
        _ => bin_outcomes(&input.outcomes),
    };
    let clamp01 = |(u, v): (f64, f64)| (u.clamp(0.0, 1.0), v.clamp(0.0, 1.0));
    let mut frontier: Vec<(f64, f64)> = input.frontier.iter().copied().filter(finite2).map(clamp01).collect();
    frontier.sort_by(|p, q| p.0.total_cmp(&q.0).then(q.1.total_cmp(&p.1)));
    frontier.dedup();
    let marks: Vec<(String, (f64, f64))> = input
        .marks
        .iter()
        .filter(|m| m.utility_a.is_finite() && m.utility_b.is_finite())
        .map(|m| (clean_label(&m.name), clamp01((m.utility_a, m.utility_b))))
        .collect();
    if counted == 0 && frontier.is_empty() && marks.is_empty() {
        return no_data(&input.title);
    }
    let res_a = input.reservation_a.filter(|r| r.is_finite()).map(|r| r.clamp(0.0, 1.0));
    let res_b = input.reservation_b.filter(|r| r.is_finite()).map(|r| r.clamp(0.0, 1.0));
    let party_a = clean_label(&input.party_a);
    let party_b = clean_label(&input.party_b);
    let name_a = if party_a.trim().is_empty() { "A".to_string() } else { party_a };
    let name_b = if party_b.trim().is_empty() { "B".to_string() } else { party_b };

    let top = title_height(&input.title);
    let side = 420;
    let (x0, y0) = (74, top + 10);
    let (x1, y1) = (x0 + side, y0 + side);
    let xs = Lin::new(0.0, 1.0, x0, x1);
    let ys = Lin::new(0.0, 1.0, y1, y0);
    let height = y1 + 50;

    let mut legend: Vec<(Swatch, String)> = Vec::new();
    if counted > 0 {
        legend.push((Swatch::Density, "outcomes (density)".to_string()));
    }
    if !frontier.is_empty() {
        legend.push((Swatch::Line(INK, 2), "Pareto frontier".to_string()));
    }
    let mark_size = |k: usize| 8.0 - (k.min(3) as f64) * 0.8;
    for (k, (name, _)) in marks.iter().enumerate() {
        legend.push((Swatch::Marker(SHAPES[k % SHAPES.len()], MARK_COLORS[k % MARK_COLORS.len()]), name.clone()));
    }
    if res_a.is_some() || res_b.is_some() {
        legend.push((Swatch::Dashed(INK, 1.5), "walk-away value".to_string()));
    }
    if res_a.is_some() && res_b.is_some() {
        legend.push((Swatch::Fill(ZONE.mix(0.16)), "both beat walking away".to_string()));
    }
    let legend_x = x1 + 22;
    let legend_text_w = f64::from(W - 10 - legend_x - SWATCH_W - 6);

    render(&input.title, height, |a| {
        let ticks = ticks_in(0.0, 1.0, 0.2);
        for &t in &ticks {
            line(a, &[(xs.i(t), y0), (xs.i(t), y1)], GRID.to_rgba(), 1)?;
            line(a, &[(x0, ys.i(t)), (x1, ys.i(t))], GRID.to_rgba(), 1)?;
        }
        if let (Some(ra), Some(rb)) = (res_a, res_b) {
            rect(a, (xs.i(ra), ys.i(1.0)), (xs.i(1.0), ys.i(rb)), ZONE.mix(0.10))?;
        }
        if counted > 0 {
            a.raw(density_svg(&counts, xs, ys))?;
        }
        frame(a, (x0, y0), (x1, y1), AXIS)?;
        for &t in &ticks {
            let label = fmt_num(t, 1).trim_end_matches('0').trim_end_matches('.').to_string();
            text(a, &label, (xs.i(t), y1 + 13), Txt::new(PX_TICK).color(MUTED).center())?;
            text(a, &label, (x0 - 7, ys.i(t)), Txt::new(PX_TICK).color(MUTED).right())?;
        }
        text(a, &fit(&format!("utility to {name_a}"), PX_LABEL, f64::from(side)), ((x0 + x1) / 2, y1 + 34), Txt::new(PX_LABEL).center())?;
        text(
            a,
            &fit(&format!("utility to {name_b}"), PX_LABEL, f64::from(side)),
            (x0 - 44, (y0 + y1) / 2),
            Txt::new(PX_LABEL).center().rotated(),
        )?;

        // reservation lines and labels
        let lt = Txt::new(PX_TICK).color(INK);
        if let Some(ra) = res_a {
            let x = xs.i(ra);
            dashed(a, &[(x, y0), (x, y1)], INK, 1.5, 6, 4)?;
            let label = fit(&format!("{name_a} walks away"), PX_TICK, 170.0);
            let w = text_width(&label, PX_TICK);
            if f64::from(x) + 6.0 + w < f64::from(x1 - 4) {
                text_on_plate(a, &label, (x + 6, y0 + 11), lt)?;
            } else {
                text_on_plate(a, &label, (x - 6, y0 + 11), lt.right())?;
            }
        }
        if let Some(rb) = res_b {
            let y = ys.i(rb);
            dashed(a, &[(x0, y), (x1, y)], INK, 1.5, 6, 4)?;
            let label = fit(&format!("{name_b} walks away"), PX_TICK, 170.0);
            let ly = if y - 11 > y0 + 24 { y - 11 } else { y + 11 };
            text_on_plate(a, &label, (x1 - 6, ly), lt.right())?;
        }
        // frontier
        let fpts: Vec<Px> = dedup_path(frontier.iter().map(|&(u, v)| (xs.i(u), ys.i(v))).collect());
        line(a, &fpts, INK.to_rgba(), 2)?;
        if frontier.len() <= 150 {
            for &(u, v) in &frontier {
                circle(a, (xs.i(u), ys.i(v)), 2, fill(INK.to_rgba()))?;
            }
        }
        for (k, (_, (u, v))) in marks.iter().enumerate() {
            marker(a, SHAPES[k % SHAPES.len()], (xs.f(*u), ys.f(*v)), mark_size(k), MARK_COLORS[k % MARK_COLORS.len()])?;
        }
        for (k, (sw, label)) in legend.iter().enumerate() {
            let at = (legend_x, y0 + 10 + k as i32 * 24);
            draw_swatch(a, *sw, at)?;
            text(a, &fit(label, PX_LABEL, legend_text_w), (at.0 + SWATCH_W + 6, at.1), Txt::new(PX_LABEL))?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// 3. Concession curves
// ---------------------------------------------------------------------------------------------

/// Each party's concessions over a negotiation: x = round, y = utility (0–1).
///
/// Per party, in its colour: a solid step line of the utility to it of its own offers (with
/// dots when a series has at most 40 offers), a dashed step line of the utility to it of the
/// standing text (when given) and a thin dotted horizontal line at its reservation value. The
/// agreement round, if any, is a dark vertical line labelled "agreement, round N". The legend at
/// the top names the parties and the line styles. Returns the "no data" SVG when no series has a
/// finite point.
pub fn concession_curves(input: &ConcessionCurves) -> Result<String, PlotError> {
    struct Series {
        name: String,
        color: RGBColor,
        own: Vec<(f64, f64)>,
        text: Vec<(f64, f64)>,
        reservation: Option<f64>,
    }
    let series: Vec<Series> = input
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| Series {
            name: clean_label(&p.party),
            color: PALETTE[i % PALETTE.len()],
            own: clean_series(&p.own_offers, 0.0, 1.0),
            text: clean_series(&p.standing_text, 0.0, 1.0),
            reservation: p.reservation.filter(|r| r.is_finite()).map(|r| r.clamp(0.0, 1.0)),
        })
        .collect();
    let agreement = input.agreement_round.filter(|r| r.is_finite());
    let rounds = series.iter().flat_map(|s| s.own.iter().chain(&s.text).map(|p| p.0)).chain(agreement);
    let Some((rx0, rx1, rstep)) = round_axis(rounds) else {
        return no_data(&input.title);
    };
    if series.iter().all(|s| s.own.is_empty() && s.text.is_empty()) {
        return no_data(&input.title);
    }

    let mut legend: Vec<(Swatch, String)> = series.iter().map(|s| (Swatch::Line(s.color, 3), fit(&s.name, PX_LABEL, 160.0))).collect();
    if series.iter().any(|s| !s.own.is_empty()) {
        legend.push((Swatch::Line(MUTED, 2), "own offers".to_string()));
    }
    if series.iter().any(|s| !s.text.is_empty()) {
        legend.push((Swatch::Dashed(MUTED, 2.0), "standing text".to_string()));
    }
    if series.iter().any(|s| s.reservation.is_some()) {
        legend.push((Swatch::Dotted(MUTED), "walk-away value".to_string()));
    }
    let top = title_height(&input.title);
    let (legend_at, legend_bottom) = legend_flow(&legend, 14, W - 12, top);
    let (x0, x1) = (64, W - 24);
    let y0 = legend_bottom + 14;
    let y1 = y0 + 270;
    let xs = Lin::new(rx0, rx1, x0 + 10, x1 - 10);
    let ys = Lin::new(0.0, 1.0, y1, y0);
    let height = y1 + 48;

    render(&input.title, height, |a| {
        draw_legend(a, &legend, &legend_at)?;
        for t in ticks_in(0.0, 1.0, 0.2) {
            line(a, &[(x0, ys.i(t)), (x1, ys.i(t))], GRID.to_rgba(), 1)?;
            let label = fmt_num(t, 1).trim_end_matches('0').trim_end_matches('.').to_string();
            text(a, &label, (x0 - 7, ys.i(t)), Txt::new(PX_TICK).color(MUTED).right())?;
        }
        let dec = decimals_for(rstep);
        for t in ticks_in(rx0, rx1, rstep) {
            line(a, &[(xs.i(t), y1), (xs.i(t), y1 + 4)], AXIS.to_rgba(), 1)?;
            text(a, &fmt_num(t, dec), (xs.i(t), y1 + 14), Txt::new(PX_TICK).color(MUTED).center())?;
        }
        line(a, &[(x0, y1), (x1, y1)], AXIS.to_rgba(), 1)?;
        text(a, "round", ((x0 + x1) / 2, y1 + 33), Txt::new(PX_LABEL).center())?;
        text(a, "utility", (x0 - 40, (y0 + y1) / 2), Txt::new(PX_LABEL).center().rotated())?;

        for s in &series {
            if let Some(r) = s.reservation {
                dashed(a, &[(x0, ys.i(r)), (x1, ys.i(r))], s.color, 1.5, 2, 3)?;
            }
        }
        if let Some(r) = agreement {
            let x = xs.i(r);
            line(a, &[(x, y0), (x, y1)], INK.to_rgba(), 1)?;
            let label = format!("agreement, round {}", fmt_num(r, decimals_for(r)));
            let w = text_width(&label, PX_TICK);
            let t = Txt::new(PX_TICK);
            if f64::from(x) + 6.0 + w < f64::from(x1) {
                text_on_plate(a, &label, (x + 6, y0 + 8), t)?;
            } else {
                text_on_plate(a, &label, (x - 6, y0 + 8), t.right())?;
            }
        }
        for s in &series {
            let pts: Vec<Px> = s.text.iter().map(|&(r, u)| (xs.i(r), ys.i(u))).collect();
            if pts.len() == 1 {
                circle(a, pts[0], 3, stroke(s.color.to_rgba(), 2))?;
            } else {
                dashed(a, &step_path(&pts), s.color, 2.0, 6, 4)?;
            }
        }
        for s in &series {
            let pts: Vec<Px> = s.own.iter().map(|&(r, u)| (xs.i(r), ys.i(u))).collect();
            line(a, &step_path(&pts), s.color.to_rgba(), 2)?;
            if pts.len() <= 40 {
                for &p in &pts {
                    circle(a, p, 3, fill(s.color.to_rgba()))?;
                }
            }
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// 4. Trajectory
// ---------------------------------------------------------------------------------------------

/// Forecast trajectories of one issue over the model's rounds.
///
/// y = position 0–100 with the option labels (or 0, 25, …, 100) as ticks and a light grid, x =
/// round. Each actor's path is a line in its colour, labelled with its id at the right margin
/// (labels spread apart vertically when close, with a thin leader when moved); Monte Carlo bands
/// are two nested translucent grey areas (p5–p95 and p25–p75); the forecast is a thick dark line
/// on top, labelled at its end. The legend at the top names the forecast and the bands. Returns
/// the "no data" SVG when no actor path, forecast or band has a finite point.
pub fn trajectory(input: &Trajectory) -> Result<String, PlotError> {
    let actors: Vec<_> = input
        .actors
        .iter()
        .enumerate()
        .map(|(i, p)| (clean_label(&p.actor), PALETTE[i % PALETTE.len()], clean_series(&p.positions, 0.0, 100.0)))
        .collect();
    let forecast = clean_series(&input.forecast, 0.0, 100.0);
    let mut bands: Vec<(f64, [f64; 4])> = input
        .bands
        .iter()
        .filter(|b| [b.round, b.p5, b.p25, b.p75, b.p95].iter().all(|v| v.is_finite()))
        .map(|b| {
            let mut q = [b.p5, b.p25, b.p75, b.p95].map(|v| v.clamp(0.0, 100.0));
            q.sort_by(f64::total_cmp);
            (b.round, q)
        })
        .collect();
    bands.sort_by(|p, q| p.0.total_cmp(&q.0));
    let rounds = actors.iter().flat_map(|a| a.2.iter().map(|p| p.0)).chain(forecast.iter().map(|p| p.0)).chain(bands.iter().map(|b| b.0));
    let Some((rx0, rx1, rstep)) = round_axis(rounds) else {
        return no_data(&input.title);
    };
    let forecast_label = if input.forecast_label.trim().is_empty() {
        "forecast".to_string()
    } else {
        fit(&clean_label(&input.forecast_label), PX_LABEL, 150.0)
    };

    let mut ticks = clean_ticks(&input.ticks, 0.0, 100.0);
    let numeric = ticks.is_empty();
    if numeric {
        ticks = [0.0, 25.0, 50.0, 75.0, 100.0].iter().map(|&v| (v, fmt_num(v, 0))).collect();
    }
    let ticks: Vec<(f64, String)> = ticks.into_iter().map(|(v, s)| (v, fit(&clean_label(&s), PX_TICK, 170.0))).collect();
    let left = (ticks.iter().map(|(_, s)| text_width(s, PX_TICK)).fold(0.0, f64::max) + 18.0).clamp(44.0, 190.0).ceil() as i32;
    let actor_labels: Vec<String> = actors.iter().map(|a| fit(&a.0, PX_LABEL, 150.0)).collect();
    let end_w = actor_labels
        .iter()
        .zip(&actors)
        .filter(|(_, a)| !a.2.is_empty())
        .map(|(s, _)| text_width(s, PX_LABEL))
        .chain((!forecast.is_empty()).then(|| text_width_bold(&forecast_label, PX_LABEL)))
        .fold(0.0, f64::max);
    let right = (end_w + 22.0).clamp(40.0, 180.0).ceil() as i32;

    let mut legend: Vec<(Swatch, String)> = Vec::new();
    if !forecast.is_empty() {
        legend.push((Swatch::Line(INK, 4), forecast_label.clone()));
    }
    if !bands.is_empty() {
        legend.push((Swatch::Fill(INK.mix(0.30)), "50% of runs (p25–p75)".to_string()));
        legend.push((Swatch::Fill(INK.mix(0.12)), "90% of runs (p5–p95)".to_string()));
    }
    let top = title_height(&input.title);
    let (legend_at, legend_bottom) = legend_flow(&legend, 14, W - 12, top);
    let (x0, x1) = (left, W - right);
    let y0 = legend_bottom + 30;
    let y1 = y0 + 300;
    let xs = Lin::new(rx0, rx1, x0 + 10, x1 - 10);
    let ys = Lin::new(0.0, 100.0, y1, y0);
    let height = y1 + 48;
    let issue = clean_label(&input.issue);

    render(&input.title, height, |a| {
        draw_legend(a, &legend, &legend_at)?;
        let caption = if issue.trim().is_empty() { "position".to_string() } else { format!("position on {issue}") };
        text(a, &fit(&caption, PX_LABEL, f64::from(W - 24)), (12, y0 - 16), Txt::new(PX_LABEL).color(MUTED))?;
        // y ticks: grid at exact positions, labels spread apart when close
        let desired: Vec<f64> = ticks.iter().map(|(v, _)| ys.f(*v)).collect();
        let at = spread(&desired, 13.0, f64::from(y0) - 6.0, f64::from(y1) + 6.0);
        for ((v, s), ly) in ticks.iter().zip(at) {
            let y = ys.i(*v);
            line(a, &[(x0, y), (x1, y)], GRID.to_rgba(), 1)?;
            let ly = ly.round() as i32;
            if (ly - y).abs() > 2 {
                line(a, &[(x0 - 5, y), (x0 - 1, y)], AXIS.to_rgba(), 1)?;
            }
            text(a, s, (x0 - 7, ly), Txt::new(PX_TICK).color(MUTED).right())?;
        }
        let dec = decimals_for(rstep);
        for t in ticks_in(rx0, rx1, rstep) {
            line(a, &[(xs.i(t), y1), (xs.i(t), y1 + 4)], AXIS.to_rgba(), 1)?;
            text(a, &fmt_num(t, dec), (xs.i(t), y1 + 14), Txt::new(PX_TICK).color(MUTED).center())?;
        }
        line(a, &[(x0, y1), (x1, y1)], AXIS.to_rgba(), 1)?;
        text(a, "round", ((x0 + x1) / 2, y1 + 33), Txt::new(PX_LABEL).center())?;

        // bands
        if bands.len() >= 2 {
            for (lo_q, hi_q, alpha) in [(0, 3, 0.12), (1, 2, 0.20)] {
                let mut poly: Vec<Px> = bands.iter().map(|(r, q)| (xs.i(*r), ys.i(q[hi_q]))).collect();
                poly.extend(bands.iter().rev().map(|(r, q)| (xs.i(*r), ys.i(q[lo_q]))));
                polygon(a, poly, INK.mix(alpha))?;
            }
        } else if let Some((r, q)) = bands.first() {
            let x = xs.i(*r);
            rect(a, (x - 4, ys.i(q[3])), (x + 4, ys.i(q[0])), INK.mix(0.12))?;
            rect(a, (x - 4, ys.i(q[2])), (x + 4, ys.i(q[1])), INK.mix(0.20))?;
        }
        // actor paths
        for (_, c, pts) in &actors {
            let p: Vec<Px> = pts.iter().map(|&(r, v)| (xs.i(r), ys.i(v))).collect();
            if p.len() == 1 {
                circle(a, p[0], 3, fill(c.to_rgba()))?;
            }
            line(a, &dedup_path(p), c.to_rgba(), 2)?;
        }
        // forecast
        let fp: Vec<Px> = forecast.iter().map(|&(r, v)| (xs.i(r), ys.i(v))).collect();
        if fp.len() == 1 {
            circle(a, fp[0], 4, fill(INK.to_rgba()))?;
        }
        line(a, &dedup_path(fp.clone()), INK.to_rgba(), 4)?;

        // end labels
        let mut ends: Vec<(Px, f64, String, Txt)> = Vec::new();
        for ((_, _, pts), label) in actors.iter().zip(&actor_labels) {
            if let Some(&(r, v)) = pts.last() {
                ends.push(((xs.i(r), ys.i(v)), ys.f(v), label.clone(), Txt::new(PX_LABEL)));
            }
        }
        if let (Some(&p), Some(&(_, v))) = (fp.last(), forecast.last()) {
            ends.push((p, ys.f(v), forecast_label.clone(), Txt::new(PX_LABEL).bold()));
        }
        let desired: Vec<f64> = ends.iter().map(|e| e.1).collect();
        let at = spread(&desired, 14.0, f64::from(y0), f64::from(y1));
        let lx = x1 + 10;
        for ((p, _, label, t), ly) in ends.iter().zip(at) {
            let ly = ly.round() as i32;
            if (ly - p.1).abs() > 2 || lx - p.0 > 24 {
                line(a, &[(p.0 + 3, p.1), (lx - 3, ly)], LEADER.to_rgba(), 1)?;
            }
            text(a, label, (lx, ly), *t)?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// 5. Bars
// ---------------------------------------------------------------------------------------------

/// Horizontal bars of values in 0–1, grouped under optional headings.
///
/// Labels on the left (indented under a bold group heading), one blue bar per value on a 0–100%
/// axis with a light grid, the value printed as a percentage past the bar end ("<1%" and ">99%"
/// near the ends, "n/a" for a non-finite value, which draws no bar), and an optional interval as
/// a dark whisker with caps. Returns the "no data" SVG when there is no bar.
pub fn bars(input: &Bars) -> Result<String, PlotError> {
    enum Row {
        Heading(String),
        Bar { label: String, value: Option<f64>, interval: Option<(f64, f64)>, indent: bool },
    }
    let mut rows: Vec<Row> = Vec::new();
    for g in &input.groups {
        if g.bars.is_empty() {
            continue;
        }
        let heading = g.heading.as_deref().map(clean_label).filter(|h| !h.trim().is_empty());
        let indent = heading.is_some();
        if let Some(h) = heading {
            rows.push(Row::Heading(h));
        }
        for b in &g.bars {
            let value = b.value.is_finite().then(|| b.value.clamp(0.0, 1.0));
            let interval = b.interval.filter(finite2).map(|(lo, hi)| {
                let (lo, hi) = (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0));
                (lo.min(hi), lo.max(hi))
            });
            rows.push(Row::Bar { label: clean_label(&b.label), value, interval, indent });
        }
    }
    if !rows.iter().any(|r| matches!(r, Row::Bar { .. })) {
        return no_data(&input.title);
    }
    let label_w = rows
        .iter()
        .map(|r| match r {
            Row::Bar { label, indent, .. } => text_width(label, PX_LABEL) + if *indent { 12.0 } else { 0.0 },
            Row::Heading(_) => 0.0,
        })
        .fold(0.0, f64::max)
        .min(330.0);
    let x0 = (12.0 + label_w + 14.0).ceil() as i32;
    let x1 = W - 58;
    let xs = Lin::new(0.0, 1.0, x0, x1);
    let top = title_height(&input.title) + 2;
    let mut ys = Vec::with_capacity(rows.len());
    let mut y = top;
    for (k, r) in rows.iter().enumerate() {
        match r {
            Row::Heading(_) => {
                y += if k == 0 { 0 } else { 8 };
                ys.push(y + 12);
                y += 26;
            }
            Row::Bar { .. } => {
                ys.push(y + 12);
                y += 24;
            }
        }
    }
    let plot_bottom = y + 2;
    let height = plot_bottom + 26;

    // vertical extents of the runs of consecutive bars (the grid stays clear of the headings)
    let mut runs: Vec<(i32, i32)> = Vec::new();
    let mut previous_was_bar = false;
    for (r, &cy) in rows.iter().zip(&ys) {
        let is_bar = matches!(r, Row::Bar { .. });
        if is_bar {
            match runs.last_mut() {
                Some(run) if previous_was_bar => run.1 = cy + 12,
                _ => runs.push((cy - 12, cy + 12)),
            }
        }
        previous_was_bar = is_bar;
    }
    if let Some(last) = runs.last_mut() {
        last.1 = plot_bottom;
    }

    render(&input.title, height, |a| {
        for t in ticks_in(0.0, 1.0, 0.25) {
            for &(y_top, y_bottom) in &runs {
                line(a, &[(xs.i(t), y_top), (xs.i(t), y_bottom)], GRID.to_rgba(), 1)?;
            }
            text(a, &fmt_pct(t), (xs.i(t), plot_bottom + 12), Txt::new(PX_TICK).color(MUTED).center())?;
        }
        for &(y_top, y_bottom) in &runs {
            line(a, &[(x0, y_top), (x0, y_bottom)], AXIS.to_rgba(), 1)?;
        }
        for (r, &cy) in rows.iter().zip(&ys) {
            match r {
                Row::Heading(h) => text(a, &fit(h, PX_HEAD * BOLD, f64::from(W - 24)), (12, cy), Txt::new(PX_HEAD).bold())?,
                Row::Bar { label, value, interval, indent } => {
                    let lx = if *indent { 24 } else { 12 };
                    text(a, &fit(label, PX_LABEL, f64::from(x0 - 14 - lx)), (lx, cy), Txt::new(PX_LABEL))?;
                    let mut end = x0;
                    if let Some(v) = value {
                        rect(a, (x0, cy - 7), (xs.i(*v), cy + 7), BAR.to_rgba())?;
                        end = end.max(xs.i(*v));
                    }
                    if let Some((lo, hi)) = interval {
                        let (xl, xh) = (xs.i(*lo), xs.i(*hi));
                        line(a, &[(xl, cy), (xh, cy)], INK.to_rgba(), 1)?;
                        line(a, &[(xl, cy - 5), (xl, cy + 5)], INK.to_rgba(), 1)?;
                        line(a, &[(xh, cy - 5), (xh, cy + 5)], INK.to_rgba(), 1)?;
                        end = end.max(xh);
                    }
                    let label = value.map_or_else(|| "n/a".to_string(), fmt_pct);
                    text(a, &label, (end + 6, cy), Txt::new(PX_LABEL).color(if value.is_some() { INK } else { MUTED }))?;
                }
            }
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// 6. Tornado
// ---------------------------------------------------------------------------------------------

/// A one-at-a-time sensitivity ("tornado") chart.
///
/// One row per input, sorted by swing (largest on top), with its label on the left; from the
/// base value (dark vertical line) a blue bar to the metric with the input at its low end and an
/// orange bar to the metric with the input at its high end, each value printed at its bar end;
/// a numeric x axis with the given label at the bottom; the legend at the top names the two
/// colours and the base value. Rows with a non-finite low or high are dropped. Returns the
/// "no data" SVG when the base is not finite or no row remains.
pub fn tornado(input: &Tornado) -> Result<String, PlotError> {
    if !input.base.is_finite() {
        return no_data(&input.title);
    }
    let base = input.base;
    let mut rows: Vec<(String, f64, f64)> =
        input.rows.iter().filter(|r| r.low.is_finite() && r.high.is_finite()).map(|r| (clean_label(&r.label), r.low, r.high)).collect();
    if rows.is_empty() {
        return no_data(&input.title);
    }
    rows.sort_by(|p, q| (q.2 - q.1).abs().total_cmp(&(p.2 - p.1).abs()));

    let (mut lo, mut hi) = (base, base);
    for (_, l, h) in &rows {
        lo = lo.min(*l).min(*h);
        hi = hi.max(*l).max(*h);
    }
    if hi - lo <= f64::EPSILON * base.abs().max(1.0) * 16.0 {
        let pad = if base.abs() > 0.0 { base.abs() * 0.1 } else { 1.0 };
        lo -= pad;
        hi += pad;
    }
    let step = nice_step(hi - lo, 6.0);
    let value_dec = (decimals_for(step) + 1).min(4);
    let value_w = rows.iter().flat_map(|r| [r.1, r.2]).map(|v| text_width(&fmt_num(v, value_dec), PX_TICK)).fold(0.0, f64::max) + 8.0;

    let low_label = if input.low_label.trim().is_empty() { "low".to_string() } else { clean_label(&input.low_label) };
    let high_label = if input.high_label.trim().is_empty() { "high".to_string() } else { clean_label(&input.high_label) };
    let legend = vec![
        (Swatch::Fill(LOW.to_rgba()), fit(&low_label, PX_LABEL, 260.0)),
        (Swatch::Fill(HIGH.to_rgba()), fit(&high_label, PX_LABEL, 260.0)),
        (Swatch::VTick(INK), format!("base {}", fmt_num(base, value_dec))),
    ];
    let top = title_height(&input.title);
    let (legend_at, legend_bottom) = legend_flow(&legend, 14, W - 12, top);

    let label_w = rows.iter().map(|r| text_width(&r.0, PX_LABEL)).fold(0.0, f64::max).min(320.0);
    let x0 = (12.0 + label_w + 14.0).ceil() as i32;
    let x1 = W - 16;
    // room for the printed values at both ends of the data range
    let inner = (f64::from(x1 - x0) - 2.0 * value_w).max(60.0);
    let per_px = (hi - lo) / inner;
    let (d0, d1) = (lo - value_w * per_px, hi + value_w * per_px);
    let xs = Lin::new(d0, d1, x0, x1);
    let tick_step = nice_step(d1 - d0, 8.0);
    let row_top = legend_bottom + 10;
    let pitch = 26;
    let plot_bottom = row_top + pitch * rows.len() as i32;
    let height = plot_bottom + 50;
    let x_label = clean_label(&input.x_label);

    render(&input.title, height, |a| {
        draw_legend(a, &legend, &legend_at)?;
        let tick_dec = decimals_for(tick_step);
        for t in ticks_in(d0, d1, tick_step) {
            let x = xs.i(t);
            line(a, &[(x, row_top), (x, plot_bottom)], GRID.to_rgba(), 1)?;
            text(a, &fmt_num(t, tick_dec), (x, plot_bottom + 12), Txt::new(PX_TICK).color(MUTED).center())?;
        }
        line(a, &[(x0, plot_bottom), (x1, plot_bottom)], AXIS.to_rgba(), 1)?;
        text(a, &fit(&x_label, PX_LABEL, f64::from(x1 - x0)), ((x0 + x1) / 2, plot_bottom + 32), Txt::new(PX_LABEL).center())?;
        let xb = xs.i(base);
        for (k, (label, low, high)) in rows.iter().enumerate() {
            let cy = row_top + pitch * k as i32 + pitch / 2;
            text(a, &fit(label, PX_LABEL, f64::from(x0 - 26)), (12, cy), Txt::new(PX_LABEL))?;
            // the longer segment first, so that a shorter one on the same side stays visible
            let mut segs = [(*low, LOW), (*high, HIGH)];
            segs.sort_by(|p, q| (q.0 - base).abs().total_cmp(&(p.0 - base).abs()));
            for (v, c) in segs {
                rect(a, (xb, cy - 8), (xs.i(v), cy + 8), c.to_rgba())?;
            }
            // values at the bar ends: outside the bars; the nearer end of two bars on one side
            // inside the longer bar (when it fits); nothing for a value equal to the base
            let t = Txt::new(PX_TICK);
            let outside = |v: f64| -> Res {
                let s = fmt_num(v, value_dec);
                if v >= base {
                    text(a, &s, (xs.i(v) + 4, cy), t)
                } else {
                    text(a, &s, (xs.i(v) - 4, cy), t.right())
                }
            };
            let ((far, _), (near, _)) = (segs[0], segs[1]);
            if far == base {
                outside(base)?;
            } else {
                outside(far)?;
                let same_side = (far - base) * (near - base) > 0.0;
                if near != base && xs.i(near) != xs.i(far) {
                    if same_side {
                        let s = fmt_num(near, value_dec);
                        let room = f64::from((xs.i(far) - xs.i(near)).abs()) - 6.0;
                        if text_width(&s, PX_TICK) <= room {
                            if near >= base {
                                text(a, &s, (xs.i(near) + 4, cy), t.color(WHITE))?;
                            } else {
                                text(a, &s, (xs.i(near) - 4, cy), t.color(WHITE).right())?;
                            }
                        }
                    } else {
                        outside(near)?;
                    }
                }
            }
        }
        line(a, &[(xb, row_top - 4), (xb, plot_bottom)], INK.to_rgba(), 2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the document shape and a minimal well-formedness: balanced tags, quoted
    /// attributes, no raw markup characters in text. Returns the number of elements.
    fn check_svg(svg: &str, title: &str) -> usize {
        assert!(svg.starts_with("<svg "), "starts with <svg: {}", &svg[..svg.len().min(80)]);
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("viewBox=\"0 0 720 "));
        assert!(svg.contains("width=\"100%\""));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains(&format!("<title>{}</title>", escape_xml(title))), "title");
        for bad in ["NaN", "inf", "\"-0\""] {
            assert!(!svg.contains(bad), "contains {bad}");
        }
        let mut stack: Vec<&str> = Vec::new();
        let mut elements = 0;
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            assert!(!text.contains('>'), "stray '>' in text");
            let close = rest[open..].find('>').expect("unterminated tag") + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'));
            assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name.trim()), "mismatched </{name}>");
            } else {
                elements += 1;
                let name = tag.split_whitespace().next().unwrap_or("").trim_end_matches('/');
                if !tag.ends_with('/') {
                    stack.push(name);
                }
            }
            rest = &rest[close + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert!(rest.trim().is_empty());
        elements
    }

    fn ukraine_map() -> PositionMap {
        let actors = ["russia", "ukraine", "usa", "eu", "china", "turkey"].map(String::from).to_vec();
        let ideals = |pos: [f64; 6], w: [f64; 6]| -> Vec<IdealPoint> {
            (0..6).map(|i| IdealPoint { actor: i, position: pos[i], weight: w[i] }).collect()
        };
        let forecasts = |mean: f64, median: f64, eu: f64| {
            vec![
                ForecastMark { name: "mean".into(), position: mean },
                ForecastMark { name: "median".into(), position: median },
                ForecastMark { name: "EU".into(), position: eu },
            ]
        };
        PositionMap {
            title: "Positions on the issues".into(),
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
                    ideals: ideals([95.0, 0.0, 10.0, 5.0, 70.0, 40.0], [0.9, 1.0, 0.6, 0.5, 0.2, 0.15]),
                    forecasts: forecasts(45.0, 67.0, 62.0),
                    deal: Some(67.0),
                },
                PositionIssue {
                    name: "security guarantees".into(),
                    ticks: vec![],
                    ideals: ideals([0.0, 100.0, 60.0, 70.0, 20.0, 35.0], [0.8, 1.0, 0.7, 0.6, 0.1, 0.1]),
                    forecasts: forecasts(50.0, 60.0, 58.0),
                    deal: Some(55.0),
                },
            ],
        }
    }

    fn lcg_points(n: usize) -> Vec<(f64, f64)> {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n).map(|_| (next(), next())).collect()
    }

    fn space(points: Vec<(f64, f64)>) -> UtilitySpace {
        UtilitySpace {
            title: "Outcomes for russia and ukraine".into(),
            party_a: "russia".into(),
            party_b: "ukraine".into(),
            density: None,
            outcomes: points,
            frontier: vec![(0.0, 1.0), (0.4, 0.9), (0.7, 0.6), (0.9, 0.3), (1.0, 0.0)],
            reservation_a: Some(0.35),
            reservation_b: Some(0.3),
            marks: vec![
                MarkedPoint { name: "Nash".into(), utility_a: 0.7, utility_b: 0.6 },
                MarkedPoint { name: "KS".into(), utility_a: 0.68, utility_b: 0.62 },
                MarkedPoint { name: "joint table".into(), utility_a: 0.5, utility_b: 0.5 },
                MarkedPoint { name: "biased single text".into(), utility_a: 0.8, utility_b: 0.4 },
            ],
        }
    }

    fn curves() -> ConcessionCurves {
        let own = |start: f64, rate: f64| (0..12).map(|r| (f64::from(r), start - rate * f64::from(r))).collect::<Vec<_>>();
        ConcessionCurves {
            title: "Concessions".into(),
            parties: vec![
                ConcessionSeries {
                    party: "russia".into(),
                    own_offers: own(1.0, 0.03),
                    standing_text: (0..12).map(|r| (f64::from(r), 0.4 + 0.02 * f64::from(r))).collect(),
                    reservation: Some(0.45),
                },
                ConcessionSeries { party: "ukraine".into(), own_offers: own(0.95, 0.04), standing_text: vec![], reservation: Some(0.4) },
            ],
            agreement_round: Some(11.0),
        }
    }

    fn traj() -> Trajectory {
        let path = |from: f64, to: f64| (0..=10).map(|r| (f64::from(r), from + (to - from) * f64::from(r) / 10.0)).collect::<Vec<_>>();
        Trajectory {
            title: "Territory over rounds".into(),
            issue: "territory".into(),
            ticks: vec![(0.0, "pre_2014_borders".into()), (67.0, "current_line".into()), (100.0, "four_oblasts".into())],
            actors: vec![
                ActorPath { actor: "russia".into(), positions: path(95.0, 80.0) },
                ActorPath { actor: "ukraine".into(), positions: path(0.0, 30.0) },
                ActorPath { actor: "usa".into(), positions: path(10.0, 32.0) },
            ],
            forecast: path(45.0, 60.0),
            forecast_label: "median forecast".into(),
            bands: (0..=10)
                .map(|r| {
                    let m = 45.0 + 1.5 * f64::from(r);
                    BandPoint { round: f64::from(r), p5: m - 25.0, p25: m - 10.0, p75: m + 10.0, p95: m + 25.0 }
                })
                .collect(),
        }
    }

    fn bar_chart() -> Bars {
        Bars {
            title: "Chances".into(),
            groups: vec![
                BarGroup {
                    heading: Some("Deal vs walking away".into()),
                    bars: vec![
                        Bar { label: "P(deal beats walking away), russia".into(), value: 0.72, interval: Some((0.6, 0.81)) },
                        Bar { label: "P(deal beats walking away), ukraine".into(), value: 0.41, interval: None },
                    ],
                },
                BarGroup {
                    heading: None,
                    bars: vec![Bar { label: "P(protocol reaches a deal)".into(), value: 0.997, interval: Some((0.97, 1.0)) }],
                },
            ],
        }
    }

    fn tornado_chart() -> Tornado {
        Tornado {
            title: "Sensitivity".into(),
            x_label: "P(deal beats walking away)".into(),
            base: 0.55,
            low_label: "input at low end".into(),
            high_label: "input at high end".into(),
            rows: vec![
                TornadoRow { label: "usa × sanctions (salience 0.2–0.6)".into(), low: 0.5, high: 0.6 },
                TornadoRow { label: "russia × territory (ideal 80–100)".into(), low: 0.7, high: 0.3 },
                TornadoRow { label: "eu × security (capability 0.4–0.8)".into(), low: 0.58, high: 0.62 },
            ],
        }
    }

    #[test]
    fn position_map_renders_labels_legend_and_rows() {
        let input = ukraine_map();
        let svg = position_map(&input).expect("svg");
        let n = check_svg(&svg, &input.title);
        for label in
            ["russia", "ukraine", "usa", "eu", "china", "turkey", "mean", "median", "EU", "Nash deal", "territory", "security guarantees"]
        {
            assert!(svg.contains(&format!("\n{label}\n")), "label {label}");
        }
        for tick in ["pre_2014_borders", "current_line", "four_oblasts", "50"] {
            assert!(svg.contains(tick), "tick {tick}");
        }
        // 2 circles per actor per issue + labels + markers + ticks: well under 300
        assert!(n < 300, "{n} elements");
        assert_eq!(svg, position_map(&input).expect("svg"));
    }

    #[test]
    fn position_map_staggers_coincident_labels() {
        let input = PositionMap {
            title: "t".into(),
            actors: (0..5).map(|i| format!("actor_{i}")).collect(),
            issues: vec![PositionIssue {
                name: "x".into(),
                ideals: (0..5).map(|i| IdealPoint { actor: i, position: 50.0, weight: 1.0 }).collect(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let svg = position_map(&input).expect("svg");
        check_svg(&svg, "t");
        // five labels at five different heights
        let ys: std::collections::BTreeSet<String> = svg
            .split("<text ")
            .filter(|t| t.contains("actor_"))
            .filter_map(|t| t.split("y=\"").nth(1).and_then(|s| s.split('"').next()).map(String::from))
            .collect();
        assert_eq!(ys.len(), 5);
    }

    #[test]
    fn utility_space_bins_200k_points_under_300kb() {
        let input = space(lcg_points(200_000));
        let svg = utility_space(&input).expect("svg");
        let n = check_svg(&svg, &input.title);
        assert!(svg.len() < 300_000, "{} bytes", svg.len());
        assert!(n < 200, "{n} elements");
        assert!(!svg.contains("x=\"-10\""));
        for label in ["Nash", "KS", "joint table", "biased single text", "russia walks away", "ukraine walks away", "utility to russia"] {
            assert!(svg.contains(label), "label {label}");
        }
        assert!(svg.contains("fill-opacity"));
        assert_eq!(svg, utility_space(&input).expect("svg"));
    }

    #[test]
    fn utility_space_without_outcomes_has_no_density_layer() {
        let input = space(vec![]);
        let svg = utility_space(&input).expect("svg");
        check_svg(&svg, &input.title);
        assert!(!svg.contains("fill-opacity"));
        assert!(!svg.contains("x=\"-10\""));
    }

    #[test]
    fn concession_curves_render() {
        let input = curves();
        let svg = concession_curves(&input).expect("svg");
        let n = check_svg(&svg, &input.title);
        for label in ["russia", "ukraine", "own offers", "standing text", "walk-away value", "agreement, round 11", "round", "utility"] {
            assert!(svg.contains(label), "label {label}");
        }
        assert!(n < 400, "{n} elements");
        assert_eq!(svg, concession_curves(&input).expect("svg"));
    }

    #[test]
    fn trajectory_renders() {
        let input = traj();
        let svg = trajectory(&input).expect("svg");
        let n = check_svg(&svg, &input.title);
        for label in ["russia", "ukraine", "usa", "median forecast", "pre_2014_borders", "current_line", "p25–p75", "position on territory"]
        {
            assert!(svg.contains(label), "label {label}");
        }
        assert!(n < 200, "{n} elements");
        assert_eq!(svg, trajectory(&input).expect("svg"));
    }

    #[test]
    fn bars_render() {
        let input = bar_chart();
        let svg = bars(&input).expect("svg");
        let n = check_svg(&svg, &input.title);
        for label in ["Deal vs walking away", "P(protocol reaches a deal)", "72%", "41%", "&gt;99%"] {
            assert!(svg.contains(label), "label {label}");
        }
        assert!(n < 100, "{n} elements");
        assert_eq!(svg, bars(&input).expect("svg"));
    }

    #[test]
    fn tornado_sorts_by_swing() {
        let input = tornado_chart();
        let svg = tornado(&input).expect("svg");
        let n = check_svg(&svg, &input.title);
        let russia = svg.find("russia × territory").expect("russia row");
        let usa = svg.find("usa × sanctions").expect("usa row");
        let eu = svg.find("eu × security").expect("eu row");
        assert!(russia < usa && usa < eu, "rows by swing");
        for label in ["input at low end", "input at high end", "base 0.55", "P(deal beats walking away)"] {
            assert!(svg.contains(label), "label {label}");
        }
        assert!(n < 100, "{n} elements");
        assert_eq!(svg, tornado(&input).expect("svg"));
    }

    #[test]
    fn empty_inputs_say_no_data() {
        let outputs = [
            position_map(&PositionMap { title: "a".into(), ..Default::default() }),
            utility_space(&UtilitySpace { title: "b".into(), ..Default::default() }),
            concession_curves(&ConcessionCurves { title: "c".into(), ..Default::default() }),
            trajectory(&Trajectory { title: "d".into(), ..Default::default() }),
            bars(&Bars { title: "e".into(), ..Default::default() }),
            tornado(&Tornado { title: "f".into(), ..Default::default() }),
        ];
        for (out, title) in outputs.into_iter().zip(["a", "b", "c", "d", "e", "f"]) {
            let svg = out.expect("svg");
            check_svg(&svg, title);
            assert!(svg.contains("no data"), "{title}");
            assert!(svg.len() < 2_000);
        }
    }

    #[test]
    fn non_finite_values_are_dropped() {
        let (nan, inf) = (f64::NAN, f64::INFINITY);
        let mut map = ukraine_map();
        map.issues[0].ideals.push(IdealPoint { actor: 0, position: nan, weight: 1.0 });
        map.issues[0].ideals.push(IdealPoint { actor: 1, position: 50.0, weight: inf });
        map.issues[0].ideals.push(IdealPoint { actor: 99, position: 50.0, weight: 1.0 });
        map.issues[0].forecasts.push(ForecastMark { name: "SMP".into(), position: -inf });
        map.issues[1].deal = Some(nan);
        map.issues[1].ticks = vec![(nan, "bad".into()), (150.0, "clamped".into())];
        let svg = position_map(&map).expect("svg");
        check_svg(&svg, &map.title);
        assert!(!svg.contains("SMP") && !svg.contains(">\nbad\n"));

        let mut points = lcg_points(1000);
        points.extend([(nan, 0.5), (0.5, inf), (2.0, 0.5), (-inf, -inf)]);
        let mut s = space(points);
        s.frontier.push((nan, 0.2));
        s.reservation_a = Some(nan);
        s.marks.push(MarkedPoint { name: "ghost".into(), utility_a: inf, utility_b: 0.1 });
        let svg = utility_space(&s).expect("svg");
        check_svg(&svg, &s.title);
        assert!(!svg.contains("ghost") && !svg.contains("russia walks away"));

        let all_nan = UtilitySpace { title: "x".into(), outcomes: vec![(nan, nan); 10], ..Default::default() };
        assert!(utility_space(&all_nan).expect("svg").contains("no data"));

        let mut c = curves();
        c.parties[0].own_offers.push((nan, 0.5));
        c.parties[1].own_offers.push((3.5, inf));
        c.agreement_round = Some(inf);
        let svg = concession_curves(&c).expect("svg");
        check_svg(&svg, &c.title);
        assert!(!svg.contains("agreement"));

        let mut t = traj();
        t.actors[0].positions.push((inf, 3.0));
        t.bands.push(BandPoint { round: 11.0, p5: nan, p25: 1.0, p75: 2.0, p95: 3.0 });
        t.forecast.push((12.0, nan));
        check_svg(&trajectory(&t).expect("svg"), &t.title);

        let mut b = bar_chart();
        b.groups[0].bars.push(Bar { label: "broken".into(), value: nan, interval: Some((nan, 0.5)) });
        let svg = bars(&b).expect("svg");
        check_svg(&svg, &b.title);
        assert!(svg.contains("n/a"));

        let mut tor = tornado_chart();
        tor.rows.push(TornadoRow { label: "nan row".into(), low: nan, high: 0.5 });
        let svg = tornado(&tor).expect("svg");
        check_svg(&svg, &tor.title);
        assert!(!svg.contains("nan row"));
        tor.base = nan;
        assert!(tornado(&tor).expect("svg").contains("no data"));
    }

    #[test]
    fn extreme_values_do_not_panic() {
        let (big, tiny) = (f64::MAX, f64::MIN_POSITIVE);
        let map = PositionMap {
            title: String::new(),
            actors: vec![String::new(), "a".into()],
            issues: vec![PositionIssue {
                name: String::new(),
                ticks: vec![(big, "x".into()), (-big, String::new())],
                ideals: vec![IdealPoint { actor: 0, position: big, weight: big }, IdealPoint { actor: 1, position: -big, weight: tiny }],
                forecasts: vec![ForecastMark { name: String::new(), position: tiny }],
                deal: Some(-big),
            }],
            deal_label: String::new(),
        };
        check_svg(&position_map(&map).expect("svg"), "");
        let s = UtilitySpace {
            density: None,
            outcomes: vec![(big, big), (tiny, tiny)],
            frontier: vec![(big, -big)],
            reservation_a: Some(big),
            reservation_b: Some(-big),
            marks: vec![MarkedPoint { name: String::new(), utility_a: -big, utility_b: big }],
            ..Default::default()
        };
        check_svg(&utility_space(&s).expect("svg"), "");
        let c = ConcessionCurves {
            parties: vec![ConcessionSeries { own_offers: vec![(-big, big), (big, -big)], reservation: Some(big), ..Default::default() }],
            agreement_round: Some(big),
            ..Default::default()
        };
        check_svg(&concession_curves(&c).expect("svg"), "");
        let t = Trajectory {
            actors: vec![ActorPath { actor: "a".into(), positions: vec![(-big, big), (big, tiny)] }],
            bands: vec![BandPoint { round: big, p5: big, p25: -big, p75: tiny, p95: 0.0 }],
            ..Default::default()
        };
        check_svg(&trajectory(&t).expect("svg"), "");
        let b = Bars {
            groups: vec![BarGroup {
                heading: Some(String::new()),
                bars: vec![Bar { value: big, interval: Some((big, -big)), ..Default::default() }],
            }],
            ..Default::default()
        };
        check_svg(&bars(&b).expect("svg"), "");
        let tor = Tornado { base: big, rows: vec![TornadoRow { label: String::new(), low: -big, high: big }], ..Default::default() };
        check_svg(&tornado(&tor).expect("svg"), "");
        let flat = Tornado { base: 0.0, rows: vec![TornadoRow { label: "flat".into(), low: 0.0, high: 0.0 }], ..Default::default() };
        check_svg(&tornado(&flat).expect("svg"), "");
    }

    #[test]
    fn markup_in_labels_is_escaped() {
        let mut map = ukraine_map();
        map.title = "A <b>&amp; \"quoted\" title\u{1}".into();
        map.actors[0] = "<script>alert(1)</script>".into();
        let svg = position_map(&map).expect("svg");
        check_svg(&svg, &map.title);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
    }

    #[test]
    fn actor_colours_are_stable_okabe_ito() {
        assert_eq!(actor_color(0), "#E69F00");
        assert_eq!(actor_color(8), actor_color(0));
        let svg = position_map(&ukraine_map()).expect("svg");
        assert!(svg.contains("#E69F00") && svg.contains("#56B4E9"));
    }

    #[test]
    fn helpers() {
        assert_eq!(fmt_pct(0.0), "0%");
        assert_eq!(fmt_pct(0.001), "<1%");
        assert_eq!(fmt_pct(0.5), "50%");
        assert_eq!(fmt_pct(0.999), ">99%");
        assert_eq!(fmt_num(-0.0001, 2), "0.00");
        assert_eq!(decimals_for(0.25), 2);
        assert_eq!(decimals_for(5.0), 0);
        assert_eq!(ticks_in(0.0, 1.0, 0.2).len(), 6);
        assert_eq!(clean_font_sizes("a font-size=\"13.000000000000002\" b font-size=\"9.5\""), "a font-size=\"13\" b font-size=\"9.5\"");
        let at = spread(&[10.0, 11.0, 12.0, 100.0], 10.0, 0.0, 200.0);
        assert!(at[1] - at[0] >= 10.0 - 1e-9 && at[2] - at[1] >= 10.0 - 1e-9 && (at[3] - 100.0).abs() < 1e-9);
        assert_eq!(assign_lanes(&[(0.0, 10.0), (5.0, 15.0), (20.0, 30.0)], 2.0), vec![0, 1, 0]);
        assert_eq!(fit("abcdefghijklmnop", 12.0, 40.0).chars().last(), Some('…'));
    }
}
