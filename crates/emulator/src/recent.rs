//! The latest records of something, up to a limit: what [`crate::Controls`] reports, kept
//! bounded so an emulator that runs for days holds the same memory as one that ran a test.

use std::collections::VecDeque;

/// The last `limit` items pushed, oldest first. Every item pushed gets a sequence number
/// that stays valid while the item is kept, so a request can be completed after it arrived.
pub(crate) struct Recent<T> {
    items: VecDeque<T>,
    limit: usize,
    /// The sequence number of `items[0]`: how many were ever dropped from the front.
    first_seq: u64,
}

impl<T: Clone> Recent<T> {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            items: VecDeque::new(),
            limit: limit.max(1),
            first_seq: 0,
        }
    }

    /// Adds `item`, dropping the oldest past the limit, and returns its sequence number.
    pub(crate) fn push(&mut self, item: T) -> u64 {
        if self.items.len() == self.limit {
            self.items.pop_front();
            self.first_seq += 1;
        }
        self.items.push_back(item);
        self.first_seq + self.items.len() as u64 - 1
    }

    /// The item pushed with `seq`, unless it has been dropped since.
    pub(crate) fn get_mut(&mut self, seq: u64) -> Option<&mut T> {
        let index = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        self.items.get_mut(index)
    }

    /// Forgets every item; sequence numbers go on from where they were.
    pub(crate) fn clear(&mut self) {
        self.first_seq += self.items.len() as u64;
        self.items.clear();
    }

    pub(crate) fn to_vec(&self) -> Vec<T> {
        self.items.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Recent;

    #[test]
    fn keeps_the_latest_and_their_sequence_numbers() {
        let mut recent = Recent::new(3);
        let seqs: Vec<u64> = (10..15).map(|n| recent.push(n)).collect();
        assert_eq!(seqs, [0, 1, 2, 3, 4]);
        assert_eq!(recent.to_vec(), [12, 13, 14]);
        assert!(recent.get_mut(1).is_none(), "dropped");
        *recent.get_mut(3).unwrap() = 99;
        assert_eq!(recent.to_vec(), [12, 99, 14]);
        assert!(recent.get_mut(5).is_none(), "not pushed yet");
    }
}
