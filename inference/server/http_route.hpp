#pragma once
// Which KServe v2 (Open Inference Protocol) endpoint an HTTP request is for. Pure: no sockets, so
// every path the server takes apart is tested on its own.
//
//   GET  /v2                                          server metadata
//   GET  /v2/health/live | /v2/health/ready           health
//   GET  /v2/models/NAME[/versions/VERSION]           model metadata
//   GET  /v2/models/NAME[/versions/VERSION]/ready     model readiness
//   POST /v2/models/NAME[/versions/VERSION]/infer     inference
//
// Names and versions are repository directories ([A-Za-z0-9._-], not starting with '.'), the same
// rule the binary protocol applies, so no percent-decoding is needed and none is done.

#include <string>
#include <string_view>

namespace guiju::inference {

enum class RouteKind {
  kNone,  // refused: status and error say why
  kServerMetadata,
  kLive,
  kReady,
  kModelMetadata,
  kModelReady,
  kInfer,
};

struct Route {
  RouteKind kind = RouteKind::kNone;
  std::string_view name;     // the model (model routes)
  std::string_view version;  // empty: the latest ready version
  unsigned status = 0;       // kNone: 404 (no such endpoint), 405 (wrong method), 400 (bad name)
  std::string error;
  const char* allow = "";  // 405: the method the endpoint takes
};

// method: "GET", "POST", ... target: the request target (a query string is ignored). The views in
// the route point into target.
Route route_request(std::string_view method, std::string_view target);

}  // namespace guiju::inference
