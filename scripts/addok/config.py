# addok settings for the BAN client's tests (scripts/test): the French plugins as the national
# service uses them, Redis on the port and databases scripts/test chose (REDIS_PORT,
# REDIS_DB_INDEXES, REDIS_DB_DOCUMENTS), one import worker so as not to crowd the machine.
QUERY_PROCESSORS_PYPATHS = [
    "addok.helpers.text.check_query_length",
    "addok_france.extract_address",
    "addok_france.clean_query",
    "addok_france.remove_leading_zeros",
]
SEARCH_RESULT_PROCESSORS_PYPATHS = [
    "addok.helpers.results.match_housenumber",
    "addok_france.make_labels",
    "addok.helpers.results.score_by_importance",
    "addok.helpers.results.score_by_autocomplete_distance",
    "addok.helpers.results.score_by_ngram_distance",
    "addok.helpers.results.score_by_geo_distance",
    "addok.helpers.results.adjust_scores",
]
PROCESSORS_PYPATHS = [
    "addok.helpers.text.tokenize",
    "addok.helpers.text.normalize",
    "addok_france.glue_ordinal",
    "addok_france.fold_ordinal",
    "addok_france.flag_housenumber",
    "addok.helpers.text.synonymize",
    "addok_fr.phonemicize",
]
FILTERS = ["type", "postcode", "citycode"]
BATCH_WORKERS = 1
ATTRIBUTION = "© OpenStreetMap contributors"
LICENCE = "ODbL"
