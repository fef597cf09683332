//! `synth`: deterministic demo data sets for glassbox (SPEC §6).
//!
//! ```text
//! synth railway|collider --rows N [--seed S] --out data.csv [--truth truth.json] [--quiet]
//! ```
//!
//! The same arguments always give byte-identical files (one seeded ChaCha8
//! stream, fixed column order, fixed number formatting). Files are written
//! atomically. Every error is one line on stderr and a non-zero exit:
//! 2 for a bad command line, 1 for a failure while writing.

mod collider;
mod csv_out;
mod dates;
mod moments;
mod output;
mod progress;
mod railway;
mod sample;
mod truth;

use anyhow::{bail, Context, Result};
use clap::{error::ErrorKind, Parser, ValueEnum};
use output::{write_json, AtomicFile};
use std::path::PathBuf;
use std::process::ExitCode;

/// Largest accepted `--rows`, a guard against typos that would fill the disk.
const MAX_ROWS: usize = 100_000_000;

/// Which data set to generate.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Kind {
    /// Rail-fracture table: sections × recording runs, 31 wagon channels, label Tc_target
    Railway,
    /// Collider events: signal vs ttbar, W+jets, diboson, single top, with weights
    Collider,
}

/// Generate a deterministic demo data set (CSV) and, optionally, its ground truth (JSON).
#[derive(Debug, Parser)]
#[command(
    name = "synth",
    version,
    after_help = "Example: synth railway --rows 20000 --seed 7 --out rail.csv --truth rail.json"
)]
struct Cli {
    /// Data set to generate
    #[arg(value_enum)]
    kind: Kind,
    /// Number of data rows (excluding the header), 1 to 100000000
    #[arg(long, value_name = "N", value_parser = parse_rows, allow_negative_numbers = true)]
    rows: usize,
    /// Random seed; the same seed gives byte-identical files
    #[arg(long, value_name = "S", default_value_t = 42, allow_negative_numbers = true)]
    seed: u64,
    /// Output CSV file
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Also write the generator's ground truth (label, informative and noise features) as JSON
    #[arg(long, value_name = "FILE")]
    truth: Option<PathBuf>,
    /// No progress bar and no summary line
    #[arg(long)]
    quiet: bool,
}

fn parse_rows(s: &str) -> Result<usize, String> {
    let s = s.trim();
    if s.starts_with('-') && s[1..].bytes().all(|b| b.is_ascii_digit()) && s.len() > 1 {
        return Err("must be at least 1".to_string());
    }
    let n: usize = s.parse().map_err(|_| "expected a whole number of rows".to_string())?;
    match n {
        0 => Err("must be at least 1".to_string()),
        n if n > MAX_ROWS => Err(format!("must be at most {MAX_ROWS}")),
        n => Ok(n),
    }
}

/// Renders a clap error as one line: the message without the usage block.
fn one_line(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let mut line = String::new();
    for part in text.lines() {
        let part = part.trim();
        if part.starts_with("Usage:") || part.starts_with("For more information") {
            break;
        }
        if !part.is_empty() {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(part);
        }
    }
    format!("{line} (see synth --help)")
}

fn run(cli: &Cli) -> Result<String> {
    if let Some(truth) = &cli.truth {
        if *truth == cli.out {
            bail!("--truth {} is the same file as --out", truth.display());
        }
    }
    let mut out = AtomicFile::create(&cli.out, "--out")?;
    let mut truth_file = cli.truth.as_deref().map(|t| AtomicFile::create(t, "--truth")).transpose()?;
    let bar = progress::rows_bar(cli.rows as u64, cli.quiet);
    bar.set_message(format!("{:?}", cli.kind).to_lowercase());
    let out_name = cli.out.display().to_string();
    let summary = match cli.kind {
        Kind::Railway => {
            let (_, truth) = railway::generate(cli.rows, cli.seed, out.writer(), bar)
                .with_context(|| format!("cannot write --out {out_name}"))?;
            if let Some(file) = truth_file.as_mut() {
                write_json(file, &truth)?;
            }
            format!("positive rate {:.4}, {} sections, {} breaks", truth.positive_rate, truth.sections, truth.breaks)
        }
        Kind::Collider => {
            let (_, truth) = collider::generate(cli.rows, cli.seed, out.writer(), bar)
                .with_context(|| format!("cannot write --out {out_name}"))?;
            if let Some(file) = truth_file.as_mut() {
                write_json(file, &truth)?;
            }
            format!(
                "signal fraction {:.4} of rows, {:.2e} of weight",
                truth.signal_fraction, truth.signal_weight_fraction
            )
        }
    };
    out.commit()?;
    if let Some(file) = truth_file {
        file.commit()?;
    }
    Ok(format!("synth: wrote {} rows to {out_name} ({summary})", cli.rows))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            // Help and version go to stdout; a failed print (closed pipe) is not worth a panic.
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("{}", one_line(&err));
            return ExitCode::from(2);
        }
    };
    match run(&cli) {
        Ok(summary) => {
            if !cli.quiet {
                eprintln!("{summary}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
