//! A reader that refuses input with no line breaks: a text table has lines,
//! so more than [`MAX_LINE_BYTES`] bytes without a `\n` is a binary file or
//! a device such as `/dev/zero`, refused cleanly after reading at most that
//! much instead of growing one record without bound.

use std::io::{self, Read};

/// The longest line (header or record) a table may have: 64 MiB.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Wraps a reader; an [`io::ErrorKind::InvalidData`] error once a line
/// exceeds `limit` bytes.
///
/// ```
/// use std::io::Read;
/// let mut r = glassbox_data::LineLimit::new(std::io::repeat(0), 1000);
/// let e = std::io::copy(&mut r, &mut std::io::sink()).unwrap_err();
/// assert!(e.to_string().contains("longer than"), "{e}");
/// let mut ok = String::new();
/// glassbox_data::LineLimit::new("a,b\n1,2\n".as_bytes(), 4).read_to_string(&mut ok).unwrap();
/// ```
pub struct LineLimit<R> {
    inner: R,
    limit: usize,
    since_newline: usize,
}

impl<R> LineLimit<R> {
    /// `inner`, with lines of at most `limit` bytes.
    pub fn new(inner: R, limit: usize) -> Self {
        LineLimit { inner, limit, since_newline: 0 }
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        // Every line of this read, the first continuing the last read's (a bare CR ends a line too).
        for (i, segment) in buf[..n].split(|&b| b == b'\n' || b == b'\r').enumerate() {
            self.since_newline = if i == 0 { self.since_newline + segment.len() } else { segment.len() };
            if self.since_newline > self.limit {
                return Err(too_long(self.limit));
            }
        }
        Ok(n)
    }
}

fn too_long(limit: usize) -> io::Error {
    let size = if limit >= 1 << 20 { format!("{} MiB", limit >> 20) } else { format!("{limit} bytes") };
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "a line is longer than {size}: this is not a text table (a binary file, or a device such as /dev/zero?)"
        ),
    )
}
