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
use glassbox_explainer::{parse_tolerance, ExplainError, Integration, DEFAULT_MAX_STEPS, DEFAULT_STEPS};
use glassbox_ig::IgConfig;
use indicatif::{ProgressBar, ProgressStyle};

pub use glassbox_data::write_atomic;

/// How the path integral is computed and what it explains (`--method`,
/// `--steps`, `--tolerance`, `--max-evaluations`, `--max-steps`,
/// `--output`, `--precision`); the names go to
/// [`glassbox_explainer::Integration`].
#[derive(clap::Args, Debug, Clone)]
pub struct IntegrationArgs {
    /// Integration: adaptive (refines each row until |δ| ≤ max(rel·|ΔF|, abs)), or a fixed rule: gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid (`--method gausslegendre --steps 50` gives Captum's numbers).
    #[arg(long, default_value = "adaptive")]
    pub method: String,
    /// Steps n of a fixed --method [default: 50; at most 100000].
    #[arg(long)]
    pub steps: Option<usize>,
    /// REL[,ABS]. adaptive: stop when |δ| ≤ max(REL·|F(x) − F(x')|, ABS) [default: 1e-3,1e-6]; fixed --method: double n per row until |δ|/|ΔF| < REL (no ABS).
    #[arg(long, allow_hyphen_values = true)]
    pub tolerance: Option<String>,
    /// adaptive: gradient evaluations allowed per (row, baseline) path; a row that needs more is reported as not converged [default: 2000; at most 1000000].
    #[arg(long)]
    pub max_evaluations: Option<usize>,
    /// Fixed --method with --tolerance: the largest n tried [default: 1600; at most 100000].
    #[arg(long)]
    pub max_steps: Option<usize>,
    /// Explained output: probability or logit.
    #[arg(long, default_value = "probability")]
    pub output: String,
    /// Precision of the pass: auto (f64 for adaptive, whose refinement f32 rounding can stall on saturated models; f32 for a fixed --method), f32 or f64.
    #[arg(long, default_value = "auto")]
    pub precision: String,
}

impl IntegrationArgs {
    /// The IG settings these flags ask for (target class 1); errors name
    /// the flag.
    pub fn ig_config(&self) -> Result<IgConfig, String> {
        let adaptive = self.method == glassbox_explainer::METHODS[0];
        for (flag, given) in [("--steps", self.steps.is_some()), ("--max-steps", self.max_steps.is_some())] {
            if adaptive && given {
                return Err(format!(
                    "{flag} applies to a fixed --method (the default, adaptive, takes --tolerance and --max-evaluations)"
                ));
            }
        }
        let flag = |e: ExplainError| match e {
            ExplainError::Setting { setting, message } => format!("--{} {message}", setting.replace('_', "-")),
            e => e.to_string(),
        };
        let tolerance = self.tolerance.as_deref().map(parse_tolerance).transpose().map_err(flag)?;
        let settings = Integration {
            method: self.method.clone(),
            steps: self.steps.unwrap_or(DEFAULT_STEPS),
            tolerance,
            max_evaluations: self.max_evaluations,
            max_steps: self.max_steps.unwrap_or(DEFAULT_MAX_STEPS),
            output: self.output.clone(),
            precision: self.precision.clone(),
        };
        settings.ig_config().map_err(flag)
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
    /// Number of background/weighted baselines K (1 to 10000).
    #[arg(long, default_value_t = 10)]
    pub baselines: usize,
    /// Seed of the baseline draws (and of evaluate's random control).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// `--threads` and `--quiet`.
#[derive(clap::Args, Debug, Clone)]
pub struct RunArgs {
    /// Worker threads (default: one per core; at most 4 per core).
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

/// An error and its causes as one line, each said once: a cause whose text
/// the line already holds is skipped (an I/O error wrapped with its file
/// name would otherwise print twice), and OS error numbers are dropped.
///
/// ```
/// let io = std::io::Error::from_raw_os_error(21);
/// let e = glassbox::data::DataError::Io { path: "d".into(), source: io };
/// assert_eq!(glassbox::cli::error_line(&e), "d: Is a directory");
/// ```
pub fn error_line(e: &(dyn std::error::Error + 'static)) -> String {
    let mut line = String::new();
    let mut next = Some(e);
    while let Some(cause) = next {
        next = cause.source();
        let text = cause.to_string();
        let text = strip_os_error(&text);
        if !line.contains(text.as_str()) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&text);
        }
    }
    line.replace('\n', " ")
}

fn strip_os_error(text: &str) -> String {
    let mut out = text.to_string();
    while let Some(i) = out.find(" (os error ") {
        let end = out[i..].find(')').map_or(out.len(), |j| i + j + 1);
        out.replace_range(i..end, "");
    }
    out
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

/// The most worker threads: 4 per core (more only adds switching).
pub fn max_threads() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Sets the number of rayon threads (`--threads N`, at most
/// [`max_threads`]); `None` keeps rayon's default (one per core).
pub fn set_threads(threads: Option<usize>) -> Result<(), String> {
    let Some(n) = threads else { return Ok(()) };
    if n == 0 {
        return Err("--threads must be at least 1".into());
    }
    let cap = max_threads();
    if n > cap {
        let cores = cap / 4;
        return Err(format!(
            "--threads {n} is above the cap of {cap} (4 per core; this machine has {cores}); use --threads {cores}"
        ));
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
