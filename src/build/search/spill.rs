//! A full build's inverted index in bounded memory (#16): postings are kept in memory up to a
//! budget (`BRIEFING_INDEX_MEMORY_MB`, 128 MiB by default: about a hundred thousand articles),
//! and past it written out as a *run* — every word of the documents added since the last run,
//! in word order, with its postings — to an anonymous temporary file. The chunk files are
//! then made from the runs merged word by word, a batch of groups at a time, so that at most
//! one batch of groups' postings is held. Documents are added in order, so a word's postings
//! in the merge are its runs' lists one after another. Without a run (a site below the budget)
//! nothing is written and the chunks come from the index in memory; the files are the same.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File as TempFile;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::PathBuf;

use super::Words;
use super::index::{Index, root, write_groups};
use crate::build::feeds::File;
use crate::error::{Error, Result};

/// Bytes of postings held in memory by default before a run is written.
const DEFAULT_BUDGET: usize = 128 << 20;
/// Bytes of merged postings gathered before their groups' chunk files are made (in parallel).
const MERGE_BATCH: usize = 16 << 20;

/// The index of a full build, spilled to runs past its budget (see the module documentation).
pub(crate) struct Spilling {
    index: Index,
    /// Postings in `index`.
    held: usize,
    /// Postings `index` may hold before it is written as a run.
    budget: usize,
    runs: Vec<TempFile>,
}

/// Where the runs are written, for messages.
fn temp_dir() -> PathBuf {
    std::env::temp_dir()
}

fn io(e: std::io::Error) -> Error {
    Error::io(&temp_dir(), e)
}

impl Spilling {
    pub(crate) fn new() -> Spilling {
        Spilling::with_budget(crate::memory::budget(
            "BRIEFING_INDEX_MEMORY_MB",
            DEFAULT_BUDGET,
        ))
    }

    fn with_budget(bytes: usize) -> Spilling {
        Spilling {
            index: Index::default(),
            held: 0,
            budget: bytes / std::mem::size_of::<u32>(),
            runs: Vec::new(),
        }
    }

