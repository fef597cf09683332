//! `explain`: Integrated Gradients attributions of a trained GLT's
//! predictions (SPEC §4, §6). With no arguments it explains the shipped demo
//! model on its shipped rows.
//!
//! ```text
//! explain --model model.glt --data data.csv --rows 0,3,10-20 --baseline background --plot chart.png --out a.json
//! explain evaluate --model model.glt --data data.csv --weight-column weight --truth truth.json --out-dir eval/
//! ```

mod attribute;
mod evaluate;
mod report;

use clap::{Parser, Subcommand};
use glassbox::cli::{error_line, fail, parse_args};

/// Explain a trained model's predictions with Integrated Gradients.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    explain: attribute::Args,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Which baseline explains best? Rankings per baseline, top-k
    /// retraining, deletion curves and ground-truth agreement.
    Evaluate(evaluate::Args),
}

fn main() {
    let cli: Cli = parse_args();
    let result = match cli.command {
        Some(Command::Evaluate(a)) => evaluate::run(a),
        None => attribute::run(cli.explain),
    };
    if let Err(e) = result {
        fail(error_line(e.as_ref()));
    }
}
