// RFC 4475 torture messages: every file against MANIFEST.tsv, and the values the RFC points
// out for the valid ones.
#include <gtest/gtest.h>

#include <map>

#include "sip/message.hpp"
#include "sip/multipart.hpp"
#include "sip/request_validator.hpp"
#include "test_util.hpp"

namespace palisade::sip {
namespace {

using test::keep;

using test::testdata;

struct Entry {
  std::string file, section, expected;
};

std::vector<Entry> manifest() {
  std::vector<Entry> out;
  std::istringstream in(testdata("rfc4475/MANIFEST.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    Entry e;
    std::getline(ls, e.file, '\t');
    std::getline(ls, e.section, '\t');
    std::getline(ls, e.expected, '\t');
    out.push_back(e);
  }
  return out;
}

class Rfc4475 : public ::testing::TestWithParam<Entry> {};

TEST_P(Rfc4475, MatchesManifest) {
  const Entry& e = GetParam();
  const std::string data = testdata("rfc4475/" + e.file);
  ASSERT_FALSE(data.empty()) << e.file;
  auto m = parse_message(data);
  if (e.expected == "invalid") {
    EXPECT_FALSE(m.ok()) << e.file << " (" << e.section << ") must be rejected by the parser";
    if (!m) {
      EXPECT_LE(m.error().offset, data.size());
    }
    return;
  }
  ASSERT_TRUE(m.ok()) << e.file << ": " << describe(m.error());
  auto verdict = m->is_request() ? validate_request(*m) : std::nullopt;
  if (e.expected == "valid") {
    EXPECT_FALSE(verdict.has_value()) << e.file << " answered " << verdict->status_code << " " << verdict->reason;
  } else {
    ASSERT_EQ(e.expected.rfind("reject:", 0), 0u);
    ASSERT_TRUE(verdict.has_value()) << e.file << " must be refused";
    EXPECT_EQ(verdict->status_code, std::stoi(e.expected.substr(7))) << e.file << ": " << verdict->reason;
  }
}

INSTANTIATE_TEST_SUITE_P(Manifest, Rfc4475, ::testing::ValuesIn(manifest()),
                         [](const auto& info) {
                           std::string n = info.param.file.substr(0, info.param.file.find('.'));
                           return n;
                         });

TEST(Rfc4475Manifest, HoldsAllFortyNineMessages) { EXPECT_EQ(manifest().size(), 50u); }  // 49 + test.dat

// Why an invalid message is invalid matters to the answer (505 for a version, 400 else).
TEST(Rfc4475Invalid, ErrorCodesNameTheFault) {
  const std::map<std::string, Errc> expected{
      {"badinv01.dat", Errc::BadHeaderValue}, {"clerr.dat", Errc::BodyTruncated},
      {"ncl.dat", Errc::BadContentLength},    {"scalar02.dat", Errc::BadHeaderValue},
      {"scalarlg.dat", Errc::BadHeaderValue}, {"quotbal.dat", Errc::BadHeaderValue},
      {"ltgtruri.dat", Errc::BadRequestUri},  {"lwsruri.dat", Errc::BadStartLine},
      {"lwsstart.dat", Errc::BadStartLine},   {"trws.dat", Errc::BadStartLine},
      {"escruri.dat", Errc::BadRequestUri},   {"baddate.dat", Errc::BadHeaderValue},
      {"regbadct.dat", Errc::BadUri},         {"badaspec.dat", Errc::BadUri},
      {"baddn.dat", Errc::BadUri},            {"badvers.dat", Errc::BadVersion},
      {"mismatch01.dat", Errc::CSeqMismatch}, {"mismatch02.dat", Errc::CSeqMismatch},
      {"bigcode.dat", Errc::BadStatusCode},   {"test.dat", Errc::BadStartLine},
  };
  for (const auto& [file, code] : expected) {
    auto m = parse_message(keep(testdata("rfc4475/" + file)));
    ASSERT_FALSE(m.ok()) << file;
    EXPECT_EQ(errc_name(m.error().code), std::string(errc_name(code))) << file << ": " << describe(m.error());
  }
}

TEST(Rfc4475Values, Wsinv) {
  const std::string data = testdata("rfc4475/wsinv.dat");
  auto m = parse_message(data);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->method_id(), Method::Invite);
  EXPECT_EQ(m->request_uri().host, "chair-dnrc.example.com");
  EXPECT_TRUE(m->request_uri().params.has("unknownparam"));
  EXPECT_EQ(m->to()->tag(), "1918181833n");
  EXPECT_EQ(m->from()->display_name, R"("J Rosenberg \\\"")");
  EXPECT_EQ(unquote(m->from()->display_name), R"(J Rosenberg \")");
  EXPECT_EQ(m->from()->tag(), "98asjd8");
  EXPECT_EQ(m->max_forwards(), 68u);
  EXPECT_EQ(m->cseq()->number, 9u);
  EXPECT_EQ(m->cseq()->method, "INVITE");
  auto vias = m->vias();
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(m->via_count(), 3u);
  EXPECT_EQ(vias[0].transport, "UDP");
  EXPECT_EQ(vias[0].host, "192.0.2.2");
  EXPECT_EQ(vias[0].branch(), "390skdjuw");
  EXPECT_EQ(vias[1].transport, "TCP");
  EXPECT_EQ(vias[1].host, "spindle.example.com");
  EXPECT_EQ(vias[1].branch(), "z9hG4bK9ikj8");
  EXPECT_EQ(vias[2].branch(), "z9hG4bK30239");
  auto contacts = m->contacts();
  ASSERT_EQ(contacts.contacts.size(), 1u);
  EXPECT_EQ(contacts.contacts[0].params.get("newparam"), "newvalue");
  EXPECT_EQ(contacts.contacts[0].params.get("q"), "0.33");
  EXPECT_TRUE(contacts.contacts[0].params.has("secondparam"));
  ASSERT_NE(m->find(HeaderId::Subject), nullptr);
  EXPECT_EQ(m->find(HeaderId::Subject)->value, "");
  EXPECT_EQ(m->find("NewFangledHeader")->value, "newfangled value\r\n continued newfangled value");
  auto routes = m->routes();
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_TRUE(routes[0].uri.params.has("lr"));
  EXPECT_EQ(routes[0].uri.param("unknownwith"), "value");
  EXPECT_EQ(m->body().size(), 150u);
}

TEST(Rfc4475Values, Intmeth) {
  auto m = parse_message(keep(testdata("rfc4475/intmeth.dat")));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->method(), "!interesting-Method0123456789_*+`.%indeed'~");
  EXPECT_EQ(m->method_id(), Method::Other);
  EXPECT_EQ(m->request_uri().user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(m->request_uri().password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(m->request_uri().host, "example.com");
  EXPECT_EQ(m->cseq()->number, 139122385u);
  EXPECT_EQ(m->max_forwards(), 255u);
  EXPECT_NE(m->to()->display_name.find(std::string_view("NUL:\\\0", 6)), std::string_view::npos);
  EXPECT_EQ(m->from()->display_name, "token1~` token2'+_ token3*%!.-");
  EXPECT_EQ(m->from()->tag(), "_token~1'+`*%!-.");
  EXPECT_EQ(m->call_id(), "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  EXPECT_EQ(m->top_via()->branch(), "z9hG4bK-.!%66*_+`'~");
}

TEST(Rfc4475Values, EscapesAreKeptAndDecodable) {
  auto m = parse_message(keep(testdata("rfc4475/esc01.dat")));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(unescape(m->request_uri().user), "sips:user@example.com");
  EXPECT_EQ(unescape(m->to()->uri.user), "user");
  EXPECT_EQ(unescape(m->from()->uri.user), "I have spaces");
  EXPECT_NE(m->find(HeaderId::CallId), nullptr);       // "i:"
  EXPECT_NE(m->find(HeaderId::ContentType), nullptr);  // "C:"
  auto c = m->contacts().contacts.at(0);
  EXPECT_EQ(unescape(c.uri.user), "caller");
  EXPECT_TRUE(c.uri.params.has("%6C%72"));
  EXPECT_EQ(unescape(*c.uri.param("n%61me")), "value%41");

  auto n = parse_message(keep(testdata("rfc4475/escnull.dat")));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(unescape(n->to()->uri.user), std::string("null-\0-null", 11));
  EXPECT_EQ(n->contacts().contacts.size(), 2u);
  EXPECT_EQ(unescape(n->contacts().contacts[1].uri.user), std::string("\0\0", 2));

  auto e2 = parse_message(keep(testdata("rfc4475/esc02.dat")));
  ASSERT_TRUE(e2.ok());
  EXPECT_EQ(e2->method(), "RE%47IST%45R");
  EXPECT_EQ(e2->method_id(), Method::Other);  // not REGISTER: methods are not unescaped
  EXPECT_EQ(e2->contacts().contacts.size(), 2u);  // "C%6Fntact" is another header
  EXPECT_NE(e2->find("C%6Fntact"), nullptr);
}

TEST(Rfc4475Values, DisplayNamesAndUriForms) {
  auto l = parse_message(keep(testdata("rfc4475/lwsdisp.dat")));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->from()->display_name, "caller");

  auto s = parse_message(keep(testdata("rfc4475/semiuri.dat")));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->request_uri().user, "user;par=u%40example.net");
  EXPECT_EQ(s->request_uri().host, "example.com");
  EXPECT_TRUE(s->request_uri().params.empty());

  auto c1 = parse_message(keep(testdata("rfc4475/cparam01.dat")));
  ASSERT_TRUE(c1.ok());
  auto ct1 = c1->contacts().contacts.at(0);
  EXPECT_TRUE(ct1.params.has("unknownparam"));  // addr-spec: a Contact parameter
  EXPECT_FALSE(ct1.uri.params.has("unknownparam"));
  auto c2 = parse_message(keep(testdata("rfc4475/cparam02.dat")));
  ASSERT_TRUE(c2.ok());
  auto ct2 = c2->contacts().contacts.at(0);
  EXPECT_TRUE(ct2.uri.params.has("unknownparam"));  // inside <>: a URI parameter
  EXPECT_FALSE(ct2.params.has("unknownparam"));

  auto r = parse_message(keep(testdata("rfc4475/regescrt.dat")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->contacts().contacts.at(0).uri.header("Route"), "<sip:sip.example.com>");

  auto u = parse_message(keep(testdata("rfc4475/unksm2.dat")));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->to()->uri.kind, UriScheme::Other);
  EXPECT_EQ(u->to()->uri.scheme, "isbn");
  EXPECT_EQ(u->to()->uri.opaque, "2983792873");
  EXPECT_EQ(u->from()->uri.scheme, "http");
  EXPECT_EQ(u->contacts().contacts.at(0).uri.scheme, "name");
}

TEST(Rfc4475Values, LongValues) {
  auto m = parse_message(keep(testdata("rfc4475/longreq.dat")));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->via_count(), 34u);
  EXPECT_EQ(m->to()->uri.port, 6000);
  EXPECT_TRUE(m->to()->uri.params.has("verylonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglongParameterNameWithNoValue"));
  EXPECT_GT(m->call_id()->size(), 100u);
  EXPECT_EQ(m->vias().back().received(), "192.0.2.5");
}

TEST(Rfc4475Values, FramingAndStartLines) {
  const std::string dbl = testdata("rfc4475/dblreq.dat");
  auto d = parse_message(dbl);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->method_id(), Method::Register);
  EXPECT_EQ(d->body(), "");
  EXPECT_LT(d->consumed(), dbl.size());  // the trailing INVITE is ignored

  auto t = parse_message(keep(testdata("rfc4475/transports.dat")));
  ASSERT_TRUE(t.ok());
  std::vector<std::string> transports;
  for (const auto& v : t->vias()) transports.emplace_back(v.transport);
  EXPECT_EQ(transports, (std::vector<std::string>{"UDP", "SCTP", "TLS", "UNKNOWN", "TCP"}));

  auto u = parse_message(keep(testdata("rfc4475/unreason.dat")));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->status_code(), 200);
  EXPECT_EQ(u->reason().substr(0, 14), "= 2**3 * 5**2 ");
  auto n = parse_message(keep(testdata("rfc4475/noreason.dat")));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->status_code(), 100);
  EXPECT_EQ(n->reason(), "");

  auto b = parse_message(keep(testdata("rfc4475/badbranch.dat")));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->top_via()->branch(), "z9hG4bK");

  auto bc = parse_message(keep(testdata("rfc4475/bcast.dat")));
  ASSERT_TRUE(bc.ok());
  EXPECT_EQ(bc->vias().at(1).host_kind, HostKind::IPv4);

  auto i = parse_message(keep(testdata("rfc4475/inv2543.dat")));
  ASSERT_TRUE(i.ok());
  EXPECT_FALSE(i->max_forwards().has_value());
  EXPECT_FALSE(i->content_length().has_value());
  EXPECT_FALSE(i->top_via()->has_rfc3261_branch());
  EXPECT_FALSE(i->from()->tag().has_value());
  EXPECT_EQ(i->body().substr(0, 4), "v=0\r");
  // Without <>, ";user=phone" belongs to the To header, not to the URI (RFC 4475 §3.4.1).
  EXPECT_EQ(i->to()->params.get("user"), "phone");
  EXPECT_FALSE(i->to()->uri.param("user"));
  EXPECT_EQ(i->from()->uri.param("user"), "phone");
}

TEST(Rfc4475Values, MultipartBody) {
  auto m = parse_message(keep(testdata("rfc4475/mpart01.dat")));
  ASSERT_TRUE(m.ok());
  auto ct = m->content_type();
  ASSERT_TRUE(ct);
  EXPECT_TRUE(ct->is("multipart", "mixed"));
  auto parts = parse_multipart(m->body(), *ct->param("boundary"));
  ASSERT_TRUE(parts.ok()) << describe(parts.error());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_TRUE((*parts)[0].content_type()->is("text", "plain"));
  EXPECT_EQ((*parts)[0].body, "Hello");
  EXPECT_TRUE((*parts)[1].content_type()->is("application", "octet-stream"));
  EXPECT_GT((*parts)[1].body.size(), 300u);
  EXPECT_EQ(find_body(*m, "text", "plain"), "Hello");
}

TEST(Rfc4475Rejects, ResponsesCarryWhatTheClientNeeds) {
  auto b = parse_message(keep(testdata("rfc4475/bext01.dat")));
  ASSERT_TRUE(b.ok());
  auto v = validate_request(*b);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->status_code, 420);
  EXPECT_EQ(v->header, HeaderId::Unsupported);
  EXPECT_EQ(v->header_value,
            "nothingSupportsThis, nothingSupportsThisEither, noProxiesSupportThis, norDoAnyProxiesSupportThis");

  auto i = parse_message(keep(testdata("rfc4475/invut.dat")));
  ASSERT_TRUE(i.ok());
  auto vi = validate_request(*i);
  ASSERT_TRUE(vi);
  EXPECT_EQ(vi->status_code, 415);
  EXPECT_EQ(vi->header, HeaderId::Accept);
  EXPECT_NE(vi->header_value.find("application/sdp"), std::string::npos);

  auto mc = parse_message(keep(testdata("rfc4475/mcl01.dat")));
  ASSERT_TRUE(mc.ok());
  EXPECT_TRUE(mc->content_length_conflict());
  // The same bytes on a stream cannot be framed at all.
  ParseOptions stream;
  stream.stream = true;
  auto ms = parse_message(keep(testdata("rfc4475/mcl01.dat")), stream);
  ASSERT_FALSE(ms.ok());
  EXPECT_EQ(ms.error().code, Errc::BadContentLength);
}

}  // namespace
}  // namespace palisade::sip
