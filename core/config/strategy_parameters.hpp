#pragma once
// A strategy's parameters from the config, with typed getters. A missing, malformed or unknown
// parameter is a ConfigError naming the file, line, the strategy and the key.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/fixed_point.hpp"

namespace guiju {

class StrategyParameters {
 public:
  struct Entry {
    std::string key;
    std::string value;  // the YAML scalar's text, exactly as written
    int line = 0;
    int column = 0;
    mutable bool used = false;
  };

  StrategyParameters() = default;
  StrategyParameters(std::string file, std::string strategy, int line)
      : file_(std::move(file)), strategy_(std::move(strategy)), line_(line) {}

  void add(Entry e) { entries_.push_back(std::move(e)); }
  bool has(const std::string& key) const { return find(key) != nullptr; }

  int64_t get_int(const std::string& key, int64_t fallback, int64_t min, int64_t max) const;
  double get_double(const std::string& key, double fallback, double min, double max) const;
  bool get_bool(const std::string& key, bool fallback) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  Quantity get_quantity(const std::string& key, Quantity fallback) const;
  Price get_price(const std::string& key, Price fallback) const;

  // Throws for the first parameter no getter asked for (a typo must not pass silently).
  void reject_unused() const;

  const std::vector<Entry>& entries() const { return entries_; }
  const std::string& strategy() const { return strategy_; }
  const std::string& file() const { return file_; }
  int line() const { return line_; }

 private:
  const Entry* find(const std::string& key) const;
  [[noreturn]] void fail(const Entry& e, const std::string& expected) const;

  std::string file_;
  std::string strategy_;
  int line_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace guiju
