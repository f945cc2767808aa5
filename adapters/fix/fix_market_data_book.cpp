#include "adapters/fix/fix_market_data_book.hpp"

namespace guiju {

int FixBookSide::find(Price price, int* insert_at) const {
  int i = 0;
  while (i < count_ && better(levels_[static_cast<size_t>(i)].price, price)) ++i;
  if (insert_at) *insert_at = i;
  return i < count_ && levels_[static_cast<size_t>(i)].price == price ? i : -1;
}

void FixBookSide::insert_at(int index, PriceLevel level) {
  // The worst level falls off a full side.
  const int last = count_ < kBookDepth ? count_ : kBookDepth - 1;
  for (int i = last; i > index; --i) {
    levels_[static_cast<size_t>(i)] = levels_[static_cast<size_t>(i - 1)];
  }
  levels_[static_cast<size_t>(index)] = level;
  if (count_ < kBookDepth) ++count_;
}

void FixBookSide::erase_at(int index) {
  for (int i = index; i + 1 < count_; ++i) {
    levels_[static_cast<size_t>(i)] = levels_[static_cast<size_t>(i + 1)];
  }
  --count_;
  levels_[static_cast<size_t>(count_)] = PriceLevel{};
}

FixBookResult FixBookSide::insert(Price price, Quantity size, int position) {
  if (position > 0) {
    if (position > kBookDepth) return FixBookResult::kOutsideDepth;
    const int index = position - 1;
    if (index > count_) return FixBookResult::kOutOfOrder;  // a hole above it
    // The new level must rank strictly between its neighbours.
    if (index > 0 && !better(levels_[static_cast<size_t>(index - 1)].price, price)) {
      return FixBookResult::kOutOfOrder;
    }
    if (index < count_ && !better(price, levels_[static_cast<size_t>(index)].price)) {
      return FixBookResult::kOutOfOrder;
    }
    insert_at(index, {price, size});
    return FixBookResult::kApplied;
  }
  int at = 0;
  const int found = find(price, &at);
  if (found >= 0) {
    levels_[static_cast<size_t>(found)].size = size;
    return FixBookResult::kApplied;
  }
  if (at >= kBookDepth) return FixBookResult::kOutsideDepth;
  insert_at(at, {price, size});
  return FixBookResult::kApplied;
}

FixBookResult FixBookSide::change(const Price* price, Quantity size, int position) {
  int index = -1;
  if (position > 0) {
    if (position > kBookDepth) return FixBookResult::kOutsideDepth;
    index = position - 1;
    if (index >= count_) return FixBookResult::kNotFound;
    if (price && levels_[static_cast<size_t>(index)].price != *price) {
      return FixBookResult::kOutOfOrder;
    }
  } else {
    if (!price) return FixBookResult::kNotFound;
    int at = 0;
    index = find(*price, &at);
    if (index < 0)
      return at >= kBookDepth ? FixBookResult::kOutsideDepth : FixBookResult::kNotFound;
  }
  levels_[static_cast<size_t>(index)].size = size;
  return FixBookResult::kApplied;
}

FixBookResult FixBookSide::erase(const Price* price, int position) {
  int index = -1;
  if (position > 0) {
    if (position > kBookDepth) return FixBookResult::kOutsideDepth;
    index = position - 1;
    if (index >= count_) return FixBookResult::kNotFound;
    if (price && levels_[static_cast<size_t>(index)].price != *price) {
      return FixBookResult::kOutOfOrder;
    }
  } else {
    if (!price) return FixBookResult::kNotFound;
    int at = 0;
    index = find(*price, &at);
    if (index < 0)
      return at >= kBookDepth ? FixBookResult::kOutsideDepth : FixBookResult::kNotFound;
  }
  erase_at(index);
  return FixBookResult::kApplied;
}

void FixBookSide::copy_to(std::array<PriceLevel, kBookDepth>& out, uint8_t& count) const {
  out = levels_;
  for (int i = count_; i < kBookDepth; ++i) out[static_cast<size_t>(i)] = PriceLevel{};
  count = static_cast<uint8_t>(count_);
}

}  // namespace guiju
