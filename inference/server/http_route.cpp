#include "inference/server/http_route.hpp"

#include <array>
#include <string>

#include "inference/protocol/frame_header.hpp"

namespace guiju::inference {
namespace {

constexpr size_t kMaxSegments = 6;

// Splits a path on '/' (empty segments from "//" or a trailing '/' are dropped). False when it
// has more segments than any endpoint.
bool split(std::string_view path, std::array<std::string_view, kMaxSegments + 1>& out,
           size_t& count) {
  count = 0;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    if (!segment.empty()) {
      if (count == out.size()) return false;
      out[count++] = segment;
    }
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return count <= kMaxSegments;
}

Route refuse(unsigned status, std::string error, const char* allow = "") {
  Route r;
  r.status = status;
  r.error = std::move(error);
  r.allow = allow;
  return r;
}

Route with_method(std::string_view method, const char* wanted, RouteKind kind,
                  std::string_view path) {
  if (method != wanted) {
    return refuse(405, std::string(path) + " takes " + wanted + ", not " + std::string(method),
                  wanted);
  }
  Route r;
  r.kind = kind;
  return r;
}

}  // namespace

Route route_request(std::string_view method, std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  std::array<std::string_view, kMaxSegments + 1> s{};
  size_t n = 0;
  const auto unknown = [&] {
    return refuse(404, "no endpoint " + std::string(path) +
                           " (KServe v2: /v2, /v2/health/live, /v2/health/ready, "
                           "/v2/models/NAME[/versions/VERSION][/ready|/infer])");
  };
  if (path.empty() || path.front() != '/' || !split(path, s, n) || n == 0 || s[0] != "v2") {
    return unknown();
  }
  if (n == 1) return with_method(method, "GET", RouteKind::kServerMetadata, path);
  if (s[1] == "health" && n == 3) {
    if (s[2] == "live") return with_method(method, "GET", RouteKind::kLive, path);
    if (s[2] == "ready") return with_method(method, "GET", RouteKind::kReady, path);
    return unknown();
  }
  if (s[1] != "models" || n < 3) return unknown();
  // /v2/models/NAME, then optionally versions/VERSION, then optionally ready or infer.
  size_t at = 3;
  std::string_view version;
  if (n >= 5 && s[3] == "versions") {
    version = s[4];
    at = 5;
  }
  Route r;
  if (at == n) {
    r = with_method(method, "GET", RouteKind::kModelMetadata, path);
  } else if (at + 1 == n && s[at] == "ready") {
    r = with_method(method, "GET", RouteKind::kModelReady, path);
  } else if (at + 1 == n && s[at] == "infer") {
    r = with_method(method, "POST", RouteKind::kInfer, path);
  } else {
    return unknown();
  }
  if (r.kind == RouteKind::kNone) return r;
  if (const DecodeError e = check_name(s[2], "name", 0, true)) {
    return refuse(400, "model name '" + std::string(s[2]) + "' in " + std::string(path) + ": " +
                           std::string(e.problem));
  }
  if (const DecodeError e = check_name(version, "version", 0, at == 5)) {
    return refuse(400, "model version '" + std::string(version) + "' in " + std::string(path) +
                           ": " + std::string(e.problem));
  }
  if (s[2].size() > kMaxNameBytes || version.size() > kMaxVersionBytes) {
    return refuse(400, "model name or version in " + std::string(path) + " is too long (at most " +
                           std::to_string(kMaxNameBytes) + " and " +
                           std::to_string(kMaxVersionBytes) + " bytes)");
  }
  r.name = s[2];
  r.version = version;
  return r;
}

}  // namespace guiju::inference
