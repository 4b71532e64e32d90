//! Which barrier nodes a profile can pass.

use crate::tags::{Barrier, NodeTags};

use super::{Profile, ProfileKind};

impl Profile {
    /// Whether the unit can pass through a node carrying restricting tags.
    ///
    /// Physical limits (a height restrictor lower than the unit) always block. Otherwise the
    /// node's access tags decide when present; a barrier that stops every vehicle only opens
    /// for a tag naming this mode (or a more specific one), never for a bare `access=yes`.
    /// People on foot pass stiles, turnstiles and cycle barriers, not fences or walls.
    pub fn passes_node(&self, node: &NodeTags) -> bool {
        let too_tall = node.max_height.is_some_and(|h| self.height_m > h);
        let too_wide = node.max_width.is_some_and(|w| self.width_m > w);
        if too_tall || too_wide {
            return false;
        }
        let hierarchy = self.kind.access_hierarchy();
        let on_foot = self.kind == ProfileKind::Foot;
        match node.barrier {
            Some(Barrier::VehicleBlocker) if on_foot => {
                node.access.decide(hierarchy).is_none_or(|v| v.allows())
            }
            Some(Barrier::AllBlocker | Barrier::VehicleBlocker) => {
                let specific = &hierarchy[..hierarchy.len() - 1];
                node.access.decide(specific).is_some_and(|v| v.allows())
            }
            barrier => match node.access.decide(hierarchy) {
                Some(value) => value.allows(),
                None => barrier != Some(Barrier::MotorBlocker) || !self.kind.is_motor_vehicle(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::profile::{Profile, ProfileKind};
    use crate::tags::NodeTags;

    fn passes(kind: ProfileKind, tags: &[(&'static str, &'static str)]) -> bool {
        let node = NodeTags::parse(tags.iter().copied()).expect("a restricting node");
        Profile::new(kind).passes_node(&node)
    }

    #[test]
    fn bollards_stop_motor_vehicles_not_tricycles() {
        let bollard = [("barrier", "bollard")];
        assert!(!passes(ProfileKind::Car, &bollard));
        assert!(!passes(ProfileKind::Bus, &bollard));
        assert!(passes(ProfileKind::Triporteur, &bollard));
        assert!(passes(
            ProfileKind::Bus,
            &[("barrier", "bollard"), ("bus", "yes")]
        ));
    }

    #[test]
    fn gates_follow_their_access_tags() {
        assert!(passes(ProfileKind::Car, &[("barrier", "gate")]));
        assert!(!passes(
            ProfileKind::Car,
            &[("barrier", "gate"), ("access", "private")]
        ));
        assert!(passes(
            ProfileKind::Car,
            &[("barrier", "lift_gate"), ("access", "yes")]
        ));
    }

    #[test]
    fn full_barriers_open_only_for_a_named_mode() {
        let stile = [("barrier", "stile"), ("access", "yes")];
        assert!(!passes(ProfileKind::Triporteur, &stile));
        assert!(!passes(ProfileKind::Car, &stile));
        assert!(passes(
            ProfileKind::Triporteur,
            &[("barrier", "cycle_barrier"), ("bicycle", "yes")]
        ));
    }

    #[test]
    fn people_on_foot_pass_stiles_and_bollards_not_walls() {
        let foot = ProfileKind::Foot;
        assert!(passes(foot, &[("barrier", "stile")]));
        assert!(passes(foot, &[("barrier", "kissing_gate")]));
        assert!(passes(foot, &[("barrier", "bollard")]));
        assert!(!passes(foot, &[("barrier", "wall")]));
        assert!(!passes(foot, &[("barrier", "gate"), ("foot", "no")]));
        assert!(!passes(ProfileKind::Triporteur, &[("barrier", "stile")]));
    }

    #[test]
    fn height_restrictors_stop_tall_units() {
        let restrictor = [("barrier", "height_restrictor"), ("maxheight", "2.2")];
        assert!(!passes(ProfileKind::CampingCar, &restrictor));
        assert!(passes(ProfileKind::Car, &restrictor));
    }
}
