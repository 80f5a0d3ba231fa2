//! A match as the archive holds it: the result as first recorded, and every
//! compensating event since, folded into what counts at any point in the log.

use serde::{Deserialize, Serialize};

use crate::model::event::{MatchId, MatchResult, MatchStatus};

/// A match as recorded, with every compensating event since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRecord {
    /// The match's id (a hash of its fixture).
    pub id: MatchId,
    /// The event that recorded the match.
    pub seq: u64,
    /// The result as first recorded.
    pub result: MatchResult,
    /// Compensating events, in seq order.
    pub changes: Vec<MatchChange>,
}

/// One compensating event applied to a match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchChange {
    /// The compensating event's seq.
    pub seq: u64,
    /// What it changes.
    pub kind: ChangeKind,
    /// Its reason; empty for a shoot-out, which states none.
    pub reason: String,
}

impl MatchChange {
    /// A compensating event (correction, award, annulment) as the change of
    /// its match it is; `None` for any other event. The archive's deriver
    /// and a receipt's check both read events so.
    pub fn of_event(
        seq: u64,
        event: &crate::model::event::Event,
    ) -> Option<(MatchId, MatchChange)> {
        use crate::model::event::Event;
        let (id, kind, reason) = match event {
            Event::ResultCorrected(c) => (
                c.match_id,
                ChangeKind::Corrected {
                    home_goals: c.home_goals,
                    away_goals: c.away_goals,
                },
                &c.reason,
            ),
            Event::MatchAwarded(a) => (
                a.match_id,
                ChangeKind::Awarded {
                    to: a.to.clone(),
                    home_goals: a.home_goals,
                    away_goals: a.away_goals,
                    kept_score: a.kept_score,
                },
                &a.reason,
            ),
            Event::MatchAnnulled(a) => (a.match_id, ChangeKind::Annulled, &a.reason),
            Event::ShootoutDecided(s) => {
                let kind = ChangeKind::Shootout {
                    winner: s.winner.clone(),
                    first_shooter: s.first_shooter.clone(),
                };
                let reason = String::new();
                return Some((s.match_id, MatchChange { seq, kind, reason }));
            }
            _ => return None,
        };
        let reason = reason.clone();
        Some((id, MatchChange { seq, kind, reason }))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
/// What a compensating event does to its match.
pub enum ChangeKind {
    /// The score was wrong; this one is right (event kind 4).
    Corrected {
        /// The right home goals.
        home_goals: u16,
        /// The right away goals.
        away_goals: u16,
    },
    /// The match was awarded to a team (event kind 5).
    Awarded {
        /// The team awarded the match (the home or the away team).
        to: String,
        /// Home goals that count from now on.
        home_goals: u16,
        /// Away goals that count from now on.
        away_goals: u16,
        /// True when the score played was kept rather than replaced.
        kept_score: bool,
    },
    /// The match no longer counts (event kind 6).
    Annulled,
    /// A penalty shoot-out decided the match (or its tie): changes nothing
    /// that counts.
    Shootout {
        /// The team that won the shoot-out.
        winner: String,
        /// The team that shot first, where known.
        first_shooter: Option<String>,
    },
}

/// Where a match stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchState {
    /// As recorded (played, or cancelled/postponed/abandoned as recorded).
    Recorded,
    /// A correction set the score that counts.
    Corrected,
    /// It was awarded to a team: it counts, with the awarded score.
    Awarded,
    /// It was annulled: it no longer counts.
    Annulled,
}

/// What a match counts as, as known at some seq.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effective {
    /// Home goals that count.
    pub home_goals: u16,
    /// Away goals that count.
    pub away_goals: u16,
    /// Whether it counts in tables.
    pub counts: bool,
    /// Where the match stands: as recorded, corrected, awarded or annulled.
    pub state: MatchState,
    /// The reason of the latest compensating event.
    pub reason: Option<String>,
    /// The team it was awarded to, if awarded.
    pub awarded_to: Option<String>,
}

/// A recorded score and status with every change up to `known_at` applied
/// in order (`changes` in seq order).
pub fn effective(
    goals: (u16, u16),
    status: MatchStatus,
    changes: &[MatchChange],
    known_at: u64,
) -> Effective {
    let mut e = Effective::recorded(goals, status);
    for c in changes.iter().filter(|c| c.seq <= known_at) {
        e.apply(&c.kind, &c.reason);
    }
    e
}

impl Effective {
    /// A match as recorded, before any change.
    pub fn recorded((home_goals, away_goals): (u16, u16), status: MatchStatus) -> Effective {
        Effective {
            home_goals,
            away_goals,
            counts: status.counts(),
            state: MatchState::Recorded,
            reason: None,
            awarded_to: None,
        }
    }

