//! Input checks shared by all charts: nothing empty, lengths agree, every
//! number finite. Each failure is a [`PlotError`] naming the input.

use crate::PlotError;

/// Bars need as many labels as values, at least one, all finite.
pub(crate) fn bars(what: &str, labels: &[String], values: &[f64]) -> Result<(), PlotError> {
    if labels.len() != values.len() {
        return Err(PlotError::LengthMismatch { what: what.to_string(), labels: labels.len(), values: values.len() });
    }
    if values.is_empty() {
        return Err(PlotError::Empty(what.to_string()));
    }
    finite(what, values.iter().copied())
}

/// Largest magnitude accepted: padded axis ranges around it stay finite.
pub(crate) const MAX_MAGNITUDE: f64 = 1e300;

/// Every value must be finite and at most [`MAX_MAGNITUDE`] in size; the
/// first that is not is reported.
pub(crate) fn finite(what: &str, values: impl IntoIterator<Item = f64>) -> Result<(), PlotError> {
    match values.into_iter().enumerate().find(|(_, v)| !v.is_finite() || v.abs() > MAX_MAGNITUDE) {
        Some((index, value)) if value.is_finite() => {
            Err(PlotError::OutOfRange { what: what.to_string(), index, value })
        }
        Some((index, value)) => Err(PlotError::NonFinite { what: what.to_string(), index, value }),
        None => Ok(()),
    }
}

/// A non-empty collection, or an [`PlotError::Empty`] naming it.
pub(crate) fn non_empty<T>(what: &str, items: &[T]) -> Result<(), PlotError> {
    if items.is_empty() {
        Err(PlotError::Empty(what.to_string()))
    } else {
        Ok(())
    }
}
