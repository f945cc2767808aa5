#pragma once
// Text from configuration (titles, symbols, directories) written into an HTML page: every character
// that could open a tag, an entity or end an attribute value is replaced by its entity, so the text
// is shown as written and never read as markup.

#include <string>
#include <string_view>

namespace guiju {

inline std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace guiju
