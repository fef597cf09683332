//! A bound on a Parquet footer's declared sizes, checked before the parquet
//! crate decodes it.
//!
//! A Parquet file ends with `FileMetaData` (Thrift compact protocol), its
//! length as a little-endian u32, and the magic `PAR1`. The parquet crate
//! reserves memory from counts the footer declares: a schema element's
//! `num_children` (found by fuzzing: a 64 KiB file asked for 7.3 GB) and the
//! row-group list's length. A count that cannot be true is refused here:
//!
//! - every list, set, map and binary length is at most the bytes left in the
//!   footer (each element takes at least one byte on the wire);
//! - every `num_children` of the schema is below the number of schema
//!   elements (a tree's nodes have fewer children than the tree has nodes);
//! - nesting is at most [`MAX_DEPTH`] deep, and the footer fits in the file.
//!
//! The walk reads each byte of the footer once and allocates nothing beyond
//! the footer itself. Encrypted footers (`PARE`) are left to the parquet
//! crate, which refuses them (encryption is not built in).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// Structs nested deeper than this are refused (the Parquet format nests a
/// few levels; a hostile file could nest until the stack overflows).
pub const MAX_DEPTH: usize = 64;

/// `FileMetaData.schema` is field 2; `SchemaElement.num_children` field 5.
const SCHEMA_FIELD: i16 = 2;
const NUM_CHILDREN_FIELD: i16 = 5;

/// Checks the footer of the Parquet file `file` (length `len`), returning
/// why its declared sizes cannot be true.
pub(crate) fn check_footer(file: &mut File, len: u64) -> Result<(), String> {
    if len < 12 {
        return Err("too short for a Parquet file".into());
    }
    let mut tail = [0u8; 8];
    read_at(file, len - 8, &mut tail)?;
    if &tail[4..] != b"PAR1" {
        return Ok(()); // not plain Parquet: the parquet crate names the problem
    }
    let footer_len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if footer_len > len - 12 {
        return Err(format!("the footer claims {footer_len} bytes, more than the file holds"));
    }
    let mut footer = vec![0u8; footer_len as usize];
    read_at(file, len - 8 - footer_len, &mut footer)?;
    Walker { bytes: &footer, at: 0 }.file_metadata()
}

fn read_at(file: &mut File, at: u64, buf: &mut [u8]) -> Result<(), String> {
    file.seek(SeekFrom::Start(at)).and_then(|_| file.read_exact(buf)).map_err(|e| e.to_string())
}

/// Thrift compact-protocol element types.
const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const I8: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;
const UUID: u8 = 13;

