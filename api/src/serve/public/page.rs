//! The public page (`/p/{token}`), rendered on the server so that it reads without JavaScript;
//! `public.js` adds the map and the search box's filtering. No inline script or style: the
//! Content-Security-Policy forbids both.

use std::fmt::Write as _;

use super::french::{date, escape, path_segment, time};
use super::timetable::{PublicStop, Timetable};

/// The page of `timetable` at `/p/{token}`; `tile_url` is the operator's map tiles, if any.
pub fn render(timetable: &Timetable, token: &str, tile_url: Option<&str>) -> String {
    let base = format!("/p/{}", path_segment(token));
    let mut html = String::new();
    let tiles = tile_url.map_or_else(String::new, |url| {
        format!(" data-tile-url=\"{}\"", escape(url))
    });
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>{title} — horaires de passage</title>\n\
         <link rel=\"stylesheet\" href=\"/assets/leaflet.css\">\n\
         <link rel=\"stylesheet\" href=\"/assets/public/public.css\">\n\
         <script type=\"module\" src=\"/assets/js/public.js\"></script>\n</head>\n\
         <body data-data=\"{base}/data.json\"{tiles}>\n\
         <a class=\"skip\" href=\"#arrets\">Aller à la liste des arrêts</a>\n\
         <header>\n<h1>{title}</h1>\n<p>Horaires valables du {from} au {until}.</p>\n",
        title = escape(&timetable.title),
        from = date(timetable.valid_from),
        until = date(timetable.valid_until),
    );
    if !timetable.description.trim().is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"description\">{}</p>",
            escape(&timetable.description)
        );
    }
    html.push_str("</header>\n<main>\n");
    units(&mut html, timetable);
    let _ = write!(
        html,
        "<section class=\"find\" aria-labelledby=\"find-title\">\n\
         <h2 id=\"find-title\">Trouver ma commune</h2>\n\
         <form role=\"search\" id=\"search-form\" action=\"#arrets\">\n\
         <label for=\"search\">Nom de la commune</label>\n\
         <input id=\"search\" name=\"commune\" type=\"search\" autocomplete=\"off\" \
         aria-describedby=\"search-count\">\n</form>\n\
         <p id=\"search-count\" role=\"status\" aria-live=\"polite\"></p>\n\
         <p class=\"subscribe\"><a href=\"{base}/calendrier.ics\">S’abonner à tous les \
         passages (calendrier)</a></p>\n</section>\n\
         <section class=\"map\" aria-labelledby=\"map-title\">\n\
         <h2 id=\"map-title\">Carte des arrêts</h2>\n\
         <div id=\"map\"></div>\n</section>\n\
         <section id=\"arrets\" aria-labelledby=\"stops-title\" tabindex=\"-1\">\n\
         <h2 id=\"stops-title\">Les arrêts, par commune</h2>\n<ul class=\"stops\">\n"
    );
    for stop in &timetable.stops {
        entry(&mut html, timetable, stop, &base);
    }
    html.push_str(
        "</ul>\n<p id=\"no-match\" hidden>Aucun arrêt pour cette commune.</p>\n</section>\n\
         </main>\n<footer><p>Fond de carte : © contributeurs OpenStreetMap (ODbL).</p></footer>\n\
         </body>\n</html>\n",
    );
    html
}

fn units(html: &mut String, timetable: &Timetable) {
    html.push_str(
        "<section class=\"units\" aria-labelledby=\"units-title\">\n\
         <h2 id=\"units-title\">Les unités</h2>\n<ul>\n",
    );
    for unit in &timetable.units {
        let _ = write!(
            html,
            "<li><span class=\"letter {}\" aria-hidden=\"true\">{}</span> {}",
            unit.class,
            unit.letter,
            escape(&unit.name)
        );
        if !unit.equipment.is_empty() {
            let _ = write!(html, " — à bord : {}", escape(&unit.equipment.join(", ")));
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n</section>\n");
}

/// The stop's slots, one line per unit and weekday: `Bus : tous les mardis de 9 h 30 à 12 h`.
pub fn slot_lines(timetable: &Timetable, stop: &PublicStop) -> Vec<(usize, String)> {
    stop.slots
        .iter()
        .map(|slot| {
            let unit = timetable
                .units
                .get(slot.unit)
                .map_or("", |u| u.name.as_str());
            (slot.unit, format!("{unit} : {}", slot.wording()))
        })
        .collect()
}

/// One paragraph per closed day, `Pas de passage le lundi 25 mai 2026 (Lundi de Pentecôte)`:
/// the page's entry and the poster say it alike.
pub fn write_closed(html: &mut String, stop: &PublicStop) {
    for day in &stop.closed {
        let line = match &day.reason {
            Some(reason) => format!("pas de passage le {} ({reason})", date(day.date)),
            None => format!("pas de passage le {}", date(day.date)),
        };
        let _ = writeln!(
            html,
            "<p class=\"closed\">{}</p>",
            escape(&capitalised(&line))
        );
    }
}

fn entry(html: &mut String, timetable: &Timetable, stop: &PublicStop, base: &str) {
    let id = path_segment(&stop.id);
    let _ = write!(
        html,
        "<li class=\"stop\" id=\"{anchor}\" data-search=\"{search}\">\n\
         <article aria-labelledby=\"{anchor}-title\">\n<h3 id=\"{anchor}-title\">{name}</h3>\n<ul class=\"slots\">\n",
        anchor = escape(&stop.anchor),
        search = escape(&stop.search),
        name = escape(&stop.name),
    );
    for (unit, line) in slot_lines(timetable, stop) {
        let mark = timetable.units.get(unit);
        let _ = writeln!(
            html,
            "<li><span class=\"letter {}\" aria-hidden=\"true\">{}</span> {}</li>",
            mark.map_or("", |u| u.class.as_str()),
            mark.map_or(' ', |u| u.letter),
            escape(&line)
        );
    }
    html.push_str("</ul>\n");
    let equipment = equipment(timetable, stop);
    if !equipment.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"equipment\">À bord : {}</p>",
            escape(&equipment.join(", "))
        );
    }
    if !stop.next.is_empty() {
        html.push_str("<p class=\"next-title\">Prochains passages :</p>\n<ul class=\"next\">\n");
        for visit in &stop.next {
            let _ = writeln!(
                html,
                "<li>{}, {} – {}</li>",
                date(visit.date),
                time(visit.start),
                time(visit.end)
            );
        }
        html.push_str("</ul>\n");
    }
    write_closed(html, stop);
    let _ = write!(
        html,
        "<p class=\"links\"><a href=\"{base}/arret/{id}.ics\">S’abonner aux passages à {name}</a> \
         <a href=\"{base}/affiche/{id}\">Affiche à imprimer pour {name}</a></p>\n</article>\n</li>\n",
        name = escape(&stop.name),
    );
}

/// What the units serving a stop carry, each item once.
pub fn equipment<'a>(timetable: &'a Timetable, stop: &PublicStop) -> Vec<&'a str> {
    let mut items: Vec<&str> = Vec::new();
    for slot in &stop.slots {
        for item in timetable
            .units
            .get(slot.unit)
            .map_or(&[][..], |u| &u.equipment[..])
        {
            if !items.contains(&item.as_str()) {
                items.push(item);
            }
        }
    }
    items
}

/// The text with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
