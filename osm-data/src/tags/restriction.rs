//! `type=restriction` relations: which turn is forbidden or mandatory, for whom, and whether
//! the relation is complete enough to apply.

use serde::{Deserialize, Serialize};

/// What a restriction value orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TurnRule {
    /// `no_left_turn`, `no_right_turn`, `no_straight_on`, `no_u_turn`, `no_entry`, `no_exit`:
    /// the sequence from → via → to is forbidden.
    No,
    /// `only_left_turn`, `only_right_turn`, `only_straight_on`, `only_u_turn`: having come
    /// from `from` through `via`, the unit must leave by `to`.
    Only,
}

impl TurnRule {
    /// The rule of a `restriction*=*` value; `None` for a value this reader does not know.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        match value {
            "no_left_turn" | "no_right_turn" | "no_straight_on" | "no_u_turn" | "no_entry"
            | "no_exit" => Some(TurnRule::No),
            "only_left_turn" | "only_right_turn" | "only_straight_on" | "only_u_turn" => {
                Some(TurnRule::Only)
            }
            _ => None,
        }
    }
}

/// The modes a restriction's keys and `except=*` speak of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RestrictionMode {
    /// `restriction=*`: every vehicle.
    All,
    /// `restriction:motorcar=*` / `except=motorcar`.
    Motorcar,
    /// `restriction:motor_vehicle=*` / `except=motor_vehicle`.
    MotorVehicle,
    /// `restriction:hgv=*` / `except=hgv`: vehicles over 3.5 t.
    Hgv,
    /// `restriction:bus=*` / `except=bus`.
    Bus,
    /// `restriction:psv=*` / `except=psv`: buses and taxis.
    Psv,
    /// `restriction:motorhome=*` / `except=motorhome`.
    Motorhome,
    /// `restriction:bicycle=*` / `except=bicycle`.
    Bicycle,
}

impl RestrictionMode {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "motorcar" => RestrictionMode::Motorcar,
            "motor_vehicle" => RestrictionMode::MotorVehicle,
            "hgv" => RestrictionMode::Hgv,
            "bus" => RestrictionMode::Bus,
            "psv" => RestrictionMode::Psv,
            "motorhome" => RestrictionMode::Motorhome,
            "bicycle" => RestrictionMode::Bicycle,
            _ => return None,
        })
    }
}

/// Why a relation could not be read as a restriction at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TagProblem {
    /// A `restriction*` value this reader does not know.
    UnknownValue,
    /// No `restriction*` key at all.
    NoRestrictionTag,
}

/// The parsed tags of a `type=restriction` relation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestrictionTags {
    /// The rule of each mode key present (`restriction` is [`RestrictionMode::All`]).
    pub rules: Vec<(RestrictionMode, TurnRule)>,
    /// The modes `except=*` lets through.
    pub except: Vec<RestrictionMode>,
    /// Whether a `restriction:conditional` (or `restriction:*:conditional`) key is present:
    /// counted, never applied (times and conditions are not modelled).
    pub conditional: bool,
    /// A value or key problem, if any.
    pub problem: Option<TagProblem>,
}

impl RestrictionTags {
    /// Parses a relation's tags; `None` when it is not `type=restriction`.
    pub fn parse<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<Self> {
        let mut out = RestrictionTags::default();
        let mut is_restriction = false;
        for (key, value) in tags {
            if key == "type" {
                is_restriction = value == "restriction";
                continue;
            }
            if key == "except" {
                out.except = value
                    .split(';')
                    .filter_map(|m| RestrictionMode::parse(m.trim()))
                    .collect();
                continue;
            }
            let Some(rest) = key.strip_prefix("restriction") else {
                continue;
            };
            if rest.ends_with(":conditional") {
                out.conditional = true;
                continue;
            }
            let mode = match rest.strip_prefix(':') {
                None if rest.is_empty() => RestrictionMode::All,
                Some(name) => match RestrictionMode::parse(name) {
                    Some(mode) => mode,
                    None => continue,
                },
                None => continue,
            };
            match TurnRule::parse(value) {
                Some(rule) => out.rules.push((mode, rule)),
                None => out.problem = Some(TagProblem::UnknownValue),
            }
        }
        if out.rules.is_empty() && !out.conditional && out.problem.is_none() {
            out.problem = Some(TagProblem::NoRestrictionTag);
        }
        is_restriction.then_some(out)
    }

    /// The rule for a unit that `modes` describe (most specific first), unless `except=*`
    /// names one of its modes.
    pub fn rule_for(&self, modes: &[RestrictionMode]) -> Option<TurnRule> {
        if self.except.iter().any(|e| modes.contains(e)) {
            return None;
        }
        modes
            .iter()
            .find_map(|m| self.rules.iter().find(|(k, _)| k == m).map(|(_, r)| *r))
    }
}

/// A member's role in a restriction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// `from`.
    From,
    /// `via`.
    Via,
    /// `to`.
    To,
}

impl Role {
    /// The role of a member, `None` for any other role (ignored, as `location_hint` is).
    pub fn parse(role: &str) -> Option<Self> {
        match role {
            "from" => Some(Role::From),
            "via" => Some(Role::Via),
            "to" => Some(Role::To),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(tags: &[(&'static str, &'static str)]) -> Option<RestrictionTags> {
        RestrictionTags::parse(tags.iter().copied())
    }

    #[test]
    fn reads_rules_modes_and_exceptions() {
        assert!(parse(&[("type", "multipolygon")]).is_none());
        let r = parse(&[
            ("type", "restriction"),
            ("restriction", "no_left_turn"),
            ("restriction:hgv", "only_straight_on"),
            ("except", "psv;bicycle"),
        ])
        .unwrap();
        use RestrictionMode::*;
        assert_eq!(r.rule_for(&[Motorcar, All]), Some(TurnRule::No));
        assert_eq!(r.rule_for(&[Hgv, All]), Some(TurnRule::Only));
        assert_eq!(r.rule_for(&[Bus, Psv, Hgv, All]), None);
        assert_eq!(r.rule_for(&[Bicycle, All]), None);
        assert_eq!(r.problem, None);
    }

    #[test]
    fn conditional_and_unknown_values_are_flagged() {
        let r = parse(&[
            ("type", "restriction"),
            (
                "restriction:conditional",
                "no_left_turn @ (Mo-Fr 07:00-09:00)",
            ),
        ])
        .unwrap();
        assert!(r.conditional && r.rules.is_empty() && r.problem.is_none());
        let r = parse(&[("type", "restriction"), ("restriction", "no_parking")]).unwrap();
        assert_eq!(r.problem, Some(TagProblem::UnknownValue));
        let r = parse(&[("type", "restriction")]).unwrap();
        assert_eq!(r.problem, Some(TagProblem::NoRestrictionTag));
    }
}
