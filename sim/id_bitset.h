// IdBitset: a set of small non-negative ids [0, size()) as one bit each, with a running count per
// block of 4,096 ids, so that the k-th member (select) and the largest member are found without
// scanning every id. The study store keeps two per grid-id index (sim/study_store.h AttrIndex: the
// ids without a finished trial, and those with neither a finished nor a RUNNING trial), which the
// GridSampler model reads to draw from an ascending target list without building it.
//
// Invariants: bits at and past size() are 0; block_counts_[b] is the number of set bits in block b;
// count() is their sum.
// Cost: set() O(1); resize() O(new words); select() and last() O(size / 4096 + 64) word operations
// (about 250 block counts and at most 64 words at a million ids); memory size / 8 bytes plus 4
// bytes per block. Not thread-safe (the store is one run's, on one thread).
#pragma once

#include <cstdint>
#include <vector>

namespace samplersim {

class IdBitset {
 public:
  static constexpr std::int64_t kBlockIds = 4096;  // ids per counted block (64 words)

  std::int64_t size() const { return size_; }
  std::int64_t count() const { return count_; }
  bool test(std::int64_t id) const;

  // Grows to `n` ids (never shrinks); the new ids are members iff `value`.
  void resize(std::int64_t n, bool value);
  // Makes `id` (< size()) a member or not.
  void set(std::int64_t id, bool value);
  // The k-th member in ascending order, 0-based. Requires k < count().
  std::int64_t select(std::int64_t k) const;
  // The largest member, or -1 when there is none.
  std::int64_t last() const;
  // Every member in ascending order. O(size / 4096 + 64 x blocks with a member + count()).
  std::vector<int> members() const;

 private:
  std::vector<std::uint64_t> words_;
  std::vector<std::uint32_t> block_counts_;
  std::int64_t size_ = 0;
  std::int64_t count_ = 0;
};

}  // namespace samplersim
