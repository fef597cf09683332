//! `inspect`: prints a trained model's card (architecture, features,
//! groups and their norms, selected features, held-out metrics, λ path),
//! or its training report as JSON, and exports its weights as safetensors.
//!
//! ```text
//! inspect model.glt [--json] [--safetensors weights.safetensors] [--upgrade new.glt]
//! ```

mod card;

use std::path::PathBuf;

use anyhow::Result;
use clap::Parser;
use glassbox::cli::{error_line, fail, parse_args};
use glassbox::data::OutputPlan;
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
    /// Write the model again in the current file format (version 2, with its checksum): for model files of older builds.
    #[arg(long, value_name = "OUT")]
    upgrade: Option<PathBuf>,
    /// Accepted for symmetry with the other tools (inspect has no progress bars).
    #[arg(long)]
    quiet: bool,
}

fn run(a: Args) -> Result<()> {
    let mut plan = OutputPlan::default();
    plan.input("MODEL", &a.model);
    if let Some(out) = &a.safetensors {
        plan.output("--safetensors", out, &["safetensors"])?;
    }
    if let Some(out) = &a.upgrade {
        plan.output("--upgrade", out, &["glt"])?;
    }
    let model = Model::load(&a.model)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&model.report)?);
    } else if a.safetensors.is_none() && a.upgrade.is_none() {
        print!("{}", card::card(&a.model.display().to_string(), &model));
    }
    if let Some(out) = &a.safetensors {
        model.save_safetensors(out)?;
        if !a.quiet {
            eprintln!("weights written to {}", out.display());
        }
    }
    if let Some(out) = &a.upgrade {
        model.save(out)?;
        if !a.quiet {
            eprintln!(
                "model written to {} (format version {})",
                out.display(),
                glassbox_glt::model_file::FORMAT_VERSION
            );
        }
    }
    Ok(())
}

fn main() {
    let args: Args = parse_args();
    if let Err(e) = run(args) {
        fail(error_line(e.as_ref()));
    }
}
