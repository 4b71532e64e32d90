//! `tournee`: the command-line entry point.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use api::cli::{self, Cli, Command};
use api::error;
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match &cli.command {
        Some(Command::Import(args)) => cli::import::run(args, &mut out),
        Some(Command::Matrix(args)) => cli::matrix::run(args, &mut out),
        Some(Command::Route(args)) => cli::route::run(args, &mut out),
        Some(Command::Pois(args)) => cli::pois::run(args, &mut out),
        Some(Command::Geocode(args)) => cli::geocode::run(args, &mut out),
        Some(Command::Bench(args)) => cli::bench::run(args, &mut out),
        Some(Command::Scenario(args)) => cli::scenario::run(args, &mut out),
        Some(Command::Plan(args)) => cli::plan::run(args, &mut out),
        Some(Command::Check(args)) => cli::check::run(args, &mut out),
        Some(Command::Coverage(args)) => cli::coverage::run(args, &mut out),
        Some(Command::Serve(args)) => api::serve::run(args),
        // No subcommand: the service with the built-in demo territory and week.
        None => api::serve::config::ServeArgs::from_env().and_then(|args| api::serve::run(&args)),
    };
    match result.and_then(|()| out.flush().map_err(Into::into)) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`tournee pois … | head`): nothing left to say.
        Err(error::Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
