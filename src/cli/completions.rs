//! `scoreledger completions SHELL`

use clap::CommandFactory;
use clap_complete::Shell;
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger completions bash > /etc/bash_completion.d/scoreledger
  scoreledger completions zsh > _scoreledger       then move it onto $fpath

Shells: bash, elvish, fish, powershell, zsh.";

/// Print shell completions.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    shell: Shell,
}

pub(super) fn run(a: Args) -> Result<(), Error> {
    let mut cmd = super::Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "scoreledger", &mut buf);
    crate::answers::print(&String::from_utf8_lossy(&buf))
}
