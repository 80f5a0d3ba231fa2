//! Groups as played (pure): which of an edition's matches make up its
//! groups, found from who played whom and when.
//!
//! An edition is played in phases: a group stage, then knockouts or a
//! second group stage. The matches are read day by day, and the teams that
//! played each other make up components. A component is *finished* on a
//! day when none of its teams plays another of its teams next and at least
//! one of them plays no more: its stage is over. A match that joins two
//! finished components (or a finished one that every pair of its teams
//! played, or nearly, and a team new to the edition) starts the next phase:
//! it opens a component of its own and the two it came from are *sealed*.
//! So a quarter-final, a third-place match or a final never joins the
//! matches of a group, even between two teams of one group (1954: Austria
//! and Uruguay, both of Group 3, met only in the third-place match).
//!
//! A component is a group when its teams all played each other (a round
//! robin; 1930's groups of three, 1950's final round, 1974's second round),
//! or when it is sealed, holds four to six teams, and each of them played
//! all but at most one of the others (1954: the two seeded teams of each
//! group did not meet). Other components keep only their round robins
//! (larger first, each pair of teams in one group only). A group holds the
//! first `k` meetings of each of its pairs, `k` being the fewest times a
//! pair that met did: a play-off between two teams level on points (1954,
//! 1958) is a second meeting and stays out of the table, as published.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::date::Date;

/// One match of an edition, as the grouping sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixture<'a> {
    pub date: Date,
    pub home: &'a str,
    pub away: &'a str,
}

/// A pair of teams, smaller number first.
type Pair = (usize, usize);

/// Matches of a set of teams, by pair, each pair's in date order.
type Meetings = BTreeMap<Pair, Vec<usize>>;

/// The matches of each group of an edition (fixtures in date order), each
/// list in order, the groups ordered by their first match.
pub(crate) fn groups(fixtures: &[Fixture]) -> Vec<Vec<usize>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let games: Vec<Pair> = fixtures
        .iter()
        .map(|f| {
            (
                team_index(&mut index, f.home),
                team_index(&mut index, f.away),
            )
        })
        .collect();
    let calendar = Calendar::new(fixtures, &games, index.len());
    let mut phases = Phases::new(index.len());
    for day in days(fixtures) {
        let crossing: Vec<bool> = day
            .iter()
            .map(|&i| phases.crosses(&calendar, games[i], fixtures[i].date))
            .collect();
        for (&i, cross) in day.iter().zip(crossing) {
            phases.add(i, games[i], cross);
        }
    }
    let mut out: Vec<Vec<usize>> = phases
        .components
        .iter()
        .flat_map(Component::groups)
        .collect();
    out.sort_by_key(|g| g[0]);
    out
}

/// The fixtures of each day, in order.
fn days(fixtures: &[Fixture]) -> Vec<Vec<usize>> {
    let mut by_day: BTreeMap<Date, Vec<usize>> = BTreeMap::new();
    for (i, f) in fixtures.iter().enumerate() {
        by_day.entry(f.date).or_default().push(i);
    }
    by_day.into_values().collect()
}

/// A team's number: 0, 1, ... in order of first appearance.
fn team_index<'a>(index: &mut HashMap<&'a str, usize>, name: &'a str) -> usize {
    let next = index.len();
    *index.entry(name).or_insert(next)
}

fn pair((a, b): Pair) -> Pair {
    (a.min(b), a.max(b))
}

/// Every team's matches: (date, opponent), in date order.
struct Calendar {
    games: Vec<Vec<(Date, usize)>>,
}

impl Calendar {
    fn new(fixtures: &[Fixture], games: &[Pair], teams: usize) -> Calendar {
        let mut out = vec![Vec::new(); teams];
        for (f, &(h, a)) in fixtures.iter().zip(games) {
            out[h].push((f.date, a));
            out[a].push((f.date, h));
        }
        for g in &mut out {
            g.sort_by_key(|(d, _)| *d);
        }
        Calendar { games: out }
    }

    /// The team's next opponent on or after `day`, if it plays again.
    fn next_opponent(&self, team: usize, day: Date) -> Option<usize> {
        let g = &self.games[team];
        g.get(g.partition_point(|(d, _)| *d < day)).map(|(_, o)| *o)
    }
}

