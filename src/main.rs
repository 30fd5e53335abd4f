//! The `rplint` command. All the work is in `cli`; this only maps the outcome to an exit code.

mod cli;

/// Linting is allocation-heavy (every document becomes a tree of small strings and maps);
/// mimalloc makes that markedly cheaper than the system allocator (see bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(cli::run())
}
