// HEPv3 datagrams, read back chunk by chunk as a collector reads them.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "trace/hep.hpp"

namespace palisade::trace {
namespace {

std::uint32_t be(const std::string& b, std::size_t at, std::size_t n) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(b[at + i]);
  return v;
}

// Chunk type -> its data; fails the test on a malformed layout.
std::map<std::uint16_t, std::string> chunks(const std::string& p) {
  std::map<std::uint16_t, std::string> out;
  EXPECT_EQ(p.substr(0, 4), "HEP3");
  EXPECT_EQ(be(p, 4, 2), p.size());
  for (std::size_t at = 6; at < p.size();) {
    EXPECT_LE(at + 6, p.size());
    EXPECT_EQ(be(p, at, 2), 0u);  // generic vendor
    const auto type = static_cast<std::uint16_t>(be(p, at + 2, 2));
    const std::size_t len = be(p, at + 4, 2);
    EXPECT_GE(len, 6u);
    EXPECT_LE(at + len, p.size());
    EXPECT_FALSE(out.count(type)) << "chunk " << type << " twice";
    out[type] = p.substr(at + 6, len - 6);
    at += len;
  }
  return out;
}

TEST(Hep3, CarriesAddressesPortsTimeAndTheMessage) {
  const std::string sip = "INVITE sip:2000@10.1.0.1 SIP/2.0\r\nCall-ID: abc\r\n\r\n";
  HepMessage m{"10.1.0.50", "10.1.0.1", 5062, 5060, false, 1796385600123456ull, 2001, "abc", sip};
  const auto c = chunks(hep3(m));
  EXPECT_EQ(c.at(1), std::string(1, '\x02'));  // IPv4
  EXPECT_EQ(c.at(2), std::string(1, '\x11'));  // UDP
  EXPECT_EQ(c.at(3), std::string("\x0a\x01\x00\x32", 4));
  EXPECT_EQ(c.at(4), std::string("\x0a\x01\x00\x01", 4));
  EXPECT_EQ(be(c.at(7), 0, 2), 5062u);
  EXPECT_EQ(be(c.at(8), 0, 2), 5060u);
  EXPECT_EQ(be(c.at(9), 0, 4), 1796385600u);
  EXPECT_EQ(be(c.at(10), 0, 4), 123456u);
  EXPECT_EQ(c.at(11), std::string(1, '\x01'));  // SIP
  EXPECT_EQ(be(c.at(12), 0, 4), 2001u);
  EXPECT_EQ(c.at(17), "abc");
  EXPECT_EQ(c.at(15), sip);
}

TEST(Hep3, IPv6AndTcp) {
  HepMessage m{"2001:db8::1", "2001:db8::2", 5060, 5070, true, 0, 7, "", "SIP/2.0 200 OK\r\n\r\n"};
  const auto c = chunks(hep3(m));
  EXPECT_EQ(c.at(1), std::string(1, '\x0a'));
  EXPECT_EQ(c.at(2), std::string(1, '\x06'));
  EXPECT_EQ(c.at(5).size(), 16u);
  EXPECT_EQ(static_cast<unsigned char>(c.at(6)[15]), 2);
  EXPECT_FALSE(c.count(3));
  EXPECT_FALSE(c.count(17));  // no correlation id given: none sent
}

TEST(Hep3, RefusesWhatItCannotEncode) {
  EXPECT_EQ(hep3({"10.1.0.1", "2001:db8::2", 1, 2, false, 0, 0, "", "x"}), "");  // families differ
  EXPECT_EQ(hep3({"not-an-ip", "10.1.0.1", 1, 2, false, 0, 0, "", "x"}), "");
  const std::string huge(70000, 'x');
  EXPECT_EQ(hep3({"10.1.0.1", "10.1.0.2", 1, 2, false, 0, 0, "", huge}), "");
}

}  // namespace
}  // namespace palisade::trace
