// IdBitset: bits with per-block counts; see id_bitset.h for the contract.
#include "sim/id_bitset.h"

#include <algorithm>
#include <bit>

#include "sim/invariant.h"

namespace samplersim {
namespace {

constexpr std::int64_t kWordIds = 64;
constexpr std::int64_t kBlockWords = IdBitset::kBlockIds / kWordIds;

// Position of the k-th set bit of w (0-based). Requires k < popcount(w).
unsigned select_in_word(std::uint64_t w, unsigned k) {
  for (; k > 0; --k) w &= w - 1;  // drop the k lowest set bits
  return static_cast<unsigned>(std::countr_zero(w));
}

}  // namespace

bool IdBitset::test(std::int64_t id) const {
  SIM_ASSERT(id >= 0 && id < size_);
  return ((words_[static_cast<std::size_t>(id / kWordIds)] >> (id % kWordIds)) & 1U) != 0;
}

void IdBitset::resize(std::int64_t n, bool value) {
  if (n <= size_) return;
  const std::int64_t old = size_;
  size_ = n;
  words_.resize(static_cast<std::size_t>((n + kWordIds - 1) / kWordIds), 0);
  block_counts_.resize(static_cast<std::size_t>((n + kBlockIds - 1) / kBlockIds), 0);
  if (!value) return;
  for (std::int64_t id = old; id < n;) {
    if (id % kWordIds == 0 && id + kWordIds <= n) {  // a whole word at once
      words_[static_cast<std::size_t>(id / kWordIds)] = ~std::uint64_t{0};
      block_counts_[static_cast<std::size_t>(id / kBlockIds)] += kWordIds;
      count_ += kWordIds;
      id += kWordIds;
    } else {
      set(id, true);
      ++id;
    }
  }
}

void IdBitset::set(std::int64_t id, bool value) {
  SIM_ASSERT(id >= 0 && id < size_);
  std::uint64_t& w = words_[static_cast<std::size_t>(id / kWordIds)];
  const std::uint64_t bit = std::uint64_t{1} << (id % kWordIds);
  if (((w & bit) != 0) == value) return;
  w ^= bit;
  const std::int64_t delta = value ? 1 : -1;
  block_counts_[static_cast<std::size_t>(id / kBlockIds)] += static_cast<std::uint32_t>(delta);
  count_ += delta;
}

std::int64_t IdBitset::select(std::int64_t k) const {
  SIM_ASSERT(k >= 0 && k < count_);
  std::size_t b = 0;
  for (; static_cast<std::int64_t>(block_counts_[b]) <= k; ++b) {
    k -= block_counts_[b];
    SIM_ASSERT(b + 1 < block_counts_.size());
  }
  for (std::size_t w = b * kBlockWords;; ++w) {
    SIM_ASSERT(w < words_.size());
    const auto ones = static_cast<std::int64_t>(std::popcount(words_[w]));
    if (k < ones) {
      return static_cast<std::int64_t>(w) * kWordIds + select_in_word(words_[w], static_cast<unsigned>(k));
    }
    k -= ones;
  }
}

std::vector<int> IdBitset::members() const {
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(count_));
  for (std::size_t b = 0; b < block_counts_.size(); ++b) {
    if (block_counts_[b] == 0) continue;
    const std::size_t end = std::min(words_.size(), (b + 1) * kBlockWords);
    for (std::size_t w = b * kBlockWords; w < end; ++w) {
      for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
        out.push_back(static_cast<int>(static_cast<std::int64_t>(w) * kWordIds + std::countr_zero(bits)));
      }
    }
  }
  return out;
}

std::int64_t IdBitset::last() const {
  for (std::size_t b = block_counts_.size(); b-- > 0;) {
    if (block_counts_[b] == 0) continue;
    const std::size_t end = std::min(words_.size(), (b + 1) * kBlockWords);
    for (std::size_t w = end; w-- > b * kBlockWords;) {
      if (words_[w] != 0) return static_cast<std::int64_t>(w) * kWordIds + 63 - std::countl_zero(words_[w]);
    }
  }
  return -1;
}

}  // namespace samplersim
