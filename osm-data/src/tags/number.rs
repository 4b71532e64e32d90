//! Numbers with units as mappers write them in tag values.

/// Splits `"3,5 m"` into `(3.5, "m")`: a leading decimal number (a comma is read as the decimal
/// point, as French mappers often write it) and the trimmed rest.
pub(crate) fn split_number(value: &str) -> Option<(f64, &str)> {
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(value.len());
    let number = value[..end].replace(',', ".").parse::<f64>().ok()?;
    Some((number, value[end..].trim()))
}

/// Keeps the lower of a recorded limit and a new one (`maxheight` and `maxheight:physical`
/// on the same way, say).
pub(crate) fn keep_lower(limit: &mut Option<f64>, new: Option<f64>) {
    if let Some(new) = new {
        *limit = Some(limit.map_or(new, |old| old.min(new)));
    }
}
