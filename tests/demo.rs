//! The demo model card's commands rebuild the demo: the ```sh block of
//! models/railway-demo.md is run as written (binaries in place of `cargo
//! run`, smaller row counts), then `explain` with no arguments explains the
//! rebuilt demo and `inspect` shows its card.

mod common;

use common::{bin, ok, repo, temp_dir};
use std::process::Command;

/// The commands of the card's first ```sh block.
fn card_commands() -> Vec<String> {
    let card = std::fs::read_to_string(repo().join("models/railway-demo.md")).expect("models/railway-demo.md");
    let block = card.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).expect("a ```sh block");
    block
        .replace("\\\n", " ")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn the_card_commands_rebuild_a_demo_that_trains_and_explains() {
    let dir = temp_dir("demo");
    std::fs::create_dir_all(dir.join("models")).unwrap();
    std::fs::copy(repo().join("models/railway-groups.toml"), dir.join("models/railway-groups.toml")).unwrap();
    let commands = card_commands();
    assert!(commands.iter().any(|c| c.contains("--bin train")) && commands.iter().any(|c| c.contains("--bin synth")));
    for command in commands {
        let small = command.replace("--rows 10000", "--rows 1500").replace("--rows 2000", "--rows 600");
        let status = match small.strip_prefix("cargo run --release --bin ") {
            Some(rest) => {
                let (name, args) = rest.split_once(" -- ").expect("cargo run --release --bin NAME -- ARGS");
                let mut args: Vec<&str> = args.split_whitespace().collect();
                args.push("--quiet");
                Command::new(bin(name)).args(&args).current_dir(&dir).status().unwrap()
            }
            None => Command::new("sh").arg("-c").arg(&small).current_dir(&dir).status().unwrap(),
        };
        assert!(status.success(), "card command failed: {small}");
    }
    let csv = std::fs::read_to_string(dir.join("models/railway-demo.csv")).unwrap();
    let labels: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(3).unwrap()).collect();
    assert!(labels.contains(&"0") && labels.contains(&"1"), "demo rows have both classes: {labels:?}");
    let text = ok("explain", &["--quiet"], &dir);
    assert!(text.contains("Impact Direction") && text.matches("Convergence delta").count() == labels.len(), "{text}");
    assert!(ok("inspect", &["models/railway-demo.glt"], &dir).contains("ROC-AUC"));
    let _ = std::fs::remove_dir_all(dir);
}