    /// The match after one more compensating event (a shoot-out changes
    /// nothing here: see [`MatchRecord::shootout_winner`]).
    pub fn apply(&mut self, kind: &ChangeKind, reason: &str) {
        match kind {
            ChangeKind::Corrected {
                home_goals,
                away_goals,
            } => {
                self.home_goals = *home_goals;
                self.away_goals = *away_goals;
                self.state = MatchState::Corrected;
            }
            ChangeKind::Awarded {
                to,
                home_goals,
                away_goals,
                ..
            } => {
                self.home_goals = *home_goals;
                self.away_goals = *away_goals;
                self.counts = true;
                self.state = MatchState::Awarded;
                self.awarded_to = Some(to.clone());
            }
            ChangeKind::Annulled => {
                self.counts = false;
                self.state = MatchState::Annulled;
            }
            ChangeKind::Shootout { .. } => return,
        }
        self.reason = Some(reason.to_string());
    }
}

impl MatchRecord {
    /// The match as known at `known_at`: the recorded result with every
    /// compensating event up to that seq applied in order.
    pub fn effective(&self, known_at: u64) -> Effective {
        let r = &self.result;
        effective(
            (r.home_goals, r.away_goals),
            r.status,
            &self.changes,
            known_at,
        )
    }

    /// The status word shown to people: `played`, `corrected`, `awarded`,
    /// `annulled`, or the recorded `cancelled` / `postponed` / `abandoned`.
    pub fn status_word(&self, known_at: u64) -> &'static str {
        match self.effective(known_at).state {
            MatchState::Corrected => "corrected",
            MatchState::Awarded => "awarded",
            MatchState::Annulled => "annulled",
            MatchState::Recorded => match self.result.status {
                MatchStatus::Played => "played",
                MatchStatus::Cancelled => "cancelled",
                MatchStatus::Postponed => "postponed",
                MatchStatus::Abandoned => "abandoned",
            },
        }
    }

    /// The winner of the penalty shoot-out that decided the match, as
    /// known at `known_at` (the latest, if the archive holds several).
    pub fn shootout_winner(&self, known_at: u64) -> Option<&str> {
        self.changes
            .iter()
            .filter(|c| c.seq <= known_at)
            .filter_map(|c| match &c.kind {
                ChangeKind::Shootout { winner, .. } => Some(winner.as_str()),
                _ => None,
            })
            .next_back()
    }

    /// Every seq that touched the match, in order.
    pub fn seqs(&self) -> Vec<u64> {
        std::iter::once(self.seq)
            .chain(self.changes.iter().map(|c| c.seq))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Date;
    use crate::model::event::Fixture;

    fn record() -> MatchRecord {
        let d = Date::from_ymd(1984, 12, 2).unwrap();
        MatchRecord {
            id: MatchId::default(),
            seq: 5,
            result: MatchResult::new(
                Fixture {
                    competition: "C",
                    season: "S",
                    stage: "X",
                    round: Some(1),
                    date: d,
                    home: "A",
                    away: "B",
                },
                3,
                2,
            ),
            changes: vec![
                MatchChange {
                    seq: 10,
                    kind: ChangeKind::Corrected {
                        home_goals: 2,
                        away_goals: 2,
                    },
                    reason: "typo".into(),
                },
                MatchChange {
                    seq: 12,
                    kind: ChangeKind::Awarded {
                        to: "B".into(),
                        home_goals: 0,
                        away_goals: 3,
                        kept_score: false,
                    },
                    reason: "protest".into(),
                },
                MatchChange {
                    seq: 15,
                    kind: ChangeKind::Annulled,
                    reason: "replayed".into(),
                },
            ],
        }
    }

    fn check(known_at: u64, expect: (u16, u16, bool, MatchState, Option<&str>)) {
        let e = record().effective(known_at);
        assert_eq!(
            (
                e.home_goals,
                e.away_goals,
                e.counts,
                e.state,
                e.reason.as_deref()
            ),
            expect,
            "known at {known_at}"
        );
    }

    #[test]
    fn compensating_events_apply_in_order_up_to_known_at() {
        check(5, (3, 2, true, MatchState::Recorded, None));
        check(9, (3, 2, true, MatchState::Recorded, None));
        check(10, (2, 2, true, MatchState::Corrected, Some("typo")));
        check(12, (0, 3, true, MatchState::Awarded, Some("protest")));
        check(
            u64::MAX,
            (0, 3, false, MatchState::Annulled, Some("replayed")),
        );
        assert_eq!(record().seqs(), vec![5, 10, 12, 15]);
        assert_eq!(record().status_word(11), "corrected");
    }

    #[test]
    fn a_shootout_is_held_with_the_match_and_changes_nothing_that_counts() {
        let mut r = record();
        r.changes.truncate(1);
        r.changes.push(MatchChange {
            seq: 11,
            kind: ChangeKind::Shootout {
                winner: "B".into(),
                first_shooter: Some("A".into()),
            },
            reason: String::new(),
        });
        assert_eq!(r.effective(11), r.effective(10));
        assert_eq!(r.status_word(11), "corrected");
        assert_eq!(r.shootout_winner(10), None);
        assert_eq!(r.shootout_winner(11), Some("B"));
        assert_eq!(r.seqs(), vec![5, 10, 11]);
    }
}
