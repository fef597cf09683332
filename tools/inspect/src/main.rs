//! `inspect`: prints a trained model's card (architecture, features,
//! groups and their norms, selected features, held-out metrics, λ path),
//! or its training report as JSON, and exports its weights as safetensors.
//!
//! ```text
//! inspect model.glt [--json] [--safetensors weights.safetensors]
//! ```

mod card;

use std::path::PathBuf;

use anyhow::Result;
use clap::Parser;
use glassbox::cli::{fail, parse_args};
use glassbox_glt::Model;

/// Show a trained model's card, or export its weights.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// The model file.
    model: PathBuf,
    /// Print the training report as JSON instead of the card.
    #[arg(long)]
    json: bool,
    /// Export the weights (PyTorch conventions) to this safetensors file.
    #[arg(long)]
    safetensors: Option<PathBuf>,
    /// Accepted for symmetry with the other tools (inspect has no progress bars).
    #[arg(long)]
    quiet: bool,
}

fn run(a: Args) -> Result<()> {
    let model = Model::load(&a.model)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&model.report)?);
    } else if a.safetensors.is_none() {
        print!("{}", card::card(&a.model.display().to_string(), &model));
    }
    if let Some(out) = &a.safetensors {
        model.save_safetensors(out)?;
        if !a.quiet {
            eprintln!("weights written to {}", out.display());
        }
    }
    Ok(())
}

fn main() {
    let args: Args = parse_args();
    if let Err(e) = run(args) {
        fail(format!("{e:#}"));
    }
}
