//! `scoreledger award ID --to TEAM`

use crate::answers::award::{event, Fields};
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger award 040f6a58f5 --to 'Universitario de Tacna' \\
      --reason 'ineligible player fielded'
  scoreledger award 762b6f8ebb --to 'Alianza Atlético' --score 2-0 \\
      --reason 'walkover'
  scoreledger award 4987487c64 --to 'Los Espartanos' --keep-score \\
      --reason 'protest rejected, result stands'

--score is the awarded team's goals first (default 3-0); --keep-score keeps the
score played, which must then be a win for that team.";

/// Award a match to one of its teams.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    pub fields: Fields,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    a.fields.check()?;
    let mut archive = db.open_existing()?;
    let event = event(&archive, a.fields)?;
    super::append_one(&mut archive, event)
}
