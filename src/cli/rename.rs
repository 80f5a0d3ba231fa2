//! `scoreledger rename`

use scoreledger::{Error, Event, TeamRename};

const EXAMPLES: &str = "\
Examples:
  scoreledger rename --competition 'Copa Perú' --from 'Bella Esperanza' \\
      --to 'Bella Esperanza FC' --reason 'renamed in 1985'

Both names are one club in that competition from then on: its results under
either name count in one row, shown under the new name.";

/// Record that a team is known by another name (or merge an alias).
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// Competition in which the two names are one club.
    #[arg(long)]
    competition: String,
    /// The name results were recorded under.
    #[arg(long)]
    from: String,
    /// The name to show from now on.
    #[arg(long)]
    to: String,
    #[command(flatten)]
    why: crate::answers::scope::Why,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let mut archive = db.open_existing()?;
    let event = Event::TeamRenamed(TeamRename {
        competition: a.competition,
        from: a.from,
        to: a.to,
        reason: a.why.reason,
        source: a.why.source,
    });
    super::append_one(&mut archive, event)
}
