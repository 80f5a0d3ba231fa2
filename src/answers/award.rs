//! `award`: the award a request asks for.

use scoreledger::import::season_page::parse_score;
use scoreledger::{Archive, Award, Error, Event};

use super::scope::Why;

/// What the command takes, from the command line or as a JSON object (the
/// server's write API, with the same names).
#[derive(clap::Args, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fields {
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
    why: Why,
}

impl Fields {
    /// The awarded score, refused with --keep-score (which keeps the score
    /// played): the one check of the CLI and the server.
    pub(crate) fn check(&self) -> Result<(u16, u16), Error> {
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
pub(crate) fn event(archive: &Archive, a: Fields) -> Result<Event, Error> {
    let (winner, loser) = a.check()?;
    let rec = archive.find_match(&a.id)?;
    // The home team under any name its renames join.
    let home = archive.same_club(&rec.result.competition, &a.to, &rec.result.home)?;
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
