// ClientOrderIdAllocator (core/oms/client_order_id_allocator.hpp): the "<prefix><date>-<id>"
// format, consecutive in-memory ids, and persistent mode in a temporary directory: ids continue
// past the reserved block after a restart and are never reused, a new trading date starts at 1,
// and a malformed state file is refused with an error naming the file and the line.

#include "core/oms/client_order_id_allocator.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace guiju {
namespace {

constexpr const char* kDate = "20261127";

std::string Format(const ClientOrderIdAllocator& a, OrderId id) {
  ClientOrderId out;
  a.format(id, out);
  return std::string(out.view());
}

// A fresh directory under the system temp directory, removed with everything in it afterwards.
using guiju::test::TempDir;

void WriteFile(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::trunc);
  out << text;
}

// The non-comment, non-empty lines of a state file.
std::vector<std::string> DataLines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

// The message of the runtime_error that opening `file` throws (empty if none is thrown).
std::string OpenError(const std::filesystem::path& file, const std::string& date = kDate) {
  try {
    ClientOrderIdAllocator::open_persistent(file, "T", date, 4);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return {};
}

// ---- format ----

TEST(ClientOrderIdFormatTest, FormatIsPrefixDateDashId) {
  const ClientOrderIdAllocator a("T", kDate);
  EXPECT_EQ(Format(a, 1), "T20261127-1");
  EXPECT_EQ(Format(a, 42), "T20261127-42");
  EXPECT_EQ(Format(a, 1234567890), "T20261127-1234567890");
  EXPECT_EQ(a.prefix(), "T");
  EXPECT_EQ(a.trading_date(), kDate);
}

TEST(ClientOrderIdFormatTest, EmptyPrefixGivesDateDashId) {
  const ClientOrderIdAllocator a("", kDate);
  EXPECT_EQ(Format(a, 7), "20261127-7");
}

TEST(ClientOrderIdFormatTest, EightCharPrefixWithFifteenDigitIdFillsAllThirtyTwoBytes) {
  const ClientOrderIdAllocator a("ABCDEFGH", kDate);
  const std::string id = Format(a, 123456789012345ULL);
  EXPECT_EQ(id, "ABCDEFGH20261127-123456789012345");
  EXPECT_EQ(id.size(), ClientOrderId::kCapacity);
}

TEST(ClientOrderIdFormatTest, ReusingTheOutputLeavesNoDigitsOfTheLongerPreviousId) {
  const ClientOrderIdAllocator a("T", kDate);
  ClientOrderId out;
  a.format(987654321, out);
  a.format(6, out);
  EXPECT_EQ(out.view(), "T20261127-6");
}

// ---- in-memory ids ----

TEST(ClientOrderIdAllocatorTest, InMemoryIdsAreConsecutiveFromOne) {
  ClientOrderIdAllocator a("T", kDate);
  EXPECT_EQ(a.peek(), 1u);
  EXPECT_EQ(a.next(), 1u);
  EXPECT_EQ(a.next(), 2u);
  EXPECT_EQ(a.next(), 3u);
  EXPECT_EQ(a.peek(), 4u);
}

TEST(ClientOrderIdAllocatorTest, InMemoryIdsAreConsecutiveFromTheGivenFirstId) {
  ClientOrderIdAllocator a("T", kDate, 500);
  EXPECT_EQ(a.peek(), 500u);
  for (OrderId expected = 500; expected < 600; ++expected) ASSERT_EQ(a.next(), expected);
}

TEST(ClientOrderIdAllocatorTest, FirstIdZeroIsRejected) {
  EXPECT_THROW(ClientOrderIdAllocator("T", kDate, kNoOrder), std::invalid_argument);
}

TEST(ClientOrderIdAllocatorTest, PrefixOfEightIsAcceptedAndLongerIsRejected) {
  EXPECT_NO_THROW(ClientOrderIdAllocator("ABCDEFGH", kDate));
  EXPECT_THROW(ClientOrderIdAllocator("ABCDEFGHI", kDate), std::invalid_argument);
}

TEST(ClientOrderIdAllocatorTest, InvalidTradingDatesAreRejected) {
  for (const char* date :
       {"", "2026112", "202611270", "2026-1127", "abcdefgh", "20261327", "20260001", "20261100",
        "20261131", "20260230", "20250229", "21000229", "19691231"}) {
    SCOPED_TRACE(date);
    EXPECT_FALSE(validate_trading_date(date).empty());
    try {
      ClientOrderIdAllocator a("T", date);
      ADD_FAILURE() << "accepted an invalid date";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + date + "'"), std::string::npos)
          << e.what();
    }
  }
}

