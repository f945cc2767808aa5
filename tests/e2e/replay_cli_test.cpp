// End-to-end tests of `guiju replay`: the data named on the command line or in the config,
// windows and pacing, the HTML report, a journal that names its data by hash instead of copying
// it, the re-run of such a journal, and bad data and bad arguments. Each test starts the real
// binary and waits for it.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "tests/support/guiju_cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using guiju::test::read_config;
using guiju::test::read_file;
using guiju::test::reference_data_dir;
using guiju::test::run_guiju;
using guiju::test::TempDir;
using Result = guiju::test::CommandResult;

// The demo config with an audit journal in `journal` (relative to where it runs).
std::string DemoConfigWithJournal(const std::string& journal) {
  return std::regex_replace(
      read_config("demo.yaml"), std::regex("\nplugins:"),
      "\naudit:\n  directory: " + journal + "\n  durability: os_buffered\n\nplugins:");
}

// A shipped config whose data paths (../shared/data/...) point at the reference data.
std::string WithDataDir(const TempDir& dir, const std::string& name) {
  const std::string text = std::regex_replace(read_config(name), std::regex("\\.\\./shared/data"),
                                              reference_data_dir().string());
  return dir.file(name, text);
}

std::string summary_without_wall_clock(const std::string& output) {
  return std::regex_replace(
      output,
      std::regex("throughput[^\n]*\n|report [^\n]*\n|strategy [^\n]*over the time budget[^\n]*\n"),
      "");
}

uint64_t count_of(const std::string& output, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(output, m, std::regex(pattern))) return 0;
  return std::stoull(m[1]);
}

