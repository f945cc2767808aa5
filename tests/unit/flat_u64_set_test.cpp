// The execution-id set: exact for sequential (bitmap) and arbitrary (hashed) keys alike, across
// growth of both parts, checked against std::unordered_set.

#include "core/util/flat_u64_set.hpp"

#include <gtest/gtest.h>

#include <random>
#include <unordered_set>

namespace guiju {
namespace {

TEST(FlatU64Set, SequentialAndScatteredKeysAreExactAcrossGrowth) {
  FlatU64Set set(16);
  std::unordered_set<uint64_t> reference;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200'000; ++i) {
    uint64_t key = 0;
    switch (i % 4) {
      case 0:
      case 1:
        key = static_cast<uint64_t>(i / 2 + 1);  // sequential, repeated: the bitmap
        break;
      case 2:
        key = FlatU64Set::kDenseLimit + rng() % 50'000;  // above it, with repeats: the table
        break;
      default:
        key = rng() | 1;  // anywhere
        break;
    }
    EXPECT_EQ(set.insert(key), reference.insert(key).second) << "key " << key;
  }
  EXPECT_EQ(set.size(), reference.size());
  for (uint64_t key : reference) ASSERT_TRUE(set.contains(key)) << key;
  EXPECT_FALSE(set.contains(FlatU64Set::kDenseLimit - 1));
  EXPECT_FALSE(set.contains(500'000));
  EXPECT_FALSE(set.contains(FlatU64Set::kDenseLimit + 60'000));
}

TEST(FlatU64Set, TheEdgesOfTheBitmap) {
  FlatU64Set set(1);
  EXPECT_TRUE(set.insert(FlatU64Set::kDenseLimit - 1));
  EXPECT_FALSE(set.insert(FlatU64Set::kDenseLimit - 1));
  EXPECT_TRUE(set.insert(FlatU64Set::kDenseLimit));
  EXPECT_FALSE(set.insert(FlatU64Set::kDenseLimit));
  EXPECT_TRUE(set.insert(~uint64_t{0}));
  EXPECT_TRUE(set.contains(~uint64_t{0}));
  EXPECT_EQ(set.size(), 3u);
}

}  // namespace
}  // namespace guiju
