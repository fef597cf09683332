//! `synth railway`: a rail-fracture table shaped like the instrumented-wagon
//! recordings.
//!
//! **Layout.** A track *section* is 20 m of one line: key
//! (`Tc_BaseCode`, `Tc_SectionBreakStartKM`). Sections are numbered
//! contiguously along four lines ARTC-10 … ARTC-13 (KM = line start + 0.02·i).
//! Each line is recorded on a schedule of runs every 10–16 days starting in
//! January 2018; a section has one row per run. With `R = min(N, 100)` runs,
//! `S = ⌈N / R⌉` sections share the `N` rows as evenly as possible: the first
//! `N mod S` sections get one row more, the others miss one randomly chosen
//! run. Rows are sorted by line, section KM and date; exactly `N` rows.
//!
//! **Hidden state** (see [`timeline`]): each section's latent condition
//! degrades over time and raises the hazard of a defect; a defect grows to a
//! break; `Tc_target = 1` for a recording within 30 days before a break.
//!
//! **Channels** (see [`channels`]): 31 `Wagon_*` columns; the defect shows in
//! the defect channels, speed drives every acceleration channel, the rest is
//! noise. Speed is `v = 35 + 11 · z_v` km/h with `z_v = √½ · (a_k + e)`:
//! `a_k ~ N(0, 1)` shared by all sections on run `k` of a line, `e ~ N(0, 1)`
//! per row, floored at 3 km/h; it is independent of defects and label. Each wagon cell is missing (empty) with probability 1 %; the key,
//! date and target columns are never missing.

pub mod channels;
pub mod timeline;

use crate::csv_out::Table;
use crate::dates::{day_number, iso_date};
use crate::moments::{separation, Moments};
use crate::sample::Sampler;
use crate::truth::{ChannelTruth, Ordered, RailwayTruth};
use anyhow::Result;
use channels::{Role, RowState, CHANNELS, SPEED_MEAN, SPEED_SD};
use indicatif::ProgressBar;
use std::io::Write;

/// The lines (base codes) the sections lie on.
pub const BASE_CODES: [&str; 4] = ["ARTC-10", "ARTC-11", "ARTC-12", "ARTC-13"];
/// Most recording runs per section.
pub const MAX_RUNS: usize = 100;
/// Probability that a wagon cell is empty.
pub const MISSING_RATE: f64 = 0.01;
/// Key, date and label columns.
pub const KEY_COLUMNS: [&str; 4] = ["Tc_BaseCode", "Tc_SectionBreakStartKM", "Tc_date", "Tc_target"];
/// Lowest recorded speed, km/h.
const MIN_SPEED: f64 = 3.0;

/// How the `N` rows split into sections and runs.
struct Layout {
    sections: usize,
    /// Runs in each line's schedule.
    runs: usize,
    /// Sections `0..long` get `runs` rows, the rest `runs − 1`.
    long: usize,
}

impl Layout {
    fn new(rows: usize) -> Self {
        let per = rows.min(MAX_RUNS);
        let sections = rows.div_ceil(per);
        let (q, extra) = (rows / sections, rows % sections);
        if extra == 0 {
            Layout { sections, runs: q, long: sections }
        } else {
            Layout { sections, runs: q + 1, long: extra }
        }
    }

    /// Global section indices lying on line `b`.
    fn line(&self, b: usize) -> std::ops::Range<usize> {
        let n = BASE_CODES.len();
        (b * self.sections).div_ceil(n)..((b + 1) * self.sections).div_ceil(n)
    }
}

/// Counts gathered while writing, for the truth file.
#[derive(Default)]
struct Tally {
    positives: usize,
    missing: usize,
    cells: usize,
    breaks: usize,
    /// Per channel: moments of the present values, [label 0, label 1].
    moments: Vec<[Moments; 2]>,
}

/// Writes `rows` rows to `out` and returns the writer with the ground truth.
pub fn generate<W: Write>(rows: usize, seed: u64, out: W, bar: ProgressBar) -> Result<(W, RailwayTruth)> {
    let mut header: Vec<String> = KEY_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(CHANNELS.iter().map(|c| c.column()));
    let mut table = Table::new(out, &header, bar)?;
    let mut rng = Sampler::new(seed);
    let layout = Layout::new(rows);
    let mut tally = Tally { moments: vec![[Moments::default(); 2]; CHANNELS.len()], ..Tally::default() };
    for (b, code) in BASE_CODES.iter().enumerate() {
        let sections = layout.line(b);
        if !sections.is_empty() {
            write_line(&mut table, &mut rng, &layout, code, sections, &mut tally)?;
        }
    }
    let out = table.finish()?;
    Ok((out, truth(rows, seed, &layout, &tally)))
}