TEST(ClientOrderIdAllocatorTest, RealCalendarDatesAreAccepted) {
  for (const char* date : {"20261127", "20240229", "20000229", "19700101", "20261231"}) {
    SCOPED_TRACE(date);
    EXPECT_EQ(validate_trading_date(date), "");
    EXPECT_NO_THROW(ClientOrderIdAllocator("T", date));
  }
}

// ---- persistent mode ----

TEST(PersistentClientOrderIdTest, FirstRunStartsAtOneAndDurablyReservesABlock) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  auto a = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
  EXPECT_EQ(a.peek(), 1u);
  EXPECT_FALSE(std::filesystem::exists(file)) << "nothing reserved before the first id";
  EXPECT_EQ(a.next(), 1u);
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(DataLines(file), std::vector<std::string>{"20261127 5"});
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
  EXPECT_EQ(Format(a, 1), "T20261127-1");
}

TEST(PersistentClientOrderIdTest, IdsInsideABlockDoNotRewriteTheFile) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  auto a = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
  for (OrderId expected = 1; expected <= 4; ++expected) ASSERT_EQ(a.next(), expected);
  EXPECT_EQ(DataLines(file), std::vector<std::string>{"20261127 5"});
  EXPECT_EQ(a.next(), 5u);
  EXPECT_EQ(DataLines(file), std::vector<std::string>{"20261127 9"});
}

TEST(PersistentClientOrderIdTest, RestartContinuesPastTheReservedBlock) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  {
    auto first = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
    EXPECT_EQ(first.next(), 1u);
    EXPECT_EQ(first.next(), 2u);
  }  // "crash": ids 3 and 4 were reserved but never used
  auto second = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
  EXPECT_EQ(second.next(), 5u);
}

TEST(PersistentClientOrderIdTest, RestartAfterSeveralBlocksStartsAfterTheLastReservation) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  {
    auto first = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
    for (OrderId expected = 1; expected <= 6; ++expected) ASSERT_EQ(first.next(), expected);
  }
  auto second = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
  EXPECT_EQ(second.next(), 9u);
}

TEST(PersistentClientOrderIdTest, IdsAreNeverReusedAcrossManyRestarts) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  std::vector<OrderId> all;
  for (int run = 0; run < 8; ++run) {
    auto a = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 3);
    const int take = 1 + (run * 5) % 7;  // 1, 6, 4, 2, 7, 5, 3, 1
    for (int i = 0; i < take; ++i) {
      const OrderId id = a.next();
      if (!all.empty()) {
        ASSERT_GT(id, all.back()) << "run " << run << " reused or went back";
      }
      all.push_back(id);
    }
  }
  EXPECT_EQ(all.front(), 1u);
}

TEST(PersistentClientOrderIdTest, OpeningWithoutIssuingAnIdReservesNothing) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  {
    auto a = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
    a.next();
  }
  {
    auto idle = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
    EXPECT_EQ(idle.peek(), 5u);
  }
  auto again = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
  EXPECT_EQ(again.next(), 5u);
}

