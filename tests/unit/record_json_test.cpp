// Tests for core/journal/record_json.hpp, the JSON of `guiju audit export --format jsonl` and of
// the drop-copy feed: what a JSON parser reads back is what the record says, keys in byte order,
// extras added and overriding, and free text of any bytes still a valid line.

#include "core/journal/record_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

namespace guiju::journal {
namespace {

using nlohmann::json;

RecordFields Sample() {
  RecordFields r;
  r.sequence = 42;
  r.type = "execution_report";
  r.engine_time = 1'795'746'601'234'567'890;
  r.event_time = -5;
  r.receive_time = 0;
  r.instrument = 3;
  r.account = 0;
  r.fields = {{"order_id", "7"}, {"last_price", "1700.05"}, {"reason", "ok"}};
  return r;
}

TEST(RecordJson, AParserReadsBackWhatTheRecordSaysInKeyOrder) {
  const std::string line = record_json(Sample());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const json j = json::parse(line);
  EXPECT_EQ(j["sequence"], 42);
  EXPECT_EQ(j["type"], "execution_report");
  EXPECT_EQ(j["engine_time"], 1'795'746'601'234'567'890);
  EXPECT_EQ(j["event_time"], -5);
  EXPECT_EQ(j["instrument"], 3);
  EXPECT_EQ(j["account"], 0);
  EXPECT_FALSE(j.contains("strategy")) << "an id the record does not have is left out";
  EXPECT_EQ(j["last_price"], "1700.05");
  // Byte order of keys, as the export has always written them: the same text as a JSON
  // library's sorted object dumps.
  EXPECT_EQ(line, j.dump());
  EXPECT_TRUE(line.starts_with("{\"account\":0,\"engine_time\":")) << line;
}

TEST(RecordJson, ExtrasAreAddedAndOverrideTheRecordsOwn) {
  const JsonMember extra[] = {
      {"topic", "fill.full"}, {"previous_sequence", "40", true}, {"reason", "replaced"}};
  std::string line;
  append_record_json(line, Sample(), extra);
  const json j = json::parse(line);
  EXPECT_EQ(j["topic"], "fill.full");
  EXPECT_EQ(j["previous_sequence"], 40);
  EXPECT_EQ(j["reason"], "replaced");
  EXPECT_EQ(line.find("\"reason\":\"ok\""), std::string::npos) << line;
}

TEST(RecordJson, AnyBytesOfFreeTextStillMakeOneValidLine) {
  RecordFields r = Sample();
  std::string text = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f é 中 😀";
  text += "\xff";          // never valid
  text += "\xc3";          // a lead byte cut short
  text += "\xed\xa0\x80";  // a surrogate
  text += "\xe0\x80\xaf";  // an overlong '/'
  text += "end";
  r.fields = {{"reason", text}};
  const std::string line = record_json(r);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const json j = json::parse(line);  // throws on invalid UTF-8 or a bad escape
  const std::string back = j["reason"];
  EXPECT_TRUE(back.starts_with("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f é 中 😀")) << back;
  EXPECT_TRUE(back.ends_with("end")) << back;
  EXPECT_NE(back.find("\xEF\xBF\xBD"), std::string::npos) << "bad bytes become U+FFFD";
}

}  // namespace
}  // namespace guiju::journal