/// Writes every row of one line's sections.
fn write_line<W: Write>(
    table: &mut Table<W>,
    rng: &mut Sampler,
    layout: &Layout,
    code: &str,
    sections: std::ops::Range<usize>,
    tally: &mut Tally,
) -> Result<()> {
    // The line's recording schedule and each run's speed level.
    let mut days = vec![day_number(2018, 1, 8) + rng.int(0, 13)];
    while days.len() < layout.runs {
        let next = days[days.len() - 1] + rng.int(10, 16);
        days.push(next);
    }
    let dates: Vec<String> = days.iter().map(|&d| iso_date(d)).collect();
    let run_speed: Vec<f64> = days.iter().map(|_| rng.normal()).collect();
    let (first, last) = (days[0] as f64, days[days.len() - 1] as f64);
    let start_km = 100 * rng.int(50, 399) + 2 * rng.int(0, 49); // hundredths of a km

    let mut previous = None;
    for (i, j) in sections.enumerate() {
        let condition = timeline::Condition::draw(rng, previous, first);
        previous = Some(condition.initial);
        let defects = timeline::defects(rng, &condition, first, last);
        tally.breaks += defects.iter().filter(|d| d.brk > first && d.brk <= last).count();
        let offsets: Vec<f64> = CHANNELS.iter().map(|_| rng.normal()).collect();
        let skip = if j < layout.long { None } else { Some(rng.int(0, layout.runs as i64 - 1) as usize) };
        let km_h = start_km + 2 * i as i64;
        let km = format!("{}.{:02}", km_h / 100, km_h % 100);
        for (k, &day) in days.iter().enumerate() {
            if skip == Some(k) {
                continue;
            }
            let day = day as f64;
            let positive = timeline::label(&defects, day);
            let speed_z = (0.5f64.sqrt() * (run_speed[k] + rng.normal())).max((MIN_SPEED - SPEED_MEAN) / SPEED_SD);
            let state = RowState { severity: timeline::severity(&defects, day), condition: condition.at(day), speed_z };
            table.text(code)?;
            table.text(&km)?;
            table.text(&dates[k])?;
            table.int(i64::from(positive))?;
            tally.positives += usize::from(positive);
            for ((c, u), m) in CHANNELS.iter().zip(&offsets).zip(tally.moments.iter_mut()) {
                let e = rng.normal();
                let eta = if c.role == Role::Confounder { state.speed_z } else { c.eta(&state, *u, e) };
                tally.cells += 1;
                if rng.bernoulli(MISSING_RATE) {
                    tally.missing += 1;
                    table.missing()?;
                } else {
                    let x = c.value(eta);
                    table.fixed(x, c.decimals)?;
                    m[usize::from(positive)].add(x);
                }
            }
            table.end_row()?;
        }
    }
    Ok(())
}

/// The ground truth of a generated table.
fn truth(rows: usize, seed: u64, layout: &Layout, tally: &Tally) -> RailwayTruth {
    let names =
        |role: Role| -> Vec<String> { CHANNELS.iter().filter(|c| c.role == role).map(|c| c.column()).collect() };
    let channels = CHANNELS
        .iter()
        .map(|c| {
            let t = ChannelTruth {
                role: c.role.name(),
                distribution: c.shape.name(),
                center: c.center,
                scale: c.scale,
                defect_weight: c.defect,
                speed_weight: c.speed,
                condition_weight: c.condition,
                section_share: c.section_share,
            };
            (c.column(), t)
        })
        .collect();
    RailwayTruth {
        kind: "railway",
        label: "Tc_target",
        rows,
        seed,
        positive_rate: tally.positives as f64 / rows as f64,
        missing_rate: tally.missing as f64 / tally.cells.max(1) as f64,
        defect_channels: names(Role::Defect),
        confounded_channels: names(Role::Confounded),
        confounder_channels: names(Role::Confounder),
        noise_channels: names(Role::Noise),
        importance: Ordered(CHANNELS.iter().map(|c| (c.column(), c.defect)).collect()),
        separation: Ordered(
            CHANNELS.iter().zip(&tally.moments).map(|(c, m)| (c.column(), separation(&m[1], &m[0]))).collect(),
        ),
        keys: vec!["Tc_BaseCode", "Tc_SectionBreakStartKM"],
        order_by: "Tc_date",
        sections: layout.sections,
        breaks: tally.breaks,
        window_days: timeline::WINDOW_DAYS,
        channels: Ordered(channels),
        notes: NOTES.to_string(),
    }
}

const NOTES: &str = "Tc_target = 1 when the section's rail breaks within 30 days after the recording. \
Each channel is x = center + scale*eta (normal) or x = center*exp(scale*eta) (lognormal), with \
eta = defect_weight*s + speed_weight*z_speed + condition_weight*q + sqrt(section_share)*u_section + \
sqrt(1-section_share)*e, s in [0,1] the severity of the growing defect ((time since start / life)^2), \
z_speed = (Speed - 35)/11, q the section's latent condition (it degrades over time and raises the defect \
hazard). importance = defect_weight (shift at full severity in noise sds, 0 where the defect has no \
effect); separation = measured |mean(label 1) - mean(label 0)| / pooled sd of the values; speed-confounded defect channels separate less than their weight suggests unless Speed is used \
(marginal separation defect_weight/sqrt(1+speed_weight^2)). Speed (the confounder) is independent of \
defects and label; confounded channels carry speed only; noise channels carry nothing. The condition \
shows in Twist14m, Twist2m, BounceFrt and BounceRr. Keys: Tc_BaseCode + Tc_SectionBreakStartKM; \
rows are ordered by key and Tc_date; wagon cells are missing (empty) at random with probability 0.01.";
