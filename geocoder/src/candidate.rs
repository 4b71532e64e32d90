//! What a geocoder is asked and what it answers, in the shape of the BAN API's GeoJSON
//! properties so that the offline index and a remote addok answer alike.

use osm_data::geo::Coord;
use serde::{Deserialize, Serialize};

/// What a candidate designates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A numbered address: "12 rue de la Gare".
    Housenumber,
    /// A named street of a commune, without a number.
    Street,
    /// A city, town, village, hamlet, suburb, neighbourhood or locality.
    Place,
    /// A named point of interest Tournée plans with: town hall, library, marketplace, …
    Poi,
}

/// One answer to a query or a reverse lookup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Candidate {
    /// How the place is written for a person: "12 Rue de la Gare 23400 Bourganeuf".
    pub label: String,
    /// What the candidate designates.
    pub kind: Kind,
    /// How well it matches the query, in [0, 1] (1 for a reverse lookup's own answer).
    pub score: f64,
    /// Where it is.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub position: Coord,
    /// The commune it is in, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The commune's INSEE code, when known (the BAN gives it; OSM extracts rarely do).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citycode: Option<String>,
    /// The postcode, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
}

/// A search: free text, optionally narrowed by postcode or commune, optionally biased towards a
/// position.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Query {
    /// What the dispatcher typed: "12 r de la gare bourganeuf", "Mairie de Felletin".
    pub text: String,
    /// How many candidates to return at most.
    pub limit: usize,
    /// Only candidates with this postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Only candidates in this commune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Prefer candidates near this position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub near: Option<Coord>,
}

impl Query {
    /// A search for `text` returning at most `limit` candidates, not narrowed.
    pub fn new(text: impl Into<String>, limit: usize) -> Self {
        Query {
            text: text.into(),
            limit,
            ..Query::default()
        }
    }
}
