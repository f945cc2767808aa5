#pragma once
// A set of non-zero 64-bit keys, exact, O(1) per operation.
//
// Execution ids are most often small sequential integers (a venue numbers its reports), and a
// hash table would scatter such keys over a table of millions of entries: a cache miss on every
// report. Keys below kDenseLimit are therefore bits in a bitmap, which sequential keys walk
// through a cache line at a time; other keys go to an open-addressing table (linear probing,
// power-of-two size). Both are sized up front so inserts on the hot path do not allocate; each
// doubles when it must, which a correctly sized configuration never reaches in a trading day.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace guiju {

class FlatU64Set {
 public:
  static constexpr uint64_t kDenseLimit = uint64_t{1} << 27;  // a 16 MB bitmap at most

  explicit FlatU64Set(size_t expected = 1024) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    table_.assign(cap, 0);
    bits_.assign((expected * 2 + 63) / 64, 0);
  }

  // Inserts key (must be non-zero). Returns false when it was already present.
  bool insert(uint64_t key) {
    if (key < kDenseLimit) {
      const uint64_t word = key >> 6;
      if (word >= bits_.size()) bits_.resize(std::max<size_t>(bits_.size() * 2, word + 1), 0);
      const uint64_t bit = uint64_t{1} << (key & 63);
      if ((bits_[word] & bit) != 0) return false;
      bits_[word] |= bit;
      ++size_;
      return true;
    }
    if ((hashed_ + 1) * 2 > table_.size()) grow();
    return insert_into(table_, key);
  }
  bool contains(uint64_t key) const {
    if (key < kDenseLimit) {
      const uint64_t word = key >> 6;
      return word < bits_.size() && (bits_[word] & (uint64_t{1} << (key & 63))) != 0;
    }
    const size_t mask = table_.size() - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      if (table_[i] == key) return true;
      if (table_[i] == 0) return false;
    }
  }
  size_t size() const { return size_; }

 private:
  static uint64_t mix(uint64_t x) {  // splitmix64 finaliser: spreads clustered keys
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  bool insert_into(std::vector<uint64_t>& table, uint64_t key) {
    const size_t mask = table.size() - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      if (table[i] == key) return false;
      if (table[i] == 0) {
        table[i] = key;
        if (&table == &table_) {
          ++size_;
          ++hashed_;
        }
        return true;
      }
    }
  }
  void grow() {
    std::vector<uint64_t> bigger(table_.size() * 2, 0);
    for (uint64_t k : table_) {
      if (k != 0) insert_into(bigger, k);
    }
    table_.swap(bigger);
  }

  std::vector<uint64_t> bits_;   // keys below kDenseLimit
  std::vector<uint64_t> table_;  // the others
  size_t size_ = 0;
  size_t hashed_ = 0;  // keys in table_
};

}  // namespace guiju
