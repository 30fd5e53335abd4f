//! The `rplint` command. All the work is in `cli`; this only maps the outcome to an exit code.

mod cli;
#[cfg(feature = "server")]
mod server;

/// mimalloc: checking many files allocates and frees many small values, which it does in
/// about two thirds of the system allocator's time (see `bench/RESULTS.md`). The library
/// leaves the choice of allocator to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(cli::run())
}
