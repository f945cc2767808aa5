// The control plane's parts that need no engine or network: CURVE key files, the operators'
// allow-list, the command table and its roles, and the engine mailbox's hand-over.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/control/control_protocol.hpp"
#include "core/control/curve_key.hpp"
#include "core/control/operator_allow_list.hpp"
#include "core/engine/engine_mailbox.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::control {
namespace {

using guiju::test::TempDir;
using namespace std::chrono_literals;

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CurveKey, KeygenWritesASecretFileOnlyItsOwnerReadsAndAPublicFile) {
  TempDir dir;
  const CurveKeyPair pair = generate_key_pair("alice");
  const auto secret = write_key_files(pair, dir.path());
  struct stat st {};
  ASSERT_EQ(stat(secret.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const CurveKeyPair back = read_key_file(secret);
  EXPECT_EQ(back.name, "alice");
  EXPECT_EQ(back.public_key, pair.public_key);
  EXPECT_EQ(back.secret_key, pair.secret_key);
  const CurveKeyPair pub = read_key_file(dir.path() / "alice.pub");
  EXPECT_EQ(pub.public_key, pair.public_key);
  EXPECT_FALSE(pub.has_secret());
  // Never overwritten: a key lost by mistake cannot be recovered.
  EXPECT_NE(ErrorOf([&] {
              write_key_files(generate_key_pair("alice"), dir.path());
            }).find("cannot create"),
            std::string::npos);
  EXPECT_EQ(read_key_file(secret).public_key, pair.public_key);
}

TEST(CurveKey, BadKeyFilesAreRefusedNamingFileLineAndWhat) {
  TempDir dir;
  const CurveKeyPair a = generate_key_pair("a");
  const CurveKeyPair b = generate_key_pair("b");
  const std::string short_key = dir.file("short.key", "name = x\npublic-key = abc\n");
  EXPECT_NE(ErrorOf([&] { read_key_file(short_key); }).find("short.key:2: public-key is not"),
            std::string::npos);
  const std::string unknown = dir.file("unknown.key", "# c\ncolour = blue\n");
  EXPECT_NE(ErrorOf([&] { read_key_file(unknown); }).find("unknown.key:2: unknown field 'colour'"),
            std::string::npos);
  const std::string mixed = dir.file(
      "mixed.key", "public-key = " + a.public_key + "\nsecret-key = " + b.secret_key + "\n");
  EXPECT_NE(ErrorOf([&] { read_key_file(mixed); }).find("does not belong"), std::string::npos);
  const std::string none = dir.file("none.key", "name = x\n");
  EXPECT_NE(ErrorOf([&] { read_key_file(none); }).find("no public-key"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { read_key_file(dir.path() / "absent.key"); }).find("cannot read"),
            std::string::npos);
}

TEST(CurveKey, Z85RoundTripAndFingerprint) {
  const CurveKeyPair a = generate_key_pair("a");
  const auto bytes = decode_z85_key(a.public_key);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(encode_z85_key(*bytes), a.public_key);
  EXPECT_FALSE(decode_z85_key(a.public_key.substr(1)).has_value());
  EXPECT_EQ(key_fingerprint(a.public_key), a.public_key.substr(0, 8));
}

TEST(OperatorAllowList, ReadsNamesRolesAndKeys) {
  TempDir dir;
  const CurveKeyPair a = generate_key_pair("a");
  const CurveKeyPair b = generate_key_pair("b");
  const std::string path = dir.file("operators", "# name role key\n\nalice operator " +
                                                     a.public_key + "\nrisk-desk read-only " +
                                                     b.public_key + "  # the risk officers\n");
  const OperatorAllowList list = OperatorAllowList::read(path);
  ASSERT_EQ(list.operators().size(), 2u);
  ASSERT_NE(list.find_by_key(a.public_key), nullptr);
  EXPECT_EQ(list.find_by_key(a.public_key)->name, "alice");
  EXPECT_EQ(list.find_by_key(a.public_key)->role, OperatorRole::kOperator);
  EXPECT_EQ(list.find_by_name("risk-desk")->role, OperatorRole::kReadOnly);
  EXPECT_EQ(list.find_by_key(generate_key_pair("c").public_key), nullptr);
}

TEST(OperatorAllowList, BadLinesAreRefusedNamingTheLine) {
  TempDir dir;
  const std::string k1 = generate_key_pair("a").public_key;
  const std::string k2 = generate_key_pair("b").public_key;
  const auto error = [&](const std::string& text) {
    const std::string path = dir.file("operators", text);
    return ErrorOf([&] { OperatorAllowList::read(path); });
  };
  EXPECT_NE(error("alice admin " + k1 + "\n").find("operators:1: unknown role 'admin'"),
            std::string::npos);
  EXPECT_NE(error("# x\nalice operator\n").find("operators:2: expected `name role public-key`"),
            std::string::npos);
  EXPECT_NE(error("alice operator short\n").find("not a CURVE public key"), std::string::npos);
  EXPECT_NE(error("alice operator " + k1 + "\nalice read-only " + k2 + "\n")
                .find("operators:2: operator 'alice' is listed twice"),
            std::string::npos);
  EXPECT_NE(error("alice operator " + k1 + "\nbob read-only " + k1 + "\n")
                .find("already listed for 'alice'"),
            std::string::npos);
  EXPECT_NE(error("al/ice operator " + k1 + "\n").find("operator name 'al/ice'"),
            std::string::npos);
  EXPECT_NE(error("alice operator " + k1 + " extra\n").find("operators:1"), std::string::npos);
}

TEST(ControlProtocol, EveryCommandHasItsRoleAndUnknownOnesAreNone) {
  const auto role = [](std::vector<std::string> words) {
    const CommandSpec* spec = find_command(words);
    return spec == nullptr ? std::string("none") : std::string(to_string(spec->role));
  };
  EXPECT_EQ(role({"status"}), "read-only");
  EXPECT_EQ(role({"strategies"}), "read-only");
  EXPECT_EQ(role({"strategies", "list"}), "read-only");
  EXPECT_EQ(role({"orders"}), "read-only");
  EXPECT_EQ(role({"positions"}), "read-only");
  EXPECT_EQ(role({"risk", "show"}), "read-only");
  EXPECT_EQ(role({"risk", "set", "account", "a", "max_open_orders", "5"}), "operator");
  EXPECT_EQ(role({"risk", "reload"}), "operator");
  EXPECT_EQ(role({"strategies", "pause", "x"}), "operator");
  EXPECT_EQ(role({"strategies", "load", "x"}), "operator");
  EXPECT_EQ(role({"kill"}), "operator");
  EXPECT_EQ(role({"kill", "account", "a"}), "operator");
  EXPECT_EQ(role({"reset"}), "operator");
  EXPECT_EQ(role({"flatten", "strategy", "x"}), "operator");
  EXPECT_EQ(role({"risk"}), "none");
  EXPECT_EQ(role({"strategies", "frobnicate"}), "none");
  EXPECT_EQ(role({"shutdown"}), "none");
  EXPECT_EQ(role({}), "none");
  EXPECT_NE(command_help().find("kill [global | account NAME | strategy NAME]"), std::string::npos);
}

// The engine side polls as its loop would; the control side waits for its task to have run.
TEST(EngineMailbox, RunsTheTaskOnThePollingThreadAndWaitsForIt) {
  EngineMailbox mailbox;
  std::atomic<bool> stop{false};
  std::thread::id engine_thread;
  std::thread engine([&] {
    engine_thread = std::this_thread::get_id();
    while (!stop.load()) mailbox.serve();
  });
  std::thread::id ran_on;
  int runs = 0;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(mailbox.run(
        [&] {
          ran_on = std::this_thread::get_id();
          ++runs;
        },
        5s));
  }
  stop = true;
  engine.join();
  EXPECT_EQ(runs, 100);
  EXPECT_EQ(ran_on, engine_thread);
}

TEST(EngineMailbox, AnEngineThatDoesNotPollLetsTheCallerGoAndNeverRunsTheTaskLate) {
  EngineMailbox mailbox;
  bool ran = false;
  EXPECT_FALSE(mailbox.run([&] { ran = true; }, 20ms));
  mailbox.serve();  // the engine comes back: the withdrawn task is not there
  EXPECT_FALSE(ran);
}

TEST(EngineMailbox, WhatTheTaskThrowsReachesTheCallerNotTheEngine) {
  EngineMailbox mailbox;
  std::atomic<bool> stop{false};
  std::thread engine([&] {
    while (!stop.load()) mailbox.serve();
  });
  EXPECT_THROW(mailbox.run([] { throw std::invalid_argument("no such limit"); }, 5s),
               std::invalid_argument);
  EXPECT_TRUE(mailbox.run([] {}, 5s));  // and the mailbox still works
  stop = true;
  engine.join();
}

}  // namespace
}  // namespace guiju::control