TEST(ReplayCli, TwoReplaysGiveIdenticalJournalsAndReportsAndTheJournalNamesItsData) {
  TempDir dir;
  std::vector<std::string> journals;
  std::vector<std::string> reports;
  std::vector<std::string> summaries;
  // Each run in a directory of its own, with the same relative paths: the same config bytes.
  const std::string config_text = DemoConfigWithJournal("journal");
  for (const char* run : {"a", "b"}) {
    const fs::path where = dir.path() / run;
    fs::create_directories(where);
    std::ofstream(where / "demo.yaml") << config_text;
    const Result r =
        guiju::test::run_command({"/bin/sh", "-c",
                                  "cd " + guiju::test::shell_quote(where.string()) + " && " +
                                      guiju::test::shell_quote(GUIJU_BINARY) +
                                      " replay --config demo.yaml --quiet --report report.html"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("report           " + (where / "report.html").string()),
              std::string::npos)
        << r.output;
    std::string all;
    for (const auto& f : fs::directory_iterator(where / "journal")) {
      all += f.path().filename().string() + ":" + read_file(f.path().string()) + "\n";
    }
    journals.push_back(all);
    reports.push_back(read_file((where / "report.html").string()));
    summaries.push_back(summary_without_wall_clock(r.output));
  }
  EXPECT_TRUE(journals[0] == journals[1]) << "the two replays wrote different journals";
  EXPECT_TRUE(reports[0] == reports[1]) << "the two replays wrote different reports";
  EXPECT_EQ(std::regex_replace(summaries[0], std::regex("/a/"), "/"),
            std::regex_replace(summaries[1], std::regex("/b/"), "/"));
  EXPECT_NE(reports[0].find("<svg"), std::string::npos);
  EXPECT_EQ(reports[0].find("http://"), std::string::npos) << "the report must be self-contained";
  EXPECT_EQ(reports[0].find("https://"), std::string::npos) << "the report must be self-contained";

  // The journal holds decisions and the venue's reports, and the data's identity, not the data.
  const std::string journal = (dir.path() / "a" / "journal").string();
  const Result quotes = run_guiju({"audit", "query", journal, "--type", "quote"});
  EXPECT_EQ(quotes.output.find("quote"), std::string::npos) << quotes.output.substr(0, 2000);
  const Result source = run_guiju({"audit", "query", journal, "--type", "data_source"});
  EXPECT_NE(source.output.find("format=synthetic"), std::string::npos) << source.output;
  EXPECT_NE(source.output.find("sha256="), std::string::npos) << source.output;
  const Result verify = run_guiju({"audit", "verify", journal});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;

  // The re-run replays the same data (its hash checked) and matches every record; a changed
  // parameter is found.
  const std::string config = (dir.path() / "a" / "demo.yaml").string();
  const Result same = run_guiju({"replay", "--rerun", journal, "--config", config});
  EXPECT_EQ(same.exit_code, 0) << same.output;
  EXPECT_NE(same.output.find("zero divergence"), std::string::npos) << same.output;
  EXPECT_GT(count_of(same.output, R"((\d+) matched)"), 10'000u) << same.output;
  const std::string changed =
      dir.file("changed.yaml",
               std::regex_replace(read_file(config), std::regex("entry_bps: 15"), "entry_bps: 16"));
  const Result diverged = run_guiju({"replay", "--rerun", journal, "--config", changed});
  EXPECT_EQ(diverged.exit_code, 1) << diverged.output;
  EXPECT_NE(diverged.output.find("DIVERGED"), std::string::npos) << diverged.output;
  // Other synthetic parameters are other data: refused by hash before anything runs.
  const std::string reseeded = dir.file(
      "reseeded.yaml",
      std::regex_replace(read_file(config), std::regex("seed: 20261127"), "seed: 20261128"));
  const Result other = run_guiju({"replay", "--rerun", journal, "--config", reseeded});
  EXPECT_EQ(other.exit_code, 1) << other.output;
  EXPECT_NE(other.output.find("the data differs from what the journal recorded"), std::string::npos)
      << other.output;
}

TEST(ReplayCli, AWindowReplaysOnlyItsMarketTime) {
  TempDir dir;
  const std::string config = dir.file("demo.yaml", read_config("demo.yaml"));
  // 10:00 to 10:30 China time on the trading date = 02:00 to 02:30 UTC.
  const Result r = run_guiju(
      {"replay", "--config", config, "--quiet", "--no-report", "--from", "10:00", "--to", "10:30"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.output, m,
      std::regex(R"(market time\s+2026-11-27T(\d\d:\d\d).* \.\. 2026-11-27T(\d\d:\d\d))")))
      << r.output;
  EXPECT_EQ(m[1], "02:00");
  EXPECT_EQ(m[2], "02:29");
  const Result iso = run_guiju({"replay", "--config", config, "--quiet", "--no-report", "--from",
                                "2026-11-27T02:00:00Z", "--to", "2026-11-27T02:30:00Z"});
  ASSERT_EQ(iso.exit_code, 0) << iso.output;
  EXPECT_EQ(summary_without_wall_clock(iso.output), summary_without_wall_clock(r.output));
}

TEST(ReplayCli, SpeedPacesToTheWallClockWithoutChangingTheResult) {
  TempDir dir;
  const std::string config = dir.file("demo.yaml", read_config("demo.yaml"));
  // Ten seconds of market time at 10x: at least one second of wall time.
  const std::vector<std::string> window = {"--from", "10:00:00", "--to", "10:00:10"};
  std::vector<std::string> paced = {"replay",      "--config", config, "--quiet",
                                    "--no-report", "--speed",  "10x"};
  paced.insert(paced.end(), window.begin(), window.end());
  const auto t0 = std::chrono::steady_clock::now();
  const Result slow = run_guiju(paced);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(slow.exit_code, 0) << slow.output;
  EXPECT_GE(wall, 0.9);
  std::vector<std::string> fast = {"replay", "--config", config, "--quiet", "--no-report"};
  fast.insert(fast.end(), window.begin(), window.end());
  const Result max = run_guiju(fast);
  ASSERT_EQ(max.exit_code, 0) << max.output;
  EXPECT_EQ(summary_without_wall_clock(slow.output), summary_without_wall_clock(max.output));
}

// On a terminal (here a pseudo-terminal from script(1)), a replay longer than two seconds shows a
// progress bar on standard error; piped, as in every other test, it shows none.
TEST(ReplayCli, ALongReplayOnATerminalShowsAProgressBar) {
  if (!fs::exists("/usr/bin/script")) GTEST_SKIP() << "no script(1) to give the replay a terminal";
  TempDir dir;
  const std::string config = dir.file("demo.yaml", read_config("demo.yaml"));
  const std::string command = guiju::test::shell_quote(GUIJU_BINARY) + " replay --config " +
                              guiju::test::shell_quote(config) +
                              " --quiet --no-report --from 10:00:00 --to 10:00:03 --speed 1x";
  const Result r = guiju::test::run_command({"/usr/bin/script", "-qec", command, "/dev/null"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("replay ["), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("events/s"), std::string::npos) << r.output;
  const Result piped = run_guiju({"replay", "--config", config, "--quiet", "--no-report", "--from",
                                  "10:00:00", "--to", "10:00:03", "--speed", "1x"});
  ASSERT_EQ(piped.exit_code, 0) << piped.output;
  EXPECT_EQ(piped.output.find("replay ["), std::string::npos) << piped.output;
}

TEST(ReplayCli, BadArgumentsAreRefusedWithTheirReason) {
  TempDir dir;
  const std::string config = dir.file("demo.yaml", read_config("demo.yaml"));
  const Result format = run_guiju({"replay", "--config", config, "--data", "parquet:x.parquet"});
  EXPECT_EQ(format.exit_code, 2) << format.output;
  EXPECT_NE(format.output.find("unknown data format 'parquet'"), std::string::npos)
      << format.output;
  const Result path = run_guiju({"replay", "--config", config, "--data", "lean"});
  EXPECT_EQ(path.exit_code, 2) << path.output;
  EXPECT_NE(path.output.find("needs a path"), std::string::npos) << path.output;
  const Result missing =
      run_guiju({"replay", "--config", config, "--no-report", "--data", "lean:nowhere.zip"});
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("lean:nowhere.zip: no such file"), std::string::npos)
      << missing.output;
  const Result speed = run_guiju({"replay", "--config", config, "--speed", "fast"});
  EXPECT_EQ(speed.exit_code, 2) << speed.output;
  EXPECT_NE(speed.output.find("--speed fast"), std::string::npos) << speed.output;
  const Result from = run_guiju({"replay", "--config", config, "--from", "25:00"});
  EXPECT_EQ(from.exit_code, 2) << from.output;
  EXPECT_NE(from.output.find("--from 25:00"), std::string::npos) << from.output;
  const Result order =
      run_guiju({"replay", "--config", config, "--from", "11:00", "--to", "10:00"});
  EXPECT_EQ(order.exit_code, 2) << order.output;
  // In the config: the entry is named with its line.
  std::string text = read_config("demo.yaml");
  text += "\ndata:\n  sources: [synthetic, \"tick:x.csv\"]\n";
  const Result entry = run_guiju({"replay", "--config", dir.file("bad.yaml", text)});
  EXPECT_EQ(entry.exit_code, 2) << entry.output;
  EXPECT_NE(entry.output.find("data.sources[1]"), std::string::npos) << entry.output;
  EXPECT_NE(entry.output.find("bad.yaml:"), std::string::npos) << entry.output;
}

TEST(ReplayCli, AMalformedRowStopsTheReplayOrIsSkippedAndReportedPerTheFlag) {
  TempDir dir;
  std::string csv = "timestamp,bid,ask\n";
  csv += "2013-01-01 22:00:00.295000+00:00,86.655,86.728\n";
  csv += "2013-01-01 22:00:00.400000+00:00,86.6x5,86.728\n";
  csv += "2013-01-01 22:00:01.000000+00:00,86.650,86.720\n";
  const std::string file = dir.file("usdjpy.csv", csv);
  std::string text = R"(mode: replay
trading_date: "20130101"
instruments:
  - { symbol: "USDJPY", venue: FX, tick_size: "0.001", lot_size: 1000, board: other, currency: JPY, previous_close: "86.70" }
accounts:
  - { name: fx }
data:
  sources: [ "truefx:)" +
                     file + R"(" ]
  on_bad_row: POLICY
)";
  const std::string stop =
      dir.file("stop.yaml", std::regex_replace(text, std::regex("POLICY"), "stop"));
  const Result stopped = run_guiju({"replay", "--config", stop, "--no-report"});
  EXPECT_EQ(stopped.exit_code, 1) << stopped.output;
  EXPECT_NE(stopped.output.find("usdjpy.csv"), std::string::npos) << stopped.output;
  EXPECT_NE(stopped.output.find(":3"), std::string::npos) << stopped.output;
  const std::string skip =
      dir.file("skip.yaml", std::regex_replace(text, std::regex("POLICY"), "skip"));
  const Result skipped = run_guiju({"replay", "--config", skip, "--no-report"});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.output;
  EXPECT_NE(skipped.output.find("1 malformed rows SKIPPED"), std::string::npos) << skipped.output;
  EXPECT_NE(skipped.output.find("2 quotes"), std::string::npos) << skipped.output;
}

// A user's own CSV, described by the config's data.csv mapping; a mapping that cannot describe
// a file is a config error naming the field.
TEST(ReplayCli, AUsersOwnCsvReplaysThroughTheConfiguredMapping) {
  TempDir dir;
  std::string csv = "ms,px,qty,venue\n";
  for (int i = 0; i < 50; ++i) {
    csv +=
        std::to_string(34'200'000 + i * 1000) + "," + std::to_string(100 + i % 3) + ".25,100,X\n";
  }
  const std::string file = dir.file("trades.csv", csv);
  const std::string text = R"(mode: replay
trading_date: "20240102"
instruments:
  - { symbol: "ACME", venue: X, tick_size: "0.01", lot_size: 1, board: other, currency: USD, previous_close: "100" }
accounts:
  - { name: a }
data:
  sources: [ "csv:)" + file +
                           R"(" ]
  instrument: ACME
  csv:
    header: true
    kind: trades
    time: { column: ms, format: ms_of_day, utc_offset: "-05:00" }
    columns: { price: px, size: 1 }
)";
  const Result r = run_guiju({"replay", "--config", dir.file("csv.yaml", text), "--no-report"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("50 trades"), std::string::npos) << r.output;
  // 09:30 New York winter time is 14:30 UTC.
  EXPECT_NE(r.output.find("2024-01-02T14:30:00.000000000Z"), std::string::npos) << r.output;

  const std::string bad = std::regex_replace(
      text, std::regex("columns: \\{ price: px, size: 1 \\}"), "columns: { size: 1 }");
  const Result refused = run_guiju({"replay", "--config", dir.file("bad.yaml", bad)});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("data.csv"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("columns.price"), std::string::npos) << refused.output;
}

TEST(ReplayCli, RecordedUsEquityTicksReplayWithASampleStrategy) {
  if (!fs::exists(reference_data_dir() / "lean")) {
    GTEST_SKIP() << "no reference data at " << reference_data_dir();
  }
  TempDir dir;
  const std::string config = WithDataDir(dir, "lean-ibm.yaml");
  const Result r = run_guiju({"replay", "--config", config, "--quiet", "--no-report"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("24293 trades"), std::string::npos) << r.output;
  EXPECT_GT(count_of(r.output, R"((\d+) quotes)"), 100'000u) << r.output;
  EXPECT_NE(r.output.find("2013-10-07T08:00:00"), std::string::npos) << r.output;
  EXPECT_GT(count_of(r.output, R"(orders\s+(\d+) sent)"), 0u) << r.output;
}

TEST(ReplayCli, ARecordedCryptoStreamReplaysWithTheMarketMaker) {
  const fs::path file = reference_data_dir() / "hftbacktest" / "spot" / "btcusdt_20240808.gz";
  if (!fs::exists(file)) GTEST_SKIP() << "no reference data at " << file;
  TempDir dir;
  const std::string config = WithDataDir(dir, "binance-btcusdt.yaml");
  const Result r = run_guiju({"replay", "--config", config, "--quiet", "--no-report"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("9757 trades"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("28040 quotes"), std::string::npos) << r.output;
  EXPECT_GT(count_of(r.output, R"((\d+) book updates)"), 1'000u) << r.output;
}

TEST(ReplayCli, AJournalOfAPaperSessionIsADataSource) {
  TempDir dir;
  // A short paper session records its market data; a replay trades on it.
  const std::string paper = guiju::test::paper_config_text(dir, 2, "interval");
  const Result recorded = run_guiju({"run", "--config", dir.file("paper.yaml", paper), "-q"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.output;
  const uint64_t quotes = count_of(recorded.output, R"((\d+) quotes)");
  ASSERT_GT(quotes, 0u) << recorded.output;

  std::string replay = std::regex_replace(paper, std::regex("mode: paper"), "mode: replay");
  replay = std::regex_replace(replay, std::regex("\naudit:\n(  [^\n]*\n)*"), "\n");
  const std::string config = dir.file("replay.yaml", replay);
  const Result r = run_guiju({"replay", "--config", config, "--quiet", "--no-report", "--data",
                              "journal:" + (dir.path() / "journal").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(count_of(r.output, R"((\d+) quotes)"), quotes) << r.output;
}

}  // namespace