TEST(PersistentClientOrderIdTest, NewTradingDateRestartsAtOne) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  {
    auto today = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
    for (int i = 0; i < 6; ++i) today.next();
  }
  auto tomorrow = ClientOrderIdAllocator::open_persistent(file, "T", "20261130", 4);
  EXPECT_EQ(tomorrow.next(), 1u);
  EXPECT_EQ(Format(tomorrow, 1), "T20261130-1");
  // The earlier date's mark is kept: a session for that date must not reuse its ids either.
  EXPECT_EQ(DataLines(file), (std::vector<std::string>{"20261127 9", "20261130 5"}));
  auto back = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
  EXPECT_EQ(back.next(), 9u);
}

TEST(PersistentClientOrderIdTest, HandWrittenStateForTheSameDateIsHonoured) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  WriteFile(file, "# comment\n\n20261126 50\n20261127 1000\n");
  auto a = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
  EXPECT_EQ(a.next(), 1000u);
  EXPECT_EQ(a.next(), 1001u);
}

TEST(PersistentClientOrderIdTest, StateFileDirectoryIsCreatedOnFirstReservation) {
  TempDir dir;
  const auto file = dir.path() / "state" / "nested" / "ids";
  auto a = ClientOrderIdAllocator::open_persistent(file, "T", kDate, 4);
  EXPECT_EQ(a.next(), 1u);
  EXPECT_TRUE(std::filesystem::exists(file));
}

TEST(PersistentClientOrderIdTest, CorruptStateFileThrowsNamingTheFileAndLine) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  WriteFile(file, "garbage\n");
  const std::string error = OpenError(file);
  ASSERT_FALSE(error.empty()) << "a corrupt state file was accepted";
  EXPECT_NE(error.find(file.string() + ":1:"), std::string::npos) << error;
  EXPECT_NE(error.find("garbage"), std::string::npos) << error;
}

TEST(PersistentClientOrderIdTest, LineNumberInTheErrorCountsCommentsAndBlankLines) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  WriteFile(file, "# header\n\n20261127 9\nnot a state line\n");
  const std::string error = OpenError(file);
  EXPECT_NE(error.find(file.string() + ":4:"), std::string::npos) << error;
}

TEST(PersistentClientOrderIdTest, EveryMalformedLineShapeIsRefused) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  for (const char* line : {"20261127", "20261127 0", "20261127 9 extra", "20261340 9", "2026112 9",
                           "20261127 nine", "9 20261127"}) {
    SCOPED_TRACE(line);
    WriteFile(file, std::string(line) + "\n");
    const std::string error = OpenError(file);
    EXPECT_NE(error.find(file.string() + ":1:"), std::string::npos) << error;
  }
}

TEST(PersistentClientOrderIdTest, NegativeCounterInTheStateFileIsRefused) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  WriteFile(file, "20261127 -5\n");
  const std::string error = OpenError(file);
  EXPECT_NE(error.find(file.string() + ":1:"), std::string::npos)
      << "'-5' was accepted as a counter; the allocator would start near 2^64 and wrap";
}

TEST(PersistentClientOrderIdTest, StateFileWithOnlyCommentsIsRefused) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  WriteFile(file, "# nothing here\n\n");
  const std::string error = OpenError(file);
  EXPECT_NE(error.find(file.string()), std::string::npos) << error;
}

TEST(PersistentClientOrderIdTest, ZeroBlockAndLongPrefixAreRejected) {
  TempDir dir;
  const auto file = dir.path() / "ids";
  EXPECT_THROW(ClientOrderIdAllocator::open_persistent(file, "T", kDate, 0), std::invalid_argument);
  EXPECT_THROW(ClientOrderIdAllocator::open_persistent(file, "TOOLONGPFX", kDate, 4),
               std::invalid_argument);
  EXPECT_THROW(ClientOrderIdAllocator::open_persistent(file, "T", "20261131", 4),
               std::invalid_argument);
}

}  // namespace
}  // namespace guiju
