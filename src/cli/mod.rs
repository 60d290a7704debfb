//! The binary's side of every command: the command-line interface (`args`, clap derive), how
//! the binary talks to the terminal (`terminal`), and `briefing fetch`'s report (`fetch`).
//! The preview server is `serve`, beside this folder.

pub mod args;
pub mod fetch;
pub mod terminal;

pub use args::*;
