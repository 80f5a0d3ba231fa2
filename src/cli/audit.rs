//! `scoreledger audit`

use scoreledger::Error;

use super::render::{self, Align};
use super::FilterArgs;

const EXAMPLES: &str = "\
Examples:
  scoreledger audit
  scoreledger audit --season 1984 --format json

Checks: a team playing itself or twice on one day in one competition; the same
fixture (home and away) recorded twice in a stage; unequal games played after a
complete round-robin; declared winners who do not lead the season's last stage;
dates outside the season (1984: 1984-01-01..1985-01-31; 1888-89: 1 July..31
August); 20 or more goals for one team; a season missing between a
competition's first and last. Exit 0 when nothing is found, 1 otherwise.";

pub(super) use super::TableOrJson as Format;

/// Check the data for implausible results.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    filter: FilterArgs,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let problems = archive.audit(&a.filter.filter())?;
    let text = match a.format {
        Format::Json => format!(
            "{}\n",
            serde_json::json!({ "problems": problems, "count": problems.len() })
        ),
        Format::Table if problems.is_empty() => "ok: no problems found\n".to_string(),
        Format::Table => {
            let rows: Vec<Vec<String>> = problems
                .iter()
                .map(|p| {
                    vec![
                        p.check.to_string(),
                        format!(
                            "{} {} {}",
                            p.competition,
                            p.season,
                            p.stage.as_deref().unwrap_or("")
                        )
                        .trim_end()
                        .to_string(),
                        p.match_id.clone().unwrap_or_default(),
                        p.message.clone(),
                    ]
                })
                .collect();
            render::table(
                &[
                    ("check", Align::Left),
                    ("where", Align::Left),
                    ("match", Align::Left),
                    ("problem", Align::Left),
                ],
                &rows,
            )
        }
    };
    crate::answers::print(&text)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Failed(format!(
            "audit found {} problem(s)",
            problems.len()
        )))
    }
}
