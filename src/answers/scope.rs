//! What a request names: the season it writes to, why, and the point in
//! time it reads at; from the command line (clap) or as JSON (the server).

use scoreledger::{Archive, Error};

/// A point in valid time and in transaction time, for commands that read a season.
#[derive(clap::Args, Clone, Debug, Default)]
pub(crate) struct ViewArgs {
    /// Only results played on or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = scoreledger::Date::parse_iso)]
    pub as_of: Option<scoreledger::Date>,
    /// As the archive stood after event SEQ, or at an RFC 3339 instant.
    #[arg(long, value_name = "SEQ|TIMESTAMP")]
    pub known_at: Option<scoreledger::KnownAt>,
}

/// The season (and maybe stage) a command writes to, from the command line
/// or as JSON (the server's write API, same names).
#[derive(clap::Args, Clone, Debug, serde::Deserialize)]
pub(crate) struct SeasonScope {
    /// Competition, as the archive names it (e.g. 'Copa Perú').
    #[arg(long)]
    pub competition: String,
    /// Season, as the archive names it (e.g. 1984 or 1984-85).
    #[arg(long)]
    pub season: String,
    /// Stage: record needs it unless the season has one; adjust and rules
    /// apply to every stage of the season without it.
    #[arg(long)]
    pub stage: Option<String>,
    /// Accept a competition the archive does not have yet (without it, an
    /// unknown name is refused as a likely typo, with the nearest known).
    #[arg(long)]
    #[serde(default)]
    pub new_competition: bool,
    /// Accept a season the competition does not have yet.
    #[arg(long)]
    #[serde(default)]
    pub new_season: bool,
    /// Accept a stage the season does not have yet.
    #[arg(long)]
    #[serde(default)]
    pub new_stage: bool,
}

impl SeasonScope {
    /// Refuses a competition, season or stage the archive does not know,
    /// as a likely typo, unless its `--new-...` option says it is new (a new
    /// competition brings its season and stage; a new season its stage).
    pub(crate) fn check_known(&self, archive: &Archive) -> Result<(), Error> {
        let unknown =
            archive.unknown_scope(&self.competition, &self.season, self.stage.as_deref())?;
        let Some(u) = unknown else { return Ok(()) };
        use scoreledger::projection::query::ScopeLevel;
        let allowed = match u.level {
            ScopeLevel::Competition => self.new_competition,
            ScopeLevel::Season => self.new_competition || self.new_season,
            ScopeLevel::Stage => self.new_competition || self.new_season || self.new_stage,
        };
        if allowed {
            return Ok(());
        }
        let what = u.level.name();
        let hint = did_you_mean(&u.nearest);
        let within = match u.level {
            ScopeLevel::Competition => String::new(),
            ScopeLevel::Season => format!(" in {}", self.competition),
            ScopeLevel::Stage => format!(" in {} {}", self.competition, self.season),
        };
        Err(Error::Invalid(format!(
            "unknown {what} '{}'{within}{hint}; pass --new-{what} to add it",
            u.name
        )))
    }
}

/// Why a compensating event is recorded.
#[derive(clap::Args, Clone, Debug, serde::Deserialize)]
pub(crate) struct Why {
    /// Why (required; shown by `results` and `history`).
    #[arg(long)]
    pub reason: String,
    /// Where the information comes from.
    #[arg(long)]
    pub source: Option<String>,
}

/// " (did you mean 'A', 'B'?)" for the nearest known names, or nothing.
pub(crate) fn did_you_mean(nearest: &[impl AsRef<str>]) -> String {
    if nearest.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = nearest
        .iter()
        .map(|n| format!("'{}'", n.as_ref()))
        .collect();
    format!(" (did you mean {}?)", quoted.join(", "))
}
