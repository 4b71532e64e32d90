#!/usr/bin/env python3
"""Writes the addresses of OpenStreetMap extracts as addok import documents (one JSON a line).

Every object with addr:housenumber and addr:street (nodes; ways and relations at the mean of
their nodes) becomes a house number of the street document of its street, postcode and city;
the street is placed at the mean of its numbers. Usage: load.py EXTRACT.osm.pbf... > docs.ndjson
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

import osmium


class Addresses(osmium.SimpleHandler):
    """Collects (street, postcode, city) -> {housenumber: (lat, lon)}."""

    def __init__(self):
        super().__init__()
        self.streets = defaultdict(dict)

    def add(self, tags, lat, lon):
        number = tags.get("addr:housenumber")
        street = tags.get("addr:street")
        if not number or not street:
            return
        key = (street, tags.get("addr:postcode", ""), tags.get("addr:city", ""))
        self.streets[key].setdefault(number, (lat, lon))

    def node(self, n):
        if n.location.valid():
            self.add(n.tags, n.location.lat, n.location.lon)

    def way(self, w):
        points = [(n.lat, n.lon) for n in w.nodes if n.location.valid()]
        if points:
            lat = sum(p[0] for p in points) / len(points)
            lon = sum(p[1] for p in points) / len(points)
            self.add(w.tags, lat, lon)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: load.py EXTRACT.osm.pbf... > docs.ndjson")
    for extract in sys.argv[1:]:
        handler = Addresses()
        handler.apply_file(extract, locations=True)
        write(Path(extract).name.split(".")[0], handler.streets)


def write(prefix, streets):
    """Prints one street document per (street, postcode, city), ids prefixed by the extract."""
    for index, ((street, postcode, city), numbers) in enumerate(sorted(streets.items())):
        lat = sum(p[0] for p in numbers.values()) / len(numbers)
        lon = sum(p[1] for p in numbers.values()) / len(numbers)
        document = {
            "id": f"{prefix}-{index}",
            "type": "street",
            "name": street,
            "lat": lat,
            "lon": lon,
            "importance": 0.5,
            "housenumbers": {n: {"lat": p[0], "lon": p[1]} for n, p in numbers.items()},
        }
        if postcode:
            document["postcode"] = postcode
        if city:
            document["city"] = city
        print(json.dumps(document, ensure_ascii=False))


if __name__ == "__main__":
    main()