/// A cursor over the footer bytes.
struct Walker<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Walker<'_> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.at).ok_or("the footer ends early")?;
        self.at += 1;
        Ok(b)
    }

    fn skip(&mut self, n: usize) -> Result<(), String> {
        if n > self.remaining() {
            return Err(format!("the footer declares {n} bytes where {} are left", self.remaining()));
        }
        self.at += n;
        Ok(())
    }

    /// An unsigned LEB128 varint of at most 64 bits.
    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a varint in the footer is longer than 64 bits".into())
    }

    /// A zigzag-encoded signed varint.
    fn zigzag(&mut self) -> Result<i64, String> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A count of elements, each at least one byte: at most what is left.
    fn count(&mut self, n: u64, what: &str) -> Result<usize, String> {
        if n > self.remaining() as u64 {
            return Err(format!("the footer declares a {what} of {n} elements in {} bytes", self.remaining()));
        }
        Ok(n as usize)
    }

    /// `FileMetaData`: finds the schema list and checks its `num_children`.
    fn file_metadata(&mut self) -> Result<(), String> {
        let mut id = 0i16;
        loop {
            let Some((field, kind)) = self.field_header(&mut id)? else { return Ok(()) };
            if field == SCHEMA_FIELD && kind == LIST {
                self.schema()?;
            } else {
                self.value(kind, 1)?;
            }
        }
    }

    /// The schema: a list of `SchemaElement` structs, each `num_children`
    /// below the list's length.
    fn schema(&mut self) -> Result<(), String> {
        let (n, kind) = self.list_header()?;
        if kind != STRUCT {
            return self.elements(n, kind, 1);
        }
        for _ in 0..n {
            let mut id = 0i16;
            while let Some((field, kind)) = self.field_header(&mut id)? {
                if field == NUM_CHILDREN_FIELD && kind == I32 {
                    let children = self.zigzag()?;
                    if children < 0 || children as u64 >= n as u64 {
                        return Err(format!("a schema element claims {children} children among {n} elements"));
                    }
                } else {
                    self.value(kind, 2)?;
                }
            }
        }
        Ok(())
    }

    /// A field header: `None` at the struct's end, else (field id, type).
    /// The id is a delta in the high nibble, or a zigzag i16 that follows.
    fn field_header(&mut self, id: &mut i16) -> Result<Option<(i16, u8)>, String> {
        let b = self.byte()?;
        if b == 0 {
            return Ok(None);
        }
        let delta = i16::from(b >> 4);
        *id = if delta == 0 { self.zigzag()? as i16 } else { id.wrapping_add(delta) };
        Ok(Some((*id, b & 0x0f)))
    }

    /// A list or set header: (length, element type).
    fn list_header(&mut self) -> Result<(usize, u8), String> {
        let b = self.byte()?;
        let short = u64::from(b >> 4);
        let n = if short == 15 { self.varint()? } else { short };
        Ok((self.count(n, "list")?, b & 0x0f))
    }

    fn elements(&mut self, n: usize, kind: u8, depth: usize) -> Result<(), String> {
        for _ in 0..n {
            self.value(kind, depth)?;
        }
        Ok(())
    }

    /// Skips one value of type `kind`, checking every declared size.
    fn value(&mut self, kind: u8, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("the footer nests deeper than {MAX_DEPTH} levels"));
        }
        match kind {
            BOOL_TRUE | BOOL_FALSE => Ok(()), // in a struct the type is the value
            I8 => self.skip(1),
            I16 | I32 | I64 => self.varint().map(drop),
            DOUBLE => self.skip(8),
            UUID => self.skip(16),
            BINARY => {
                let n = self.varint()?;
                let n = self.count(n, "string")?;
                self.skip(n)
            }
            LIST | SET => {
                let (n, kind) = self.list_header()?;
                match kind {
                    BOOL_TRUE | BOOL_FALSE => self.skip(n), // one byte each in a list
                    _ => self.elements(n, kind, depth + 1),
                }
            }
            MAP => {
                let n = self.varint()?;
                let n = self.count(n, "map")?;
                if n == 0 {
                    return Ok(());
                }
                let types = self.byte()?;
                for _ in 0..n {
                    self.map_entry_part(types >> 4, depth)?;
                    self.map_entry_part(types & 0x0f, depth)?;
                }
                Ok(())
            }
            STRUCT => {
                let mut id = 0i16;
                while let Some((_, kind)) = self.field_header(&mut id)? {
                    self.value(kind, depth + 1)?;
                }
                Ok(())
            }
            other => Err(format!("the footer holds an unknown Thrift type {other}")),
        }
    }

    fn map_entry_part(&mut self, kind: u8, depth: usize) -> Result<(), String> {
        match kind {
            BOOL_TRUE | BOOL_FALSE => self.skip(1),
            _ => self.value(kind, depth + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(bytes: &[u8]) -> Result<(), String> {
        Walker { bytes, at: 0 }.file_metadata()
    }

    #[test]
    fn a_schema_element_with_more_children_than_elements_is_refused() {
        // field 2 (delta 2, LIST): 2 structs; the first has num_children
        // (field 5, I32) = zigzag(1_000_000); both end with STOP.
        let mut bytes = vec![0x29, 0x2c, 0x55];
        let mut v = 2_000_000u64; // zigzag of 1,000,000
        while v >= 0x80 {
            bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        bytes.extend([v as u8, 0x00, 0x00, 0x00]);
        let message = walk(&bytes).unwrap_err();
        assert!(message.contains("1000000 children among 2"), "{message}");
        bytes[3..6].copy_from_slice(&[0x02, 0x00, 0x00]); // 1 child: fine
        bytes.truncate(6);
        bytes.extend([0x00]);
        assert_eq!(walk(&bytes), Ok(()));
    }

    #[test]
    fn a_list_longer_than_the_footer_is_refused() {
        // field 4 (delta 4, LIST) of structs with a varint length of 2^31 − 1.
        let bytes = [0x49, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
        let message = walk(&bytes).unwrap_err();
        assert!(message.contains("list of 2147483647 elements"), "{message}");
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused() {
        let mut bytes = vec![0x1c; MAX_DEPTH + 2]; // struct in struct in …
        bytes.extend(vec![0x00; MAX_DEPTH + 3]);
        assert!(walk(&bytes).unwrap_err().contains("deeper than"));
    }
}
