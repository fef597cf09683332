//! What every glassbox tool shares: argument errors as one line, errors as
//! one line with a non-zero exit, progress bars only on a terminal, the
//! thread count, where the shipped models live, and the flag groups
//! `explain` and `explain evaluate` both take ([`IntegrationArgs`],
//! [`BaselineArgs`], [`RunArgs`]). Atomic writes are
//! [`glassbox_data::write_atomic`], re-exported here.

use std::fmt::Display;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Parser;
use glassbox_ig::{IgConfig, Method, Output};
use indicatif::{ProgressBar, ProgressStyle};

pub use glassbox_data::write_atomic;

/// Quadrature and explained output (`--method`, `--steps`, `--output`).
#[derive(clap::Args, Debug, Clone)]
pub struct IntegrationArgs {
    /// Quadrature: gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid.
    #[arg(long, default_value = "gausslegendre")]
    pub method: String,
    /// Integration steps.
    #[arg(long, default_value_t = 50)]
    pub steps: usize,
    /// Explained output: probability or logit.
    #[arg(long, default_value = "probability")]
    pub output: String,
}

impl IntegrationArgs {
    /// The IG settings these flags ask for (other fields at their defaults).
    pub fn ig_config(&self) -> Result<IgConfig, String> {
        let method: Method = self.method.parse().map_err(|e| format!("--method: {e}"))?;
        let output: Output = self.output.parse().map_err(|e| format!("--output: {e}"))?;
        if self.steps < method.min_steps() {
            return Err(format!("--steps {}: {method} needs at least {}", self.steps, method.min_steps()));
        }
        Ok(IgConfig { method, steps: self.steps, output, ..IgConfig::default() })
    }
}

/// Where averaged baselines come from (`--background-filter`,
/// `--weight-column`, `--baselines`, `--seed`).
#[derive(clap::Args, Debug, Clone)]
pub struct BaselineArgs {
    /// Reference rows for background/weighted baselines: COL=VALUE (default: label = first class; evaluate: from the training split).
    #[arg(long)]
    pub background_filter: Option<String>,
    /// Weight column: the weighted baseline (and evaluate's significance Z).
    #[arg(long)]
    pub weight_column: Option<String>,
    /// Number of background/weighted baselines K.
    #[arg(long, default_value_t = 10)]
    pub baselines: usize,
    /// Seed of the baseline draws (and of evaluate's random control).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// `--threads` and `--quiet`.
#[derive(clap::Args, Debug, Clone)]
pub struct RunArgs {
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bars.
    #[arg(long)]
    pub quiet: bool,
}

/// Parses the command line. `--help`/`--version` print as usual; any other
/// argument error prints its message as one line (naming the flag) and
/// exits with status 2.
pub fn parse_args<C: Parser>() -> C {
    match C::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                e.exit();
            }
            // The message is the first paragraph (a missing-argument error
            // lists the flags on the following lines); joined into one line.
            let text = e.render().to_string();
            let paragraph: Vec<&str> = text
                .lines()
                .skip_while(|l| l.trim().is_empty())
                .take_while(|l| !l.trim().is_empty() && !l.starts_with("Usage:"))
                .map(str::trim)
                .collect();
            let message = if paragraph.is_empty() { "error: invalid arguments".into() } else { paragraph.join(" ") };
            eprintln!("{message} (see --help)");
            std::process::exit(2);
        }
    }
}

/// Prints `error: …` (the whole cause chain on one line) and exits with 1.
pub fn fail(e: impl Display) -> ! {
    let line = e.to_string().replace('\n', " ");
    eprintln!("error: {line}");
    std::process::exit(1);
}

/// A progress bar on stderr, hidden when stderr is not a terminal or the
/// user asked for `--quiet`.
pub fn progress_bar(len: u64, quiet: bool, template: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Sets the number of rayon threads (`--threads N`); `None` keeps rayon's
/// default (one per core).
pub fn set_threads(threads: Option<usize>) -> Result<(), String> {
    let Some(n) = threads else { return Ok(()) };
    if n == 0 {
        return Err("--threads must be at least 1".into());
    }
    rayon::ThreadPoolBuilder::new().num_threads(n).build_global().map_err(|e| format!("--threads {n}: {e}"))
}

/// The folder of the shipped demo models: `./models` if it exists, else
/// the repository's `models/` (found from this crate's source location).
pub fn models_dir() -> PathBuf {
    let local = PathBuf::from("models");
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
}

/// How data files are read: `--na-values` (train, explain and explain
/// evaluate). Kept apart from the other flag groups.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DataArgs {
    /// Missing-value tokens, comma-separated, replacing the default (pandas' list: NA, NaN, nan, null, NULL, None, N/A, n/a, #N/A, <NA>, -NaN, …); the empty cell is always missing.
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub na_values: Option<String>,
}

impl DataArgs {
    /// The missing-value tokens these flags ask for.
    pub fn missing_values(&self) -> glassbox_data::MissingValues {
        self.na_values.as_deref().map(glassbox_data::MissingValues::parse_list).unwrap_or_default()
    }
}
