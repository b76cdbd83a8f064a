#include "reports/report_escape.h"

#include <cstring>

namespace samplersim {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string md_escape(std::string_view text) {
  static constexpr const char* kSpecial = "\\`*_{}[]<>#+|~&$";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += ' ';
    } else if (std::strchr(kSpecial, c) != nullptr) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string chart_label(std::string_view text) {
  static constexpr const char* kAllowed = " ._:/=+,()%-";
  std::string out;
  for (char c : text) {
    if (out.size() >= 60) break;
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += (alnum || (c != '\0' && std::strchr(kAllowed, c) != nullptr)) ? c : '?';
  }
  return out;
}

}  // namespace samplersim
