//! A stop's poster (`/p/{token}/affiche/{stop}`): one A4 page a mairie pins up, with the
//! slots, the next dates, the days without a visit and a QR code to the stop's entry on the
//! public page. Printed from the browser (`poster.css` holds the print layout).

use std::fmt::Write as _;

use qrcode::QrCode;
use qrcode::render::svg;

use super::french::{date, escape, time};
use super::page::{capitalised, equipment, slot_lines, write_closed};
use super::timetable::{PublicStop, Timetable};
use crate::error::{Error, Result};

/// The QR code of `url` as an SVG element (no XML declaration, to sit inside HTML).
///
/// # Errors
/// [`Error::Internal`] when the URL is too long for a QR code.
pub fn qr_svg(url: &str) -> Result<String> {
    let code = QrCode::new(url.as_bytes())
        .map_err(|e| Error::Internal(format!("QR code of {url:?}: {e}")))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    let start = image.find("<svg").unwrap_or(0);
    Ok(image[start..].replacen(
        "<svg",
        "<svg role=\"img\" aria-label=\"QR code vers les horaires de cet arrêt\"",
        1,
    ))
}

/// The poster of `stop`; `entry_url` is the absolute address of its entry on the public page
/// (the QR code's target), `page` the page's path for the link back.
///
/// # Errors
/// As [`qr_svg`].
pub fn render(
    timetable: &Timetable,
    stop: &PublicStop,
    entry_url: &str,
    page: &str,
) -> Result<String> {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>Affiche — {name}</title>\n\
         <link rel=\"stylesheet\" href=\"/assets/public/poster.css\">\n</head>\n<body>\n<main>\n",
        name = escape(&stop.name)
    );
    let units: Vec<&str> = stop
        .slots
        .iter()
        .filter_map(|s| timetable.units.get(s.unit).map(|u| u.name.as_str()))
        .fold(Vec::new(), |mut list, name| {
            if !list.contains(&name) {
                list.push(name);
            }
            list
        });
    let _ = write!(
        html,
        "<p class=\"kicker\">{title}</p>\n<h1>{units} à {name}</h1>\n<ul class=\"when\">\n",
        title = escape(&timetable.title),
        units = escape(&units.join(" et ")),
        name = escape(&stop.name),
    );
    // One unit: its name is the title's; several: each line says which.
    let lines: Vec<String> = if units.len() > 1 {
        slot_lines(timetable, stop)
            .into_iter()
            .map(|(_, line)| line)
            .collect()
    } else {
        stop.slots
            .iter()
            .map(|slot| capitalised(&slot.wording()))
            .collect()
    };
    for line in lines {
        let _ = writeln!(html, "<li>{}</li>", escape(&line));
    }
    html.push_str("</ul>\n");
    if !timetable.description.trim().is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"offer\">{}</p>",
            escape(&timetable.description)
        );
    }
    let on_board = equipment(timetable, stop);
    if !on_board.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"offer\">À bord : {}</p>",
            escape(&on_board.join(", "))
        );
    }
    if !stop.next.is_empty() {
        html.push_str("<h2>Prochains passages</h2>\n<ul class=\"next\">\n");
        for visit in &stop.next {
            let _ = writeln!(
                html,
                "<li>{}, {} – {}</li>",
                capitalised(&date(visit.date)),
                time(visit.start),
                time(visit.end)
            );
        }
        html.push_str("</ul>\n");
    }
    write_closed(&mut html, stop);
    let _ = write!(
        html,
        "<figure class=\"qr\">{svg}<figcaption>Tous les horaires, les jours sans passage et le \
         calendrier : {url}</figcaption></figure>\n\
         <p class=\"validity\">Horaires valables du {from} au {until}.</p>\n\
         <p class=\"screen-only\"><a href=\"{page}\">Retour aux horaires</a> — imprimez cette \
         page (Ctrl+P) sur une feuille A4.</p>\n</main>\n</body>\n</html>\n",
        svg = qr_svg(entry_url)?,
        url = escape(entry_url),
        from = date(timetable.valid_from),
        until = date(timetable.valid_until),
        page = escape(page),
    );
    Ok(html)
}