    /// Adds documents `words`, numbered after those already added; writes the index as a run
    /// when it holds more postings than the budget.
    pub(crate) fn extend(&mut self, words: &[&Words]) -> Result<()> {
        self.index.extend(words);
        self.held += words.iter().map(|w| w.len()).sum::<usize>();
        if self.held > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Writes the words of the index in memory as a run, and empties it (its next documents
    /// keep their numbers).
    fn spill(&mut self) -> Result<()> {
        let docs = self.index.docs;
        let index = std::mem::take(&mut self.index);
        self.index.docs = docs;
        self.held = 0;
        let mut out = BufWriter::with_capacity(1 << 20, tempfile::tempfile().map_err(io)?);
        for (word, list) in index.words() {
            let len = u16::try_from(word.len()).expect("indexed words are short");
            out.write_all(&len.to_le_bytes()).map_err(io)?;
            out.write_all(word.as_bytes()).map_err(io)?;
            out.write_all(&(list.len() as u32).to_le_bytes())
                .map_err(io)?;
            for p in list {
                out.write_all(&p.to_le_bytes()).map_err(io)?;
            }
        }
        let mut file = out.into_inner().map_err(|e| io(e.into_error()))?;
        file.rewind().map_err(io)?;
        self.runs.push(file);
        Ok(())
    }

    /// How many documents were added.
    #[cfg(test)]
    fn docs(&self) -> usize {
        self.index.docs
    }

    /// The chunk files of the whole index, each handed to `write` as soon as it is made; each
    /// file's path and size, in order (as [`Index::write_chunk_files`]).
    pub(crate) fn write_chunk_files(
        mut self,
        write: &(dyn Fn(File) -> Result<()> + Sync),
    ) -> Result<Vec<(String, usize)>> {
        if self.runs.is_empty() {
            return self.index.write_chunk_files(write);
        }
        if self.held > 0 {
            self.spill()?;
        }
        let mut runs: Vec<Run> = self
            .runs
            .into_iter()
            .map(|f| Run(BufReader::with_capacity(256 << 10, f)))
            .collect();
        // The next word of each run, smallest first; equal words in run order (documents in
        // order).
        let mut next: BinaryHeap<Reverse<(String, usize, Vec<u32>)>> = BinaryHeap::new();
        for (k, run) in runs.iter_mut().enumerate() {
            if let Some((word, list)) = run.next()? {
                next.push(Reverse((word, k, list)));
            }
        }
        let mut sizes = Vec::new();
        // Whole groups (words sharing their root), in order, waiting to be made into files.
        let mut groups: Vec<Vec<(String, Vec<u32>)>> = Vec::new();
        let mut gathered = 0;
        while let Some(Reverse((word, k, mut list))) = next.pop() {
            if let Some((w, l)) = runs[k].next()? {
                next.push(Reverse((w, k, l)));
            }
            gathered += list.len() * std::mem::size_of::<u32>();
            let group = groups.last_mut().filter(|g| root(&g[0].0) == root(&word));
            match group {
                Some(group) => match group.last_mut() {
                    Some((last, held)) if *last == word => held.append(&mut list),
                    _ => group.push((word, list)),
                },
                None => {
                    // A new group begins: the ones before it are whole.
                    if gathered > MERGE_BATCH {
                        sizes.extend(make_files(std::mem::take(&mut groups), write)?);
                        gathered = list.len() * std::mem::size_of::<u32>();
                    }
                    groups.push(vec![(word, list)]);
                }
            }
        }
        sizes.extend(make_files(groups, write)?);
        Ok(sizes)
    }
}

/// The chunk files of whole merged groups ([`write_groups`]).
fn make_files(
    groups: Vec<Vec<(String, Vec<u32>)>>,
    write: &(dyn Fn(File) -> Result<()> + Sync),
) -> Result<Vec<(String, usize)>> {
    let borrowed = groups
        .iter()
        .map(|group| {
            group
                .iter()
                .map(|(w, l)| (w.as_str(), l.as_slice()))
                .collect()
        })
        .collect();
    write_groups(borrowed, write)
}

/// One run being read back.
struct Run(BufReader<TempFile>);

impl Run {
    /// The next word and its postings, or `None` at the end of the run.
    fn next(&mut self) -> Result<Option<(String, Vec<u32>)>> {
        let mut len = [0u8; 2];
        match self.0.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(io(e)),
        }
        let mut word = vec![0u8; usize::from(u16::from_le_bytes(len))];
        self.0.read_exact(&mut word).map_err(io)?;
        let mut count = [0u8; 4];
        self.0.read_exact(&mut count).map_err(io)?;
        let mut bytes = vec![0u8; u32::from_le_bytes(count) as usize * 4];
        self.0.read_exact(&mut bytes).map_err(io)?;
        let list = bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("four bytes")))
            .collect();
        let word = String::from_utf8(word)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        Ok(Some((word, list)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunk files as `write_chunk_files` hands them over, in order.
    fn files(index: Spilling) -> Vec<File> {
        super::super::index::written(|write| index.write_chunk_files(write))
    }

    #[test]
    fn runs_merged_give_the_files_of_the_index_in_memory() {
        // Documents sharing words across batches, a group split into several chunks (many
        // postings under one root), and words only some runs hold.
        let docs: Vec<Words> = (0..1200)
            .map(|d| {
                let mut text = format!("common word{} alpha{} ", d % 7, d % 50);
                if d % 3 == 0 {
                    text.push_str("rarest ");
                }
                for k in 0..(d % 40) {
                    text.push_str(&format!("prefix{k} "));
                }
                Words::of_title(&text, &mut super::super::Counter::default())
            })
            .collect();
        let refs: Vec<&Words> = docs.iter().collect();
        let mut memory = Spilling::with_budget(usize::MAX);
        // Budgets of a few postings: a run after every batch, or after some.
        let mut tiny = Spilling::with_budget(4);
        let mut some = Spilling::with_budget(20_000);
        for batch in refs.chunks(64) {
            memory.extend(batch).unwrap();
            tiny.extend(batch).unwrap();
            some.extend(batch).unwrap();
        }
        assert!(memory.runs.is_empty());
        assert_eq!(tiny.runs.len(), 1200usize.div_ceil(64));
        assert!(!some.runs.is_empty() && some.runs.len() < tiny.runs.len());
        assert_eq!(tiny.docs(), 1200);
        let expected = files(memory);
        assert!(expected.len() > 5, "several chunks: {}", expected.len());
        assert_eq!(files(tiny), expected);
        assert_eq!(files(some), expected);
    }
}
