//! `scoreledger correct ID SCORE`

use crate::answers::correct::{event, Fields};
use scoreledger::import::season_page::parse_score;
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger results --round 1                  find the match id
  scoreledger correct 040f6a58f5 2-2 --reason 'score mistyped' \\
      --source 'El Comercio, 3 Dec 1984'

The recorded result is not touched: the correction is a new event, shown by
`history ID`, and tables as known before it (--known-at) do not change.";

/// Correct the score of a recorded match.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    pub fields: Fields,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    parse_score(&a.fields.score).map_err(Error::Invalid)?;
    let mut archive = db.open_existing()?;
    let event = event(&archive, a.fields)?;
    super::append_one(&mut archive, event)
}
