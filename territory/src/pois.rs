//! Points of interest as a GeoJSON map, the same for the command line and the service, with
//! the OpenStreetMap credit their licence asks for.

use geojson::{Feature, FeatureCollection, Geometry, JsonObject};
use osm_data::pois::{Poi, PoiKind};

/// Every kind of point of interest, in the order the extract's are listed.
// osm-data owns `PoiKind`; this list belongs beside it as `PoiKind::ALL` once its owner adds it.
pub const POI_KINDS: [PoiKind; 10] = [
    PoiKind::Marketplace,
    PoiKind::Library,
    PoiKind::Townhall,
    PoiKind::CommunityCentre,
    PoiKind::SocialFacility,
    PoiKind::Parking,
    PoiKind::City,
    PoiKind::Town,
    PoiKind::Village,
    PoiKind::Hamlet,
];

/// The credit OpenStreetMap's licence (ODbL) asks of every map made from its data.
pub const ATTRIBUTION: &str = "© OpenStreetMap contributors, ODbL";

/// The kind named `name` in files and URLs (`community_centre`).
pub fn poi_kind(name: &str) -> Option<PoiKind> {
    POI_KINDS.iter().copied().find(|k| k.name() == name)
}

/// Points of interest as a GeoJSON FeatureCollection of points with
/// their OSM id, kind, name and population, and the OpenStreetMap credit.
pub fn pois_geojson<'a>(pois: impl IntoIterator<Item = &'a Poi>) -> FeatureCollection {
    let features = pois
        .into_iter()
        .map(|poi| {
            let mut properties = JsonObject::new();
            properties.insert("osm_id".into(), poi.id.to_string().into());
            properties.insert("kind".into(), poi.kind.name().into());
            properties.insert("name".into(), poi.name.clone().into());
            properties.insert("population".into(), poi.population.into());
            Feature {
                geometry: Some(Geometry::new_point([poi.coord.lon, poi.coord.lat])),
                properties: Some(properties),
                ..Feature::default()
            }
        })
        .collect();
    let mut credit = JsonObject::new();
    credit.insert("attribution".into(), ATTRIBUTION.into());
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(credit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_found_by_its_name() {
        for kind in POI_KINDS {
            assert_eq!(poi_kind(kind.name()), Some(kind));
        }
        assert_eq!(poi_kind("bakery"), None);
        let map = serde_json::to_value(pois_geojson(&[])).unwrap();
        assert_eq!(map["attribution"], ATTRIBUTION);
    }
}
