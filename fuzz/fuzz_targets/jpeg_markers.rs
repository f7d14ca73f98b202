//! The JPEG marker walk on arbitrary bytes: a camera's motion-JPEG frame, or a photo file, goes
//! through `jpeg::with_huffman_tables` (and `is_complete`, `dimensions`) before anything decodes
//! it.
//!
//! Beyond "no panic" it asserts what the functions promise:
//! - `with_huffman_tables` returns a frame that has tables unchanged and without a copy; one
//!   without tables but with a scan gains them (420 bytes: the standard DHT segment); anything
//!   else comes back unchanged;
//! - inserting or removing the tables changes neither the size read from the frame header nor
//!   whether the scan is whole;
//! - `without_huffman_tables` leaves no tables, and putting the standard ones back into a frame
//!   that had none gives the same bytes;
//! - `without_metadata` (a photo that goes to the bank as it is) never grows the file, changes
//!   neither the size, the colour components, the tables nor whether the scan is whole, and
//!   leaves nothing to remove the second time.
#![no_main]

use bytes::Bytes;
use humo_ident_core::jpeg::{
    components, dimensions, has_huffman_tables, is_complete, with_huffman_tables,
    without_huffman_tables, without_metadata,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = Bytes::copy_from_slice(data);
    let size = dimensions(data);
    let complete = is_complete(data);
    let tables = has_huffman_tables(data);

    let with = with_huffman_tables(&input);
    if tables {
        assert_eq!(
            with.as_ptr(),
            input.as_ptr(),
            "a frame with tables is not copied"
        );
        assert_eq!(with.len(), input.len());
    } else if with.len() != input.len() {
        // Tables went in: the scan was there.
        assert_eq!(with.len(), input.len() + 420);
        assert!(has_huffman_tables(&with), "the inserted tables are found");
    } else {
        assert_eq!(with, input);
    }
    if complete && !tables {
        assert_eq!(with.len(), input.len() + 420, "a whole frame gains tables");
    }
    assert!(has_huffman_tables(&with) || with == input);
    assert_eq!(dimensions(&with), size, "the tables change the size read");
    assert_eq!(
        is_complete(&with),
        complete,
        "the tables change completeness"
    );

    let without = without_huffman_tables(data);
    assert!(!has_huffman_tables(&without), "tables are left");
    assert_eq!(
        dimensions(&without),
        size,
        "removing tables changes the size read"
    );
    assert_eq!(
        is_complete(&without),
        complete,
        "removing tables changes completeness"
    );
    if !tables {
        assert_eq!(without, data, "a frame without tables is unchanged");
    }

    let cleaned = without_metadata(&input);
    assert!(cleaned.len() <= input.len(), "removing metadata grows the file");
    assert_eq!(dimensions(&cleaned), size, "metadata changes the size read");
    assert_eq!(components(&cleaned), components(data), "metadata changes the components");
    assert_eq!(has_huffman_tables(&cleaned), tables, "metadata changes the tables");
    assert_eq!(is_complete(&cleaned), complete, "metadata changes completeness");
    let again = without_metadata(&cleaned);
    assert_eq!(again.as_ptr(), cleaned.as_ptr(), "metadata is left to remove");
});
