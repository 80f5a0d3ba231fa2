//! `scoreledger adjust`

use crate::answers::adjust::{event, Fields};
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger adjust --competition 'Copa Perú' --season 1984 \\
      --team 'Bella Esperanza' --points -3 --date 1984-12-10 \\
      --reason 'unpaid registration fee'

--points is signed (negative for a deduction) and counts in every table dated
on or after --date. Tables show it in an Adj column; Pts includes it.";

/// Add or deduct points for a team from a date on.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    pub fields: Fields,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let mut archive = db.open_existing()?;
    let event = event(&archive, a.fields)?;
    super::append_one(&mut archive, event)
}
