//! # scoreledger
//!
//! A tamper-evident, event-sourced archive of football results.
//!
//! Every fact (a match result, the rules of a competition, a team taking part,
//! a season's honours) is an immutable [`Event`], appended to a sled store
//! with a dense sequence number and chained with blake3: each event's hash
//! covers the previous one, so any rewrite of history is detected by
//! [`Ledger::verify`](derived::ledger::Ledger::verify). A pure [`projection::projector`] folds results into standings under
//! the competition's own [`model::rules`]; tables are not stored: each question folds
//! its stage's rows, and every derived entry is reproduced byte for byte by a
//! rebuild from the events alone.
//!
//! The library never reads the clock (callers pass `recorded_at`) and never prints.
//!
//! ```
//! use scoreledger::{Archive, Cut, Date, Event, Filter, Fixture, MatchResult, Rules, Timestamp};
//!
//! # fn main() -> Result<(), scoreledger::Error> {
//! let dir = tempfile::tempdir()?;
//! let mut archive = Archive::open(&dir.path().join("archive.db"))?;
//! let day = |d| Date::from_ymd(1984, 12, d).unwrap();
//! let now = Timestamp::parse_rfc3339("2026-11-28T10:00:00Z").unwrap();
//!
//! let rules = Rules {
//!     competition: "Copa Perú".into(),
//!     season: "1984".into(),
//!     stage: None,
//!     points_for_win: 2,
//!     points_for_draw: 1,
//!     points_for_loss: 0,
//!     tiebreak: scoreledger::model::rules::DEFAULT_TIEBREAK.to_vec(),
//! };
//! let result = |d, h, hg, ag, a| {
//!     let fixture = Fixture {
//!         competition: "Copa Perú",
//!         season: "1984",
//!         stage: "Final stage",
//!         round: Some(1),
//!         date: day(d),
//!         home: h,
//!         away: a,
//!     };
//!     Event::MatchResult(MatchResult::new(fixture, hg, ag))
//! };
//! let report = archive.append(
//!     vec![
//!         Event::Rules(rules),
//!         result(2, "Los Espartanos", 1, 0, "Bella Esperanza"),
//!         result(2, "Alianza Atlético", 3, 2, "Universitario de Tacna"),
//!     ],
//!     now,
//! )?;
//! assert_eq!(report.appended.len(), 3);
//!
//! // Names match case- and accent-insensitively.
//! let filter = Filter { competition: Some("copa peru".into()), ..Filter::default() };
//! // A read view: the archive as it stands now (or as it stood after any seq).
//! let table = archive.at(None)?.standings(&filter, Cut::AsOf(day(2)))?;
//! // Both winners have 2 points and +1; Alianza scored more goals.
//! assert_eq!(table.rows[0].team, "Alianza Atlético");
//! assert_eq!((table.rows[0].points, table.rows[1].points), (2, 2));
//!
//! // The chain verifies, and the head names the last event.
//! let ok = archive.verify()?;
//! assert_eq!(ok.events, 3);
//! assert_eq!(ok.head, archive.head()?.hash);
//! # Ok(())
//! # }
//! ```

// The layout tells the layers, lowest first (ARCHITECTURE.md "Layers";
// tests/it/layers.rs checks them from the use lines):
// model/       plain data: events, dates, names, rules, limits, a match as held
// format/      the FROZEN byte format: canonical encoding, hashes, keys, packed
//              layouts; a change here changes hashes (schema/, golden vectors)
// store.rs     the only sled caller
// log/         the transparency log, knowing nothing of football: envelopes,
//              chunks, the writer, the Merkle tree
// derived/     the football derivation that reads the log: stages, rows,
//              corrections, the stage index; `Ledger`, the read side
// projection/  tables and questions (the projector is a pure fold); `View`
// integrity/   checkpoints, verify, signed notes, witnesses, receipts
// archive.rs   the write path: open, append, rebuild; derefs to its Ledger
// import/      the readers of files;  pictures/  SVG charts and the HTML report
// plausibility.rs  checks of plausible data (`scoreledger audit`)
// Front ends live in the binary: src/main.rs, cli/, serve/, and answers/
// (what both answer).
pub mod archive;
pub(crate) mod derived;
pub mod error;
// The frozen byte format: schema/ documents it; the golden vectors reach
// it through `testing`.
#[cfg_attr(not(feature = "testing"), allow(unreachable_pub))]
pub(crate) mod format;
pub mod import;
pub mod integrity;
pub mod log;
pub mod model;
pub mod pictures;
pub mod plausibility;
pub mod projection;
pub(crate) mod reported_head;
pub mod salvage;
// Reachable only through `testing` (the feature): its methods stay `pub`.
#[cfg_attr(not(feature = "testing"), allow(unreachable_pub))]
pub(crate) mod store;

/// Hooks for this crate's own tests, behind the `testing` feature: the
/// raw store under the log (to damage it on purpose, or read its entries)
/// and derived internals that the golden vectors pin. Outside code that
/// used them could break the log's invariants; no shipped build has them.
#[cfg(feature = "testing")]
pub mod testing {
    pub use crate::derived::index;
    pub use crate::format::{chain, encoding, keys, packed};
    pub use crate::store::{Commit, Space, Store};

    /// The id the archive gives a result (`derived::id_of`).
    pub fn id_of(m: &crate::model::event::MatchResult) -> crate::model::event::MatchId {
        crate::derived::id_of(m)
    }

    /// A held match as the projector reads it at `known_at`.
    pub fn line_of(
        rec: &crate::model::record::MatchRecord,
        known_at: u64,
    ) -> crate::projection::projector::MatchLine {
        crate::derived::line_of(rec, known_at)
    }
}

pub use archive::{AppendReport, Archive};
pub use derived::envelope::Envelope;
pub use derived::ledger::Ledger;
pub use derived::StageInfo;
pub use error::{Error, ErrorKind, Result};
pub use format::chain::{Hash, Head};
pub use format::head_file::ReportedHead;
pub use integrity::verify::VerifyReport;
pub use model::date::{Date, Timestamp};
pub use model::event::{
    Annulment, Award, Event, FairPlay, Fixture, MatchId, MatchResult, MatchStatus,
    PointsAdjustment, ResultCorrection, Rules, RulesSource, SeasonFacts, Shootout, StatedRules,
    TeamRegistration, TeamRename,
};
pub use projection::projector::{Cut, Row};
pub use projection::query::{
    Diff, DiffRow, Filter, HistoryEntry, ResultRow, ResultsQuery, Standings, When,
};
pub use projection::view::{KnownAt, View};
