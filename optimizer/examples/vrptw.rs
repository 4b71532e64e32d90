//! Runs the VRPTW benchmark on a folder of Solomon-format files.
//!
//! `cargo run --release -p optimizer --example vrptw -- DIR SECONDS [THREADS] [NAME,...] [ITERATIONS]`
//!
//! With ITERATIONS the run is deterministic: each solve stops at that many iterations (or the
//! time limit, whichever comes first).

use std::time::Duration;

use optimizer::bench::{BenchConfig, header, line, run, summary};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(seconds)) = (args.first(), args.get(1)) else {
        return Err("usage: vrptw DIR SECONDS [THREADS] [NAME,...] [ITERATIONS]".into());
    };
    let config = BenchConfig {
        dir: dir.into(),
        time: Duration::from_secs_f64(seconds.parse()?),
        iterations: args.get(4).map(|n| n.parse()).transpose()?,
        threads: args.get(2).map(|t| t.parse()).transpose()?.unwrap_or(1),
        instances: args
            .get(3)
            .map(|list| list.split(',').map(str::to_string).collect()),
        seed: 1,
    };
    println!("{}", header());
    let rows = run(&config, |row| println!("{}", line(row)))?;
    for text in summary(&rows) {
        println!("{text}");
    }
    Ok(())
}