/// Where a team's component stands on a day.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// The team has not played yet.
    Fresh,
    /// Its teams still play each other, or all of them play on.
    Ongoing,
    /// None of its teams plays another of them next, and one plays no more.
    Finished,
}

/// Teams that played each other within one phase, and their matches.
#[derive(Default)]
struct Component {
    /// The teams still in it (a team that goes on to the next phase leaves).
    teams: BTreeSet<usize>,
    /// Every match played in it, by pair.
    meetings: Meetings,
    /// A later phase took some of its teams on.
    sealed: bool,
}

impl Component {
    fn standing(&self, calendar: &Calendar, day: Date) -> Standing {
        let mut one_done = false;
        for &t in &self.teams {
            match calendar.next_opponent(t, day) {
                Some(o) if self.teams.contains(&o) => return Standing::Ongoing,
                Some(_) => {}
                None => one_done = true,
            }
        }
        match one_done {
            true => Standing::Finished,
            false => Standing::Ongoing,
        }
    }

    /// Every pair of its teams met, or nearly every pair.
    fn closed(&self) -> bool {
        round_robin(&self.meetings) || nearly_round_robin(&self.meetings)
    }

    /// The component's groups: the whole of it, or its round robins.
    fn groups(&self) -> Vec<Vec<usize>> {
        let m = &self.meetings;
        if m.is_empty() {
            return Vec::new();
        }
        match round_robin(m) || (self.sealed && nearly_round_robin(m)) {
            true => vec![first_meetings(m, m.keys())],
            false => round_robins(m),
        }
    }
}

/// Each team of some meetings, with how many of the others it met.
fn opponents(meetings: &Meetings) -> BTreeMap<usize, usize> {
    let mut out = BTreeMap::new();
    for &(a, b) in meetings.keys() {
        *out.entry(a).or_default() += 1;
        *out.entry(b).or_default() += 1;
    }
    out
}

/// Every pair of the teams met (three teams or more).
fn round_robin(meetings: &Meetings) -> bool {
    let n = opponents(meetings).len();
    n >= 3 && meetings.len() == n * (n - 1) / 2
}

/// Four to six teams, each of which met all but at most one of the others.
fn nearly_round_robin(meetings: &Meetings) -> bool {
    let met = opponents(meetings);
    let n = met.len();
    (4..=6).contains(&n) && met.values().all(|&k| k + 2 >= n)
}

/// The first `k` meetings of each pair, `k` the fewest any of them had, in order.
fn first_meetings<'a>(
    meetings: &Meetings,
    pairs: impl Iterator<Item = &'a Pair> + Clone,
) -> Vec<usize> {
    let legs = pairs.clone().map(|p| meetings[p].len()).min().unwrap_or(0);
    let mut out: Vec<usize> = pairs.flat_map(|p| meetings[p][..legs].to_vec()).collect();
    out.sort_unstable();
    out
}

/// The phases of an edition as they are read: components, and each team's current one.
struct Phases {
    components: Vec<Component>,
    current: Vec<Option<usize>>,
}

impl Phases {
    fn new(teams: usize) -> Phases {
        Phases {
            components: Vec::new(),
            current: vec![None; teams],
        }
    }

    fn standing(&self, calendar: &Calendar, team: usize, day: Date) -> Standing {
        match self.current[team] {
            None => Standing::Fresh,
            Some(c) => self.components[c].standing(calendar, day),
        }
    }

    /// Whether a match on `day` starts the next phase for its two teams
    /// (decided on what was played before that day).
    fn crosses(&self, calendar: &Calendar, (h, a): Pair, day: Date) -> bool {
        if self.current[h].is_some() && self.current[h] == self.current[a] {
            return false;
        }
        let (sh, sa) = (
            self.standing(calendar, h, day),
            self.standing(calendar, a, day),
        );
        match (sh, sa) {
            (Standing::Finished, Standing::Finished) => true,
            (Standing::Finished, Standing::Fresh) => self.closed(h),
            (Standing::Fresh, Standing::Finished) => self.closed(a),
            _ => false,
        }
    }

    fn closed(&self, team: usize) -> bool {
        self.current[team].is_some_and(|c| self.components[c].closed())
    }

