//! `scoreledger award ID --to TEAM`

use scoreledger::import::season_page::parse_score;
use scoreledger::{Archive, Award, Error, Event};

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
pub struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    pub fields: Fields,
}

/// What the command takes, from the command line or as a JSON object (the
/// server's write API, with the same names).
#[derive(clap::Args, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// Match id (or a unique prefix), as `results` shows it.
    id: String,
    /// The team the match is awarded to.
    #[arg(long)]
    to: String,
    /// Awarded score, the awarded team's goals first [default: 3-0].
    #[arg(long, conflicts_with = "keep_score", allow_hyphen_values = true)]
    #[serde(default)]
    score: Option<String>,
    /// Keep the score played instead of an awarded score.
    #[arg(long)]
    #[serde(default)]
    keep_score: bool,
    #[command(flatten)]
    #[serde(flatten)]
    why: super::Why,
}

pub fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    a.fields.check()?;
    let mut archive = db.open_existing()?;
    let event = event(&archive, a.fields)?;
    super::append_one(&mut archive, event)
}

impl Fields {
    /// The awarded score, refused with --keep-score (which keeps the score
    /// played): the one check of the CLI and the server.
    fn check(&self) -> Result<(u16, u16), Error> {
        if self.keep_score && self.score.is_some() {
            return Err(Error::Invalid(
                "score and keep_score cannot be used together: keep_score keeps the score played"
                    .into(),
            ));
        }
        parse_score(self.score.as_deref().unwrap_or("3-0")).map_err(Error::Invalid)
    }
}

/// The award to append.
pub fn event(archive: &Archive, a: Fields) -> Result<Event, Error> {
    let (winner, loser) = a.check()?;
    let rec = archive.find_match(&a.id)?;
    let home = scoreledger::model::names::same(&a.to, &rec.result.home);
    let (home_goals, away_goals) = if home {
        (winner, loser)
    } else {
        (loser, winner)
    };
    Ok(Event::MatchAwarded(Award {
        match_id: rec.id,
        to: a.to,
        home_goals,
        away_goals,
        kept_score: a.keep_score,
        reason: a.why.reason,
        source: a.why.source,
    }))
}
