#pragma once
// An open-addressing set of non-zero 64-bit keys (linear probing, power-of-two table).
// Sized up front so inserts on the hot path do not allocate; it doubles when half full, which a
// correctly sized configuration never reaches in a trading day.

#include <cstdint>
#include <vector>

namespace guiju {

class FlatU64Set {
 public:
  explicit FlatU64Set(size_t expected = 1024) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    table_.assign(cap, 0);
  }

  // Inserts key (must be non-zero). Returns false when it was already present.
  bool insert(uint64_t key) {
    if ((size_ + 1) * 2 > table_.size()) grow();
    return insert_into(table_, key);
  }
  bool contains(uint64_t key) const {
    const size_t mask = table_.size() - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      if (table_[i] == key) return true;
      if (table_[i] == 0) return false;
    }
  }
  size_t size() const { return size_; }

 private:
  static uint64_t mix(uint64_t x) {  // splitmix64 finaliser: ids are sequential, spread them
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
        if (&table == &table_) ++size_;
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

  std::vector<uint64_t> table_;
  size_t size_ = 0;
};

}  // namespace guiju
