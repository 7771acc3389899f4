// Helpers shared by the SIP core tests.
#pragma once

#include <deque>
#include <fstream>
#include <sstream>
#include <string>

#ifndef PALISADE_TESTDATA_DIR
#error "PALISADE_TESTDATA_DIR must point at tests/data"
#endif

namespace palisade::test {

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline std::string testdata(const std::string& rel) { return read_file(std::string(PALISADE_TESTDATA_DIR) + "/" + rel); }

// Writes SIP text with "\n" line ends as the wire's CRLF.
inline std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += "\r\n";
    else out.push_back(c);
  }
  return out;
}

// Parsed messages view their buffer; keep() gives a test's buffer a lifetime as long as the
// test binary's, so `parse_message(keep(crlf("...")))` is safe.
inline const std::string& keep(std::string s) {
  static std::deque<std::string> store;
  return store.emplace_back(std::move(s));
}

}  // namespace palisade::test
