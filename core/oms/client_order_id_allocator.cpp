#include "core/oms/client_order_id_allocator.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace guiju {

namespace {

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

[[noreturn]] void io_error(const std::filesystem::path& p, const std::string& what) {
  throw std::runtime_error(p.string() + ": " + what + ": " +
                           std::error_code(errno, std::generic_category()).message());
}

void fsync_path(const std::filesystem::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags);
  if (fd < 0) io_error(p, "cannot open for fsync");
  if (::fsync(fd) != 0) {
    ::close(fd);
    io_error(p, "fsync failed");
  }
  ::close(fd);
}

}  // namespace

std::string validate_trading_date(const std::string& date) {
  if (date.size() != 8) return "expected YYYYMMDD (8 digits)";
  for (char c : date) {
    if (c < '0' || c > '9') return "expected YYYYMMDD (digits only)";
  }
  const int y = std::stoi(date.substr(0, 4));
  const int m = std::stoi(date.substr(4, 2));
  const int d = std::stoi(date.substr(6, 2));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || m < 1 || m > 12) return "not a calendar date";
  const int days = kDays[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
  if (d < 1 || d > days) return "not a calendar date";
  return {};
}

ClientOrderIdAllocator::ClientOrderIdAllocator(std::string prefix, std::string trading_date,
                                               OrderId first_id)
    : prefix_(std::move(prefix)), trading_date_(std::move(trading_date)), next_(first_id) {
  if (prefix_.size() > 8) throw std::invalid_argument("client order id prefix longer than 8");
  if (const std::string why = validate_trading_date(trading_date_); !why.empty()) {
    throw std::invalid_argument("trading date '" + trading_date_ + "': " + why);
  }
  if (first_id == kNoOrder) throw std::invalid_argument("order ids start at 1");
  const std::string stem = prefix_ + trading_date_ + "-";
  stem_.assign(stem);
  stem_len_ = stem.size();
}

ClientOrderIdAllocator ClientOrderIdAllocator::open_persistent(std::filesystem::path state_file,
                                                               std::string prefix,
                                                               std::string trading_date,
                                                               uint64_t block) {
  if (block == 0) throw std::invalid_argument("order id block must be positive");
  OrderId start = 1;
  std::map<std::string, OrderId> high_water;
  std::ifstream in(state_file);
  if (in) {
    std::string line;
    int line_no = 0;
    bool found = false;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::string date;
      std::string counter;
      std::string rest;
      uint64_t reserved = 0;
      const bool shaped = (fields >> date >> counter) && !(fields >> rest);
      const char* end = counter.data() + counter.size();
      const bool numeric = shaped && !counter.empty() &&
                           std::from_chars(counter.data(), end, reserved).ptr == end &&
                           counter.find_first_not_of("0123456789") == std::string::npos;
      if (!numeric || !validate_trading_date(date).empty() || reserved == 0 ||
          reserved > kMaxCounter) {
        throw std::runtime_error(state_file.string() + ":" + std::to_string(line_no) +
                                 ": expected '<YYYYMMDD> <next unreserved order id>', got '" +
                                 line + "'");
      }
      if (date == trading_date) start = reserved;
      high_water[date] = reserved;
      found = true;
    }
    if (!found) throw std::runtime_error(state_file.string() + ": empty order id state file");
  } else if (std::filesystem::exists(state_file)) {
    io_error(state_file, "cannot read order id state");
  }
  ClientOrderIdAllocator a(std::move(prefix), std::move(trading_date), start);
  a.block_ = block;
  a.state_file_ = std::move(state_file);
  a.reserved_end_ = start;  // nothing reserved yet: the first next() reserves a block
  a.other_dates_ = std::move(high_water);
  a.other_dates_.erase(a.trading_date_);
  return a;
}

void ClientOrderIdAllocator::reserve_through(OrderId limit) {
  const auto dir =
      state_file_.has_parent_path() ? state_file_.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto tmp = std::filesystem::path(state_file_.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) io_error(tmp, "cannot write order id state");
    // Every date's mark is kept: a session for an earlier date must not reuse its ids either.
    out << "# next unreserved client order id counter per trading date; never edit down\n";
    for (const auto& [date, mark] : other_dates_) out << date << ' ' << mark << '\n';
    out << trading_date_ << ' ' << limit << '\n';
    out.flush();
    if (!out) io_error(tmp, "cannot write order id state");
  }
  fsync_path(tmp, O_RDONLY);
  if (std::rename(tmp.c_str(), state_file_.c_str()) != 0) io_error(state_file_, "rename failed");
  fsync_path(dir, O_RDONLY | O_DIRECTORY);
  reserved_end_ = limit;
}

OrderId ClientOrderIdAllocator::next() {
  if (block_ != 0 && next_ >= reserved_end_) {
    if (next_ > kMaxCounter - block_) {
      throw std::overflow_error(state_file_.string() + ": client order id counter exhausted");
    }
    reserve_through(next_ + block_);
  }
  return next_++;
}

void ClientOrderIdAllocator::format(OrderId id, ClientOrderId& out) const {
  out = stem_;
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + id % 10);
    id /= 10;
  } while (id != 0);
  size_t pos = stem_len_;
  while (n > 0 && pos < ClientOrderId::kCapacity) out.bytes[pos++] = digits[--n];
}

}  // namespace guiju
