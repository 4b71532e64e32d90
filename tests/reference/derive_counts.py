"""Independent reference figures for the import tests (tests/osm/counts.rs).

Derived once with pyosmium (`pip install osmium`, 4.3.2), which shares no code with Tournée,
and written into the tests by hand. Run: python3 tests/reference/derive_counts.py ../shared/osm/X.osm.pbf

It counts elements, highway ways, and the ways a car may use under the plain reading of the
OSM wiki (a motor-vehicle highway class, not an area, the most specific of motorcar /
motor_vehicle / vehicle / access not closing it), with their total length (haversine on
pyosmium's node locations, Earth radius 6,371,008.8 m as in osm-data), and the way node
references that point outside the file.
"""
import math
import sys

import osmium

CAR_CLASSES = {
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
    "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
    "residential", "living_street", "service", "track", "road",
}
CLOSED = {"no", "private", "agricultural", "forestry", "delivery", "permit", "use_sidepath",
          "military", "emergency"}
KNOWN = CLOSED | {"yes", "permissive", "official", "designated", "destination", "customers",
                  "discouraged", "dismount"}
RADIUS = 6371008.8


def haversine(a, b):
    la1, la2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 2 * RADIUS * math.asin(math.sqrt(h))


class Counter(osmium.SimpleHandler):
    def __init__(self):
        super().__init__()
        self.nodes = self.ways = self.relations = self.highway_ways = 0
        self.car_ways = 0
        self.car_km = 0.0
        self.missing_refs = 0

    def node(self, n):
        self.nodes += 1

    def relation(self, r):
        self.relations += 1

    def way(self, w):
        self.ways += 1
        tags = {t.k: t.v for t in w.tags}
        if "highway" not in tags:
            return
        self.highway_ways += 1
        for n in w.nodes:
            if not n.location.valid():
                self.missing_refs += 1
        if tags["highway"] not in CAR_CLASSES or tags.get("area") == "yes":
            return
        decided = next((tags[k] for k in ("motorcar", "motor_vehicle", "vehicle", "access")
                        if tags.get(k) in KNOWN), None)
        if decided in CLOSED:
            return
        self.car_ways += 1
        locations = [n.location for n in w.nodes]
        for a, b in zip(locations, locations[1:]):
            if a.valid() and b.valid():
                self.car_km += haversine(a, b) / 1000


for path in sys.argv[1:]:
    c = Counter()
    c.apply_file(path, locations=True)
    print(f"{path}: nodes={c.nodes} ways={c.ways} relations={c.relations} "
          f"highway_ways={c.highway_ways} missing_refs={c.missing_refs} "
          f"car_ways={c.car_ways} car_km={c.car_km:.3f}")