    /// Files match `i` between `h` and `a`: in a component of its own when it
    /// starts the next phase (sealing theirs), else in theirs, joined.
    fn add(&mut self, i: usize, (h, a): Pair, crossing: bool) {
        if crossing {
            for t in [h, a] {
                if let Some(c) = self.current[t] {
                    self.components[c].sealed = true;
                    self.components[c].teams.remove(&t);
                }
            }
            let c = self.open([h, a]);
            self.components[c].meetings.insert(pair((h, a)), vec![i]);
            return;
        }
        let ch = self.current[h].unwrap_or_else(|| self.open([h, h]));
        let ca = self.current[a].unwrap_or_else(|| self.open([a, a]));
        let c = self.join(ch, ca);
        let meetings = &mut self.components[c].meetings;
        meetings.entry(pair((h, a))).or_default().push(i);
    }

    /// A new component of these teams.
    fn open(&mut self, teams: [usize; 2]) -> usize {
        let c = self.components.len();
        self.components.push(Component {
            teams: teams.into_iter().collect(),
            ..Component::default()
        });
        for t in teams {
            self.current[t] = Some(c);
        }
        c
    }

    /// One component of two: the smaller moved into the larger.
    fn join(&mut self, x: usize, y: usize) -> usize {
        if x == y {
            return x;
        }
        let (big, small) = match self.components[x].teams.len() >= self.components[y].teams.len() {
            true => (x, y),
            false => (y, x),
        };
        let moved = std::mem::take(&mut self.components[small]);
        for &t in &moved.teams {
            self.current[t] = Some(big);
        }
        let b = &mut self.components[big];
        b.teams.extend(moved.teams);
        for (p, mut matches) in moved.meetings {
            // Two teams that left may have met in both.
            let held = b.meetings.entry(p).or_default();
            held.append(&mut matches);
            held.sort_unstable();
        }
        b.sealed |= moved.sealed;
        big
    }
}

/// The round robins within a set of meetings: maximal sets of three or more
/// teams that all played each other, larger first, each pair in one only.
fn round_robins(meetings: &Meetings) -> Vec<Vec<usize>> {
    let mut adjacent: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for &(a, b) in meetings.keys() {
        adjacent.entry(a).or_default().insert(b);
        adjacent.entry(b).or_default().insert(a);
    }
    let mut cliques = Vec::new();
    let all = adjacent.keys().copied().collect();
    maximal_cliques(&adjacent, Vec::new(), all, BTreeSet::new(), &mut cliques);
    let first_match = |c: &Vec<usize>| pairs(c).map(|p| meetings[&p][0]).min();
    cliques.retain(|c| c.len() >= 3);
    cliques.sort_by_key(|c| (std::cmp::Reverse(c.len()), first_match(c)));
    let mut taken: BTreeSet<Pair> = BTreeSet::new();
    let mut out = Vec::new();
    for c in cliques {
        let ps: Vec<Pair> = pairs(&c).collect();
        if ps.iter().any(|p| taken.contains(p)) {
            continue;
        }
        out.push(first_meetings(meetings, ps.iter()));
        taken.extend(ps);
    }
    out
}

fn pairs(c: &[usize]) -> impl Iterator<Item = Pair> + '_ {
    c.iter()
        .enumerate()
        .flat_map(move |(i, &a)| c[i + 1..].iter().map(move |&b| pair((a, b))))
}

/// Bron-Kerbosch with a pivot: every maximal clique of the graph.
fn maximal_cliques(
    adjacent: &BTreeMap<usize, BTreeSet<usize>>,
    r: Vec<usize>,
    mut p: BTreeSet<usize>,
    mut x: BTreeSet<usize>,
    out: &mut Vec<Vec<usize>>,
) {
    if p.is_empty() && x.is_empty() {
        out.push(r);
        return;
    }
    let pivot = p
        .iter()
        .chain(x.iter())
        .max_by_key(|&&u| adjacent[&u].intersection(&p).count())
        .copied()
        .expect("p or x is not empty");
    let candidates: Vec<usize> = p.difference(&adjacent[&pivot]).copied().collect();
    for v in candidates {
        let mut r2 = r.clone();
        r2.push(v);
        let p2 = p.intersection(&adjacent[&v]).copied().collect();
        let x2 = x.intersection(&adjacent[&v]).copied().collect();
        maximal_cliques(adjacent, r2, p2, x2, out);
        p.remove(&v);
        x.insert(v);
    }
}
