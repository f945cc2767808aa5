// The audit journal's writer, reader and verifier: the hash chain across records and segments,
// rotation and the manifest, recovery from a torn tail, and tamper detection (a flipped bit, a
// deleted, inserted or reordered record, a truncated or deleted segment), each located by segment
// file, byte offset and sequence.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "core/clock/clock.hpp"
#include "core/events/event_slot.hpp"
#include "core/journal/journal_writer.hpp"
#include "core/journal/verify.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::journal {
namespace {

using guiju::test::TempDir;

WriterOptions Options(const std::filesystem::path& dir, uint64_t segment_bytes = 1 << 20) {
  WriterOptions o;
  o.directory = dir;
  o.trading_date = "20261127";
  o.segment_bytes = segment_bytes;
  o.durability = Durability::kOsBuffered;
  return o;
}

EventSlot QuoteEvent(uint64_t i) {
  Quote q;
  q.header.sequence = i;
  q.header.event_time = static_cast<Timestamp>(1'000 + i);
  q.instrument = static_cast<InstrumentId>(i % 7);
  q.bid_price = Price::from_raw(static_cast<int64_t>(100'000 + i));
  q.ask_price = Price::from_raw(static_cast<int64_t>(100'100 + i));
  EventSlot s;
  s.store(q);
  return s;
}

void WriteQuotes(const std::filesystem::path& dir, uint64_t n, uint64_t segment_bytes = 1 << 20) {
  JournalWriter w(Options(dir, segment_bytes));
  for (uint64_t i = 0; i < n; ++i) w.append(QuoteEvent(i), static_cast<Timestamp>(i));
  w.commit();
}

std::vector<char> ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void WriteAll(const std::filesystem::path& p, const std::vector<char>& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

constexpr size_t kQuoteRecord = kRecordOverhead + sizeof(Quote);
size_t RecordOffset(uint64_t sequence_in_segment) {  // 1-based within the first segment
  return sizeof(SegmentHeader) + (sequence_in_segment - 1) * kQuoteRecord;
}

TEST(JournalWriter, WritesAChainThatVerifies) {
  TempDir dir;
  WriteQuotes(dir.path(), 1000);
  const VerifyReport r = verify_journal(dir.path());
  EXPECT_TRUE(r.ok()) << describe(r.problems.front());
  EXPECT_EQ(r.records, 1000u);
  EXPECT_EQ(r.last_sequence, 1000u);
  EXPECT_EQ(r.segments, 1u);
}

TEST(JournalWriter, SequencesAreContiguousAndHeadIsDeterministic) {
  TempDir a, b;
  WriteQuotes(a.path(), 200);
  WriteQuotes(b.path(), 200);
  const VerifyReport ra = verify_journal(a.path());
  const VerifyReport rb = verify_journal(b.path());
  ASSERT_TRUE(ra.ok());
  ASSERT_TRUE(rb.ok());
  EXPECT_EQ(ra.head, rb.head);  // same records, same chain
  EXPECT_NE(ra.head, Digest{});
}

TEST(JournalWriter, RotatesSegmentsAndKeepsOneChainListedInTheManifest) {
  TempDir dir;
  WriteQuotes(dir.path(), 1000, 16 * 1024);
  const auto segments = list_segments(dir.path());
  EXPECT_GT(segments.size(), 5u);
  const VerifyReport r = verify_journal(dir.path());
  EXPECT_TRUE(r.ok()) << describe(r.problems.front());
  EXPECT_EQ(r.records, 1000u);
  std::ifstream manifest(dir.path() / "MANIFEST");
  std::string line;
  size_t entries = 0;
  while (std::getline(manifest, line)) entries += !line.empty() && line[0] != '#';
  EXPECT_EQ(entries, segments.size() - 1);  // every closed segment; the open one is not yet
}

TEST(JournalWriter, ReopeningContinuesTheSequenceAndTheChain) {
  TempDir dir;
  WriteQuotes(dir.path(), 10);
  {
    RecoveryReport report;
    JournalWriter w(Options(dir.path()), &report);
    EXPECT_TRUE(report.existing);
    EXPECT_EQ(report.last_sequence, 10u);
    EXPECT_EQ(report.cut_bytes, 0u);
    EXPECT_EQ(w.append(QuoteEvent(10), 10), 11u);
    w.commit();
  }
  const VerifyReport r = verify_journal(dir.path());
  EXPECT_TRUE(r.ok()) << describe(r.problems.front());
  EXPECT_EQ(r.last_sequence, 11u);
}

TEST(JournalWriter, NewTradingDayStartsANewSegment) {
  TempDir dir;
  WriteQuotes(dir.path(), 5);
  WriterOptions next = Options(dir.path());
  next.trading_date = "20261130";
  {
    JournalWriter w(next);
    w.append(QuoteEvent(5), 5);
    w.commit();
  }
  EXPECT_EQ(list_segments(dir.path()).size(), 2u);
  const VerifyReport r = verify_journal(dir.path());
  EXPECT_TRUE(r.ok()) << describe(r.problems.front());
  EXPECT_EQ(r.records, 6u);
}

TEST(JournalWriter, OversizedPayloadIsRefused) {
  TempDir dir;
  JournalWriter w(Options(dir.path()));
  std::vector<std::byte> big(kMaxPayload + 1);
  EXPECT_THROW(w.append(1, 1, 0, 0, 0, big), JournalError);
}

// Under `interval`, a group committed within the interval of the last sync is written, not synced:
// it must still be synced one interval later when nothing else comes, or a quiet spell after it
// would leave it exposed to a power loss for as long as the spell lasts.
TEST(JournalWriter, IntervalDurabilitySyncsTheLastGroupByItsDeadlineWhenNothingFollows) {
  TempDir dir;
  WriterOptions o = Options(dir.path());
  o.durability = Durability::kInterval;
  o.sync_interval = 50 * kMillisecond;
  JournalWriter w(o);  // creating the segment syncs it
  w.append(QuoteEvent(0), 0);
  w.commit();  // well within 50 ms of that sync: written, not synced
  const Timestamp due = w.sync_deadline();
  ASSERT_NE(due, 0) << "a group written inside the interval waits for a sync";
  EXPECT_LE(due, monotonic_now() + o.sync_interval);
  w.sync_if_due();  // not yet due
  EXPECT_EQ(w.sync_deadline(), due);
  while (monotonic_now() < due) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  w.sync_if_due();
  EXPECT_EQ(w.sync_deadline(), 0) << "synced once due, with no record after it";
}

TEST(JournalWriter, OnlyIntervalDurabilityHasASyncDeadline) {
  for (const Durability d : {Durability::kEveryCommit, Durability::kOsBuffered}) {
    TempDir dir;
    WriterOptions o = Options(dir.path());
    o.durability = d;
    JournalWriter w(o);
    w.append(QuoteEvent(0), 0);
    w.commit();
    EXPECT_EQ(w.sync_deadline(), 0) << static_cast<int>(d);
  }
}

TEST(JournalRecovery, TornTailIsCutBackToTheLastCompleteRecordAndReported) {
  TempDir dir;
  WriteQuotes(dir.path(), 20);
  const auto seg = list_segments(dir.path()).front();
  auto bytes = ReadAll(seg);
  bytes.resize(bytes.size() - 30);  // the last record lost its end, as in a crash mid-write
  WriteAll(seg, bytes);

  EXPECT_FALSE(verify_journal(dir.path()).ok());
  RecoveryReport report;
  {
    JournalWriter w(Options(dir.path()), &report);
    EXPECT_EQ(report.last_sequence, 19u);
    EXPECT_EQ(report.cut_bytes, kQuoteRecord - 30);
    EXPECT_NE(report.cut_reason.find(seg.filename().string()), std::string::npos);
    EXPECT_NE(report.cut_reason.find("sequence 20"), std::string::npos) << report.cut_reason;
    EXPECT_EQ(w.append(QuoteEvent(99), 99), 20u);  // the sequence continues
    w.commit();
  }
  const VerifyReport r = verify_journal(dir.path());
  EXPECT_TRUE(r.ok()) << describe(r.problems.front());
  EXPECT_EQ(r.last_sequence, 20u);
}

TEST(JournalRecovery, DamageInsideTheJournalIsRefusedNotCut) {
  TempDir dir;
  WriteQuotes(dir.path(), 20);
  const auto seg = list_segments(dir.path()).front();
  auto bytes = ReadAll(seg);
  bytes[RecordOffset(5) + sizeof(RecordHeader) + 10] ^= 0x01;
  WriteAll(seg, bytes);
  try {
    JournalWriter w(Options(dir.path()));
    FAIL() << "a damaged journal was opened for append";
  } catch (const JournalError& e) {
    EXPECT_NE(std::string(e.what()).find("sequence 5"), std::string::npos) << e.what();
  }
  EXPECT_EQ(ReadAll(seg), bytes);  // nothing was cut
}

// Each tampering is found, with the right segment, byte offset and sequence.
struct Tamper {
  const char* name;
  void (*apply)(std::vector<char>&);
  uint64_t sequence;
  size_t offset;
  const char* what;
};

const Tamper kTampers[] = {
    {"FlippedPayloadBit",
     [](std::vector<char>& b) { b[RecordOffset(7) + sizeof(RecordHeader) + 3] ^= 0x10; }, 7,
     RecordOffset(7), "hash"},
    {"FlippedHashBit", [](std::vector<char>& b) { b[RecordOffset(3) + kQuoteRecord - 1] ^= 0x01; },
     3, RecordOffset(3), "hash"},
    {"DeletedRecord",
     [](std::vector<char>& b) {
       b.erase(b.begin() + static_cast<long>(RecordOffset(4)),
               b.begin() + static_cast<long>(RecordOffset(5)));
     },
     4, RecordOffset(4), "sequence"},
    {"InsertedRecordCopy",
     [](std::vector<char>& b) {
       std::vector<char> copy(b.begin() + static_cast<long>(RecordOffset(2)),
                              b.begin() + static_cast<long>(RecordOffset(3)));
       b.insert(b.begin() + static_cast<long>(RecordOffset(6)), copy.begin(), copy.end());
     },
     6, RecordOffset(6), "sequence"},
    {"SwappedRecords",
     [](std::vector<char>& b) {
       std::vector<char> r8(b.begin() + static_cast<long>(RecordOffset(8)),
                            b.begin() + static_cast<long>(RecordOffset(9)));
       std::vector<char> r9(b.begin() + static_cast<long>(RecordOffset(9)),
                            b.begin() + static_cast<long>(RecordOffset(10)));
       std::copy(r9.begin(), r9.end(), b.begin() + static_cast<long>(RecordOffset(8)));
       std::copy(r8.begin(), r8.end(), b.begin() + static_cast<long>(RecordOffset(9)));
     },
     8, RecordOffset(8), "sequence"},
    {"RewrittenSequenceField", [](std::vector<char>& b) { b[RecordOffset(10) + 8] ^= 0x01; }, 10,
     RecordOffset(10), "sequence"},
};

class JournalTamper : public ::testing::TestWithParam<Tamper> {};

TEST_P(JournalTamper, IsReportedWithSegmentOffsetAndSequence) {
  TempDir dir;
  WriteQuotes(dir.path(), 20);
  const auto seg = list_segments(dir.path()).front();
  auto bytes = ReadAll(seg);
  GetParam().apply(bytes);
  WriteAll(seg, bytes);
  const VerifyReport r = verify_journal(dir.path());
  ASSERT_FALSE(r.ok());
  const Problem& p = r.problems.front();
  EXPECT_EQ(p.segment, seg.filename().string());
  EXPECT_EQ(p.sequence, GetParam().sequence) << describe(p);
  EXPECT_EQ(p.offset, GetParam().offset) << describe(p);
  EXPECT_NE(p.what.find(GetParam().what), std::string::npos) << describe(p);
}

INSTANTIATE_TEST_SUITE_P(Cases, JournalTamper, ::testing::ValuesIn(kTampers),
                         [](const ::testing::TestParamInfo<Tamper>& param_info) {
                           return param_info.param.name;
                         });

// A segment large enough to be checked by several threads while the framing walk is still
// going: an altered record is found wherever it is (first record, a chunk boundary, the middle,
// the last record), and of two altered records the earlier one is reported.
TEST(JournalVerify, ParallelCheckOfALargeSegmentReportsTheEarliestAlteredRecord) {
  constexpr uint64_t kRecords = 120'000;  // about 18 MB in one segment
  TempDir dir;
  WriteQuotes(dir.path(), kRecords, 64ull << 20);
  const auto seg = list_segments(dir.path()).front();
  const auto original = ReadAll(seg);
  ASSERT_GT(original.size(), 8u << 20);
  ASSERT_TRUE(verify_journal(dir.path()).ok());
  const std::vector<std::vector<uint64_t>> cases = {
      {1}, {4096}, {4097}, {61'234}, {kRecords}, {90'000, 5'000}, {70'000, 70'001}};
  for (const auto& altered : cases) {
    auto bytes = original;
    for (uint64_t sequence : altered) bytes[RecordOffset(sequence) + 60] ^= 0x10;
    WriteAll(seg, bytes);
    const VerifyReport r = verify_journal(dir.path());
    ASSERT_FALSE(r.ok());
    const uint64_t earliest = *std::min_element(altered.begin(), altered.end());
    EXPECT_EQ(r.problems.front().sequence, earliest) << describe(r.problems.front());
    EXPECT_EQ(r.problems.front().offset, RecordOffset(earliest));
    EXPECT_EQ(r.records, earliest - 1);
  }
  WriteAll(seg, original);
  EXPECT_TRUE(verify_journal(dir.path()).ok());
}

TEST(JournalVerify, DeletedMiddleSegmentBreaksTheChain) {
  TempDir dir;
  WriteQuotes(dir.path(), 600, 8 * 1024);
  const auto segments = list_segments(dir.path());
  ASSERT_GT(segments.size(), 3u);
  std::filesystem::remove(segments[1]);
  const VerifyReport r = verify_journal(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems.front().segment, segments[2].filename().string());
  EXPECT_NE(r.problems.front().what.find("chain broken"), std::string::npos);
}

TEST(JournalVerify, DeletedLastClosedSegmentIsCaughtByTheManifest) {
  TempDir dir;
  WriteQuotes(dir.path(), 600, 8 * 1024);
  auto segments = list_segments(dir.path());
  ASSERT_GT(segments.size(), 2u);
  // Remove the open segment and the last closed one: what is left is a valid chain, shorter.
  std::filesystem::remove(segments.back());
  std::filesystem::remove(segments[segments.size() - 2]);
  const VerifyReport r = verify_journal(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems.back().segment, segments[segments.size() - 2].filename().string());
  EXPECT_NE(r.problems.back().what.find("missing"), std::string::npos);
}

TEST(JournalVerify, TruncatedClosedSegmentIsCaughtByTheManifest) {
  TempDir dir;
  WriteQuotes(dir.path(), 600, 8 * 1024);
  const auto segments = list_segments(dir.path());
  ASSERT_GT(segments.size(), 2u);
  auto bytes = ReadAll(segments[0]);
  bytes.resize(bytes.size() - kQuoteRecord);  // a whole record cut cleanly off a closed segment
  WriteAll(segments[0], bytes);
  const VerifyReport r = verify_journal(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems.front().segment, segments[0].filename().string());
}

TEST(JournalVerify, NotAJournalIsSaidSo) {
  TempDir dir;
  WriteAll(dir.path() / segment_file_name(1), std::vector<char>(200, 'x'));
  const VerifyReport r = verify_journal(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.front().what.find("magic"), std::string::npos);
  EXPECT_FALSE(verify_journal(dir.path() / "nope").ok());
}

}  // namespace
}  // namespace guiju::journal

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/journal/journal_service.hpp"

namespace guiju::journal {
namespace {

// Writes a fresh Ed25519 key pair as PEM files.
void MakeKeys(const std::filesystem::path& private_pem, const std::filesystem::path& public_pem) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ASSERT_NE(key, nullptr);
  FILE* f = std::fopen(private_pem.c_str(), "w");
  ASSERT_NE(f, nullptr);
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  f = std::fopen(public_pem.c_str(), "w");
  ASSERT_NE(f, nullptr);
  PEM_write_PUBKEY(f, key);
  std::fclose(f);
  EVP_PKEY_free(key);
}

void WriteSigned(const std::filesystem::path& dir, const std::filesystem::path& key, uint64_t n,
                 uint64_t salt) {
  CheckpointOptions checkpoints;
  checkpoints.private_key = key;
  checkpoints.interval = 3600 * kSecond;  // the final head is signed at stop
  JournalService service(Options(dir), 1 << 10, nullptr, checkpoints);
  for (uint64_t i = 0; i < n; ++i) service.record(QuoteEvent(i * salt), static_cast<Timestamp>(i));
  service.stop();
}

TEST(JournalCheckpoints, SignedHeadVerifiesWithThePublicKey) {
  TempDir dir;
  TempDir keys;
  MakeKeys(keys.path() / "k.pem", keys.path() / "k.pub");
  WriteSigned(dir.path(), keys.path() / "k.pem", 300, 1);
  const CheckpointVerifier verifier(keys.path() / "k.pub");
  const VerifyReport r = verify_journal(dir.path(), &verifier);
  EXPECT_TRUE(r.ok()) << describe(r.problems.front());
  EXPECT_EQ(r.checkpoints, 1u);
  EXPECT_EQ(r.checkpoints_verified, 1u);
}

TEST(JournalCheckpoints, ARewrittenConsistentJournalIsCaught) {
  TempDir dir;
  TempDir forged;
  TempDir keys;
  MakeKeys(keys.path() / "k.pem", keys.path() / "k.pub");
  WriteSigned(dir.path(), keys.path() / "k.pem", 300, 1);
  // A forger rebuilds the whole journal with other records: its chain and manifest are
  // consistent, so verification without the key cannot tell. The signed checkpoint can.
  {
    JournalWriter w(Options(forged.path()));
    for (uint64_t i = 0; i < 300; ++i) w.append(QuoteEvent(i + 1000), static_cast<Timestamp>(i));
    w.commit();
  }
  for (const auto& seg : list_segments(forged.path())) {
    std::filesystem::copy_file(seg, dir.path() / seg.filename(),
                               std::filesystem::copy_options::overwrite_existing);
  }
  const VerifyReport unsigned_check = verify_journal(dir.path());
  EXPECT_TRUE(unsigned_check.ok());
  const CheckpointVerifier verifier(keys.path() / "k.pub");
  const VerifyReport r = verify_journal(dir.path(), &verifier);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.front().what.find("rewritten"), std::string::npos)
      << describe(r.problems.front());
}

TEST(JournalCheckpoints, TruncatedJournalBelowASignedHeadIsCaught) {
  TempDir dir;
  TempDir keys;
  MakeKeys(keys.path() / "k.pem", keys.path() / "k.pub");
  WriteSigned(dir.path(), keys.path() / "k.pem", 300, 1);
  const auto seg = list_segments(dir.path()).front();
  auto bytes = ReadAll(seg);
  bytes.resize(bytes.size() - 10 * kQuoteRecord);  // ten whole records removed cleanly
  WriteAll(seg, bytes);
  const CheckpointVerifier verifier(keys.path() / "k.pub");
  const VerifyReport r = verify_journal(dir.path(), &verifier);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.back().what.find("records were removed"), std::string::npos)
      << describe(r.problems.back());
}

TEST(JournalCheckpoints, AnotherKeyOrAnAlteredSignatureDoesNotVerify) {
  TempDir dir;
  TempDir keys;
  MakeKeys(keys.path() / "k.pem", keys.path() / "k.pub");
  MakeKeys(keys.path() / "other.pem", keys.path() / "other.pub");
  WriteSigned(dir.path(), keys.path() / "k.pem", 50, 1);
  const CheckpointVerifier other(keys.path() / "other.pub");
  VerifyReport r = verify_journal(dir.path(), &other);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.front().what.find("signature does not verify"), std::string::npos);

  auto text = ReadAll(dir.path() / "CHECKPOINTS");
  text[text.size() - 3] = text[text.size() - 3] == '0' ? '1' : '0';
  WriteAll(dir.path() / "CHECKPOINTS", text);
  const CheckpointVerifier right(keys.path() / "k.pub");
  r = verify_journal(dir.path(), &right);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.front().what.find("signature does not verify"), std::string::npos);
}

TEST(JournalCheckpoints, AKeyThatIsNotEd25519IsRefusedByName) {
  TempDir keys;
  std::ofstream(keys.path() / "junk.pem") << "not a key\n";
  try {
    CheckpointSigner signer(keys.path() / "junk.pem");
    FAIL() << "junk accepted as a key";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("junk.pem"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace guiju::journal
