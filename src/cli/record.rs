//! `scoreledger record`

use crate::answers::record::{event, Fields};
use scoreledger::import::season_page::parse_score;
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger record --competition 'Copa Perú' --season 1984 --round 5 \\
      --date 1984-12-16 'Los Espartanos' 3-2 'Guardia Republicana'
  scoreledger record --competition 'Copa Perú' --season 1985 --stage Final \\
      --round 1 --date 1985-11-30 'Los Espartanos' 1-1 'Sport Boys' --new-season

Recording a result that is already in the archive appends nothing. The same
fixture with a different score is refused: a recorded result is never
overwritten (use correct). A team the season does not know is refused as a
likely typo (the nearest known names are suggested); pass --new-team to add
one. So is a competition, season or stage the archive does not know: pass
--new-competition, --new-season or --new-stage (a new season brings its own
teams).";

/// Append one match result.
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
    let mut archive = db.open()?;
    let (event, new) = event(&archive, a.fields)?;
    super::append_one(&mut archive, event)?;
    for (team, competition, season) in new {
        eprintln!("note: '{team}' is a new team in {competition} {season}");
    }
    Ok(())
}
