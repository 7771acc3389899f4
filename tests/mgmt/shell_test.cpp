// The ACLI engine as an admin meets it: modes and prompts, abbreviation, `?` and TAB, setting
// attributes with type/range/enum errors answered at once, select/show/done/no/exit, and the
// verify/save/activate lifecycle.
#include <gtest/gtest.h>

#include "config/config_file.hpp"
#include "config/config_writer.hpp"
#include "mgmt/shell.hpp"
#include "mgmt/sip_traffic.hpp"

namespace palisade::mgmt {
namespace {

const char* kBase = R"(
system-config = { hostname = "sbc1"; };
network-interface = ( { name = "access0"; ip-address = "10.0.1.1"; netmask = "255.255.255.0"; },
                      { name = "core0"; ip-address = "10.0.2.1"; netmask = "255.255.255.0"; } );
realm-config = ( { identifier = "access"; network-interfaces = [ "access0" ]; },
                 { identifier = "core"; network-interfaces = [ "core0" ]; } );
sip-interface = ( { realm-id = "access"; sip-ports = ( { address = "10.0.1.1"; } ); },
                  { realm-id = "core"; sip-ports = ( { address = "10.0.2.1"; } ); } );
session-agent = ( { hostname = "pbx"; ip-address = "10.0.2.10"; realm-id = "core"; } );
local-policy = ( { to-address = [ "*" ]; source-realm = [ "access" ];
                   policy-attributes = ( { next-hop = "pbx"; realm = "core"; } ); } );
)";

struct NoStatus : StatusSource {
  trace::CallTrace trace{10};
  mutable std::vector<std::pair<std::string, std::size_t>> saved;  // path, messages
  const trace::CallTrace* call_trace() const override { return &trace; }
  std::string save_call_pcap(const trace::TracedCall& c, const std::string& path) const override {
    if (path == "/nowhere/x.pcap") return "cannot write /nowhere/x.pcap: No such file or directory";
    saved.emplace_back(path, c.messages.size());
    return {};
  }
  Status status() const override {
    Status s;
    s.hostname = "sbc1";
    s.sipd = {{"Sessions", 2, 5, 40, 12}};
    s.agents = {{"pbx", "core", "10.0.2.10:5060", "in-service", 2, 0, 40, 0, 0, 2.5}};
    return s;
  }
};

config::Config base() {
  auto r = config::load_config_text(kBase, "test.cfg");
  EXPECT_TRUE(r.config) << (r.problems.empty() ? "" : r.problems[0].str());
  return *r.config;
}

struct ShellTest : ::testing::Test {
  std::vector<std::string> saved_texts;
  std::vector<config::Config> activated;
  std::optional<std::string> save_error, activate_error;
  NoStatus status;
  ConfigStore store{base(), "/etc/palisade/sbc.cfg",
                    [this](const std::string& t) -> std::optional<std::string> {
                      if (save_error) return save_error;
                      saved_texts.push_back(t);
                      return std::nullopt;
                    },
                    [this](const config::Config& c) -> ConfigStore::Activation {
                      if (activate_error) return {activate_error, ""};
                      activated.push_back(c);
                      return {};
                    }};
  Session s{store, status};

  Reply run(std::string_view line) { return s.execute(line); }
  void ok(std::string_view line) {
    auto r = run(line);
    ASSERT_TRUE(r.ok) << line << " -> " << r.text;
  }
  void to_super() { ok("enable"); }
};

TEST_F(ShellTest, PromptsFollowTheModes) {
  EXPECT_EQ(s.prompt(), "sbc1> ");
  ok("enable");
  EXPECT_EQ(s.prompt(), "sbc1# ");
  ok("configure terminal");
  EXPECT_EQ(s.prompt(), "sbc1(configure)# ");
  ok("media-manager");
  EXPECT_EQ(s.prompt(), "sbc1(media-manager)# ");
  ok("media-manager");
  EXPECT_EQ(s.prompt(), "sbc1(media-manager-config)# ");
  ok("exit");
  ok("realm-config");
  EXPECT_EQ(s.prompt(), "sbc1(realm-config)# ");
  ok("exit");
  ok("exit");
  EXPECT_EQ(s.prompt(), "sbc1(configure)# ");
  ok("exit");
  EXPECT_EQ(s.prompt(), "sbc1# ");
  ok("exit");
  EXPECT_TRUE(s.closed());
}

TEST_F(ShellTest, UserModeOffersNoConfiguration) {
  auto r = run("configure terminal");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.text.find("unknown command 'configure'"), std::string::npos);
  EXPECT_EQ(s.prompt(), "sbc1> ");
}

TEST_F(ShellTest, EnableAsksThePasswordWhoseHashIsConfigured) {
  config::Config c = base();
  c.system.enable_password = hash_password("s3cret");
  ASSERT_TRUE(config::is_password_hash(c.system.enable_password)) << c.system.enable_password;
  store.reloaded(c);
  ok("enable");
  EXPECT_TRUE(s.wants_secret());
  EXPECT_EQ(s.prompt(), "Password: ");
  auto r = run("wrong");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(s.prompt(), "sbc1> ");
  ok("enable");
  ok("s3cret");
  EXPECT_EQ(s.prompt(), "sbc1# ");
}

TEST_F(ShellTest, CommandsAndAttributesMayBeAbbreviatedToAUniquePrefix) {
  ok("en");
  ok("conf t");
  ok("session-r");
  ok("session-a");
  EXPECT_EQ(s.prompt(), "sbc1(session-agent)# ");
  ok("hostn pbx2");
  ok("ip 10.0.2.20");
  ok("realm-id core");
  auto ambiguous = run("max-s 10");  // max-sessions or max-sustain-rate: refused, naming both
  EXPECT_FALSE(ambiguous.ok);
  EXPECT_NE(ambiguous.text.find("max-sessions, max-sustain-rate"), std::string::npos) << ambiguous.text;
  ok("max-ses 10");
  ok("done");
  ASSERT_EQ(store.candidate().session_agents.size(), 2u);
  EXPECT_EQ(store.candidate().session_agents[1].hostname, "pbx2");
  EXPECT_EQ(store.candidate().session_agents[1].max_sessions, 10u);
  // "p" is ambiguous in a session-agent (port, ping-method, ping-interval): named as such.
  auto r = run("p 5070");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.text.find("ambiguous command 'p': port, ping-method, ping-interval"), std::string::npos) << r.text;
}

TEST_F(ShellTest, WrongValuesAreRefusedAtOnceAndChangeNothing) {
  ok("enable");
  ok("configure terminal");
  ok("session-router");
  ok("session-agent");
  ok("select pbx");
  const std::string before = render(*find_kind("session-agent"), find_kind("session-agent")->at(&store.candidate(), 0));
  struct Case {
    const char* line;
    const char* says;
  } cases[] = {{"port 70000", "port: must be from 1 to 65535"},
               {"port five", "port: must be a number"},
               {"ip-address 10.0.2.300", "ip-address: must be an IPv4 or IPv6 address"},
               {"transport-method SCTP", "transport-method: must be one of UDP, TCP"},
               {"state maybe", "state: must be one of enabled, disabled"},
               {"hostname", "hostname: needs a value"},
               {"hostname a b", "takes one value"},
               {"hostname bad/name", "hostname: must be 1-63 letters"}};
  for (const auto& c : cases) {
    auto r = run(c.line);
    EXPECT_FALSE(r.ok) << c.line;
    EXPECT_NE(r.text.find(c.says), std::string::npos) << c.line << " -> " << r.text;
  }
  EXPECT_EQ(run("show").text, before);
  ok("exit");  // nothing changed: no question
  EXPECT_EQ(s.prompt(), "sbc1(session-router)# ");
  EXPECT_FALSE(store.unsaved());
}

TEST_F(ShellTest, TabCompletesCommandsAttributesEnumsAndKeys) {
  using V = std::vector<std::string>;
  EXPECT_EQ(s.complete("en"), V{"enable"});
  ok("enable");
  EXPECT_EQ(s.complete("conf"), V{"configure"});
  EXPECT_EQ(s.complete("configure t"), V{"terminal"});
  EXPECT_EQ(s.complete("show s"), V{"sipd"});
  EXPECT_EQ(s.complete("show sipd "), (V{"agents", "calls", "transfers", "call-flow", "acls", "realms"}));
  EXPECT_EQ(s.complete("show configuration realm-config "), (V{"access", "core"}));
  ok("configure terminal");
  ok("session-router");
  EXPECT_EQ(s.complete("se"), (V{"session-agent", "session-constraints"}));
  EXPECT_EQ(s.complete("session-c"), V{"session-constraints"});
  EXPECT_EQ(s.complete("s"), (V{"sip-interface", "session-agent", "session-constraints", "sip-config", "show"}));
  ok("session-agent");
  EXPECT_EQ(s.complete("ping-"), (V{"ping-method", "ping-interval"}));
  EXPECT_EQ(s.complete("transport-method "), (V{"UDP", "TCP"}));
  EXPECT_EQ(s.complete("state d"), V{"disabled"});
  EXPECT_EQ(s.complete("realm-id "), (V{"access", "core"}));  // existing keys
  EXPECT_EQ(s.complete("select "), V{"pbx"});
  EXPECT_TRUE(s.complete("port ").empty());  // a number is typed, not completed
}

TEST_F(ShellTest, QuestionMarkListsWhatMayFollowWithHelp) {
  ok("enable");
  auto r = run("?");
  EXPECT_NE(r.text.find("configure"), std::string::npos);
  EXPECT_NE(r.text.find("save-config"), std::string::npos);
  ok("configure terminal");
  ok("media-manager");
  ok("media-manager");
  auto h = s.help("worker-lcore ");
  EXPECT_NE(h.find("<number 0-127>"), std::string::npos) << h;
  EXPECT_NE(h.find("the core of the polling worker"), std::string::npos) << h;
  auto prefix = run("m?");
  EXPECT_NE(prefix.text.find("main-lcore"), std::string::npos);
  EXPECT_NE(prefix.text.find("memory-mb"), std::string::npos);
  EXPECT_EQ(prefix.text.find("worker-lcore"), std::string::npos);
  for (const auto& text : {r.text, h, prefix.text}) {
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      EXPECT_LE(end - start, 80u) << text.substr(start, end - start);
      start = end + 1;
    }
  }
}

TEST_F(ShellTest, SelectWithSeveralMatchesAsksForANumber) {
  ok("enable");
  ok("configure terminal");
  ok("media-manager");
  ok("realm-config");
  auto r = run("select");
  EXPECT_EQ(r.text, "1: access\n2: core\n");
  EXPECT_EQ(s.prompt(), "selection: ");
  EXPECT_FALSE(run("7").ok);
  ok("select");
  ok("2");
  EXPECT_NE(run("show").text.find("identifier                    core"), std::string::npos) << run("show").text;
  ok("select acc");  // a unique prefix needs no question
  EXPECT_NE(run("show").text.find("access0"), std::string::npos);
}

TEST_F(ShellTest, DoneStoresANewInstanceAndRefusesADuplicateKey) {
  ok("enable");
  ok("configure terminal");
  ok("media-manager");
  ok("realm-config");
  ok("identifier peer");
  ok("network-interfaces core0");
  ok("addr-prefix 192.168.0.0/16");
  ok("mm-in-realm enabled");
  auto r = run("done");
  ASSERT_TRUE(r.ok) << r.text;
  EXPECT_NE(r.text.find("mm-in-realm                   enabled"), std::string::npos) << r.text;
  ASSERT_EQ(store.candidate().realms.size(), 3u);
  EXPECT_TRUE(store.candidate().realms[2].mm_in_realm);
  ok("exit");
  ok("realm-config");
  ok("identifier core");
  auto dup = run("done");
  EXPECT_FALSE(dup.ok);
  EXPECT_NE(dup.text.find("realm-config core already exists; select it to change it"), std::string::npos);
  EXPECT_EQ(store.candidate().realms.size(), 3u);
}

TEST_F(ShellTest, ExitWithChangesAsksWhetherToSaveThem) {
  ok("enable");
  ok("configure terminal");
  ok("session-router");
  ok("session-agent");
  ok("select pbx");
  ok("port 5080");
  ok("exit");
  EXPECT_EQ(s.prompt(), "Save changes? [y/n]?: ");
  ok("n");
  EXPECT_EQ(store.candidate().session_agents[0].port, 5060u);
  ok("session-agent");
  ok("select pbx");
  ok("port 5080");
  ok("exit");
  ok("y");
  EXPECT_EQ(s.prompt(), "sbc1(session-router)# ");
  EXPECT_EQ(store.candidate().session_agents[0].port, 5080u);
}

TEST_F(ShellTest, ListsAreReplacedOrEditedWithPlusAndMinus) {
  ok("enable");
  ok("configure terminal");
  ok("media-manager");
  ok("realm-config");
  ok("select core");
  ok("network-interfaces +access0");
  EXPECT_EQ(store.candidate().realms[1].network_interfaces.size(), 1u);  // not stored before done
  ok("done");
  EXPECT_EQ(store.candidate().realms[1].network_interfaces, (std::vector<std::string>{"core0", "access0"}));
  ok("network-interfaces -core0");
  ok("done");
  EXPECT_EQ(store.candidate().realms[1].network_interfaces, (std::vector<std::string>{"access0"}));
  ok("network-interfaces (core0 access0)");
  ok("done");
  EXPECT_EQ(store.candidate().realms[1].network_interfaces, (std::vector<std::string>{"core0", "access0"}));
  EXPECT_FALSE(run("network-interfaces -nothere").ok);
}

TEST_F(ShellTest, SubElementsAreEditedInsideTheirParent) {
  ok("enable");
  ok("configure terminal");
  ok("session-router");
  ok("local-policy");
  ok("to-address 9");
  ok("source-realm access");
  ok("policy-attributes");
  EXPECT_EQ(s.prompt(), "sbc1(policy-attributes)# ");
  ok("next-hop 10.0.2.99");
  ok("realm core");
  ok("done");
  ok("exit");
  EXPECT_EQ(store.candidate().local_policies.size(), 1u);  // the parent is not stored yet
  auto r = run("done");
  ASSERT_TRUE(r.ok);
  EXPECT_NE(r.text.find("  policy-attributes\n    next-hop"), std::string::npos) << r.text;
  ASSERT_EQ(store.candidate().local_policies.size(), 2u);
  ASSERT_EQ(store.candidate().local_policies[1].policy_attributes.size(), 1u);
  EXPECT_EQ(store.candidate().local_policies[1].policy_attributes[0].next_hop, "10.0.2.99");
}

TEST_F(ShellTest, NoDeletesAnInstance) {
  ok("enable");
  ok("configure terminal");
  ok("session-router");
  auto r = run("no session-agent pbx");
  ASSERT_TRUE(r.ok) << r.text;
  EXPECT_EQ(r.text, "Deleted session-agent pbx\n");
  EXPECT_TRUE(store.candidate().session_agents.empty());
  EXPECT_FALSE(run("no session-agent pbx").ok);
  EXPECT_FALSE(run("no sip-config").ok);  // one instance: nothing to delete
}

TEST_F(ShellTest, VerifySaveActivateLifecycle) {
  ok("enable");
  EXPECT_EQ(run("display-current-cfg-version").text, "Current configuration version is 0\n");
  ok("configure terminal");
  ok("session-router");
  ok("session-agent");
  ok("hostname pbx2");
  ok("ip-address 10.0.2.11");
  ok("realm-id nowhere");
  ok("done");
  ok("exit");
  ok("exit");
  ok("exit");
  auto v = run("verify-config");
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.text.find("session-agent[pbx2].realm-id"), std::string::npos) << v.text;
  auto refused = run("save-config");
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(saved_texts.empty());
  EXPECT_TRUE(run("activate-config").text.find("Nothing to activate") != std::string::npos);

  ok("configure terminal");
  ok("session-router");
  ok("session-agent");
  ok("select pbx2");
  ok("realm-id core");
  ok("done");
  ok("exit");
  ok("exit");
  ok("exit");
  EXPECT_TRUE(run("verify-config").ok);
  auto saved = run("save-config");
  ASSERT_TRUE(saved.ok) << saved.text;
  ASSERT_EQ(saved_texts.size(), 1u);
  EXPECT_EQ(run("display-current-cfg-version").text, "Current configuration version is 1\n");
  EXPECT_EQ(run("display-running-cfg-version").text, "Running configuration version is 0\n");
  // What was written loads back to what was edited.
  auto back = config::load_config_text(saved_texts[0], "saved.cfg");
  ASSERT_TRUE(back.config);
  EXPECT_EQ(back.config->version, 1u);
  EXPECT_TRUE(same_config(*back.config, store.candidate()));
  EXPECT_TRUE(activated.empty());

  auto a = run("activate-config");
  ASSERT_TRUE(a.ok) << a.text;
  ASSERT_EQ(activated.size(), 1u);
  EXPECT_EQ(activated[0].session_agents.size(), 2u);
  EXPECT_EQ(run("display-running-cfg-version").text, "Running configuration version is 1\n");
  EXPECT_NE(run("show running-config session-agent pbx2").text.find("10.0.2.11"), std::string::npos);
}

TEST_F(ShellTest, AFailedActivationKeepsTheRunningVersion) {
  to_super();
  ok("configure terminal");
  ok("system");
  ok("system-config");
  ok("description \"edge of the lab\"");
  ok("done");
  ok("exit");
  ok("exit");
  ok("exit");
  ok("save-config");
  activate_error = "sip-port 10.0.9.1:5060/UDP cannot be opened";
  auto r = run("activate-config");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.text.find("version 0 stays running"), std::string::npos) << r.text;
  EXPECT_EQ(store.running_version(), 0u);
  EXPECT_EQ(store.running().system.description, "");
}

TEST_F(ShellTest, ShowCommandsUseTheStatus) {
  ok("show sipd agents");  // user mode may look
  auto r = run("sh sipd ag");
  EXPECT_NE(r.text.find("pbx"), std::string::npos);
  EXPECT_NE(r.text.find("in-service"), std::string::npos);
  EXPECT_NE(r.text.find(" Rate\n"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("     40   2.5\n"), std::string::npos) << r.text;  // total, then sessions per second
  EXPECT_FALSE(run("show nothing").ok);
}

TEST_F(ShellTest, CallFlowListsTracedCallsAndDrawsOne) {
  trace::TracedMessage m;
  m.realm = "access", m.local = {"10.0.1.1", 5060}, m.remote = {"10.0.1.50", 5060};
  m.wire = "INVITE sip:2000@10.0.1.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.1.50;branch=z9hG4bK1\r\n"
           "From: <sip:alice@x>;tag=1\r\nTo: <sip:2000@y>\r\nCall-ID: cid-1\r\nCSeq: 1 INVITE\r\n"
           "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
  status.trace.record(m, "cid-1", true);
  auto list = run("show sipd call-flow");  // user mode may look
  ASSERT_TRUE(list.ok) << list.text;
  EXPECT_NE(list.text.find("alice"), std::string::npos) << list.text;
  EXPECT_NE(list.text.find("2000"), std::string::npos) << list.text;
  EXPECT_EQ(s.complete("show sipd call-flow "), (std::vector<std::string>{"1"}));
  for (const char* which : {"show sipd call-flow 1", "sh sipd call-f cid-1"}) {
    auto r = run(which);
    ASSERT_TRUE(r.ok) << r.text;
    EXPECT_NE(r.text.find("|-----INVITE---->|"), std::string::npos) << r.text;
  }
  auto missing = run("show sipd call-flow 7");
  EXPECT_FALSE(missing.ok);
  EXPECT_NE(missing.text.find("no traced call 7"), std::string::npos);

  EXPECT_FALSE(run("save-call-flow 1 /tmp/c.pcap").ok);  // not in user mode
  to_super();
  ok("save-call-flow 1 /tmp/c.pcap");
  ASSERT_EQ(status.saved.size(), 1u);
  EXPECT_EQ(status.saved[0], (std::pair<std::string, std::size_t>{"/tmp/c.pcap", 1}));
  auto bad = run("save-call-flow cid-1 /nowhere/x.pcap");
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.text.find("No such file"), std::string::npos);
  EXPECT_FALSE(run("save-call-flow 9 /tmp/c.pcap").ok);
  EXPECT_FALSE(run("save-call-flow 1").ok);
}

TEST(ShellWords, TokenizerKeepsQuotedSpacesAndEmptyValues) {
  EXPECT_EQ(tokenize(R"(description "a b"  x)"), (std::vector<std::string>{"description", "a b", "x"}));
  EXPECT_EQ(tokenize(R"(ping-method "")"), (std::vector<std::string>{"ping-method", ""}));
  bool open = false;
  tokenize(R"(description "a b)", &open);
  EXPECT_TRUE(open);
}

TEST(StatusFormat, EveryTableFitsEightyColumns) {
  Status s;
  s.hostname = "a-rather-long-host-name";
  s.sipd = {{"Sessions", 123456789, 123456789, 123456789012, 123456789}};
  s.methods = {{"SUBSCRIBE", 1, 2, {1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1}}};
  s.agents = {{"a-session-agent-with-a-long-name", "core-realm-long", "2001:db8::1:2:3:4:5060", "out-of-service", 99999,
               99999, 999999, 0, 0}};
  s.calls = {{1234567, "transferring", "access", "10.0.1.10:5060", "alice-long-user", "core", "10.0.2.10:5060",
              "bob", 12345, true}};
  s.transfers = {{1, "attended", "waiting for the target's answer", "sip:carol@far.example.com"}};
  s.media.enabled = true;
  s.media.drops = {{"source not allowed by latching", 5}};
  s.ports = {{"access0-long-name", "net_af_packet0,iface=veth", "pal-access0", true, 1, 2, 3, 4, 5, 6, {}}};
  s.admission = {{"a-long-realm-name", false, 123456789012, 12345678901, 12345678901, 1, 1234567, 100000}};
  s.denied = {{"a-long-realm-name", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 86400, 123456789012}};
  s.realms = {{"a-long-realm-name", "a-long-constraint", 999999, 999999, 9999999999, 9999999999, 99999999, 999.9, 999.9}};
  for (auto f : {format_version, format_health, format_sipd, format_agents, format_calls, format_transfers,
                 format_mbcd, format_interfaces, format_acls, format_realms}) {
    const std::string text = f(s);
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      EXPECT_LE(end - start, 80u) << text.substr(start, end - start);
      start = end + 1;
    }
  }
}

TEST(StatusFormat, ShowMbcdCountsTransfersWithAnchoredMedia) {
  Status s;
  s.media.enabled = true;
  s.media.transfers_joined = 3, s.media.transfers_rehomed = 2, s.media.transfers_released = 1;
  const std::string text = format_mbcd(s);
  EXPECT_NE(text.find("Transfers: calls' media joined                      3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Transfers: side moved to another realm              2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Transfers: released to direct media                 1\n"), std::string::npos) << text;
}

TEST(StatCounterTest, PerMaxIsTheMostBegunInOneWindow) {
  StatCounter c;
  for (int i = 0; i < 5; ++i) c.begin(10);
  for (int i = 0; i < 5; ++i) c.end();
  for (int i = 0; i < 3; ++i) c.begin(150);
  EXPECT_EQ(c.active(), 3u);
  EXPECT_EQ(c.high(), 5u);
  EXPECT_EQ(c.total(), 8u);
  EXPECT_EQ(c.per_max(), 5u);
}

}  // namespace
}  // namespace palisade::mgmt

namespace palisade::mgmt {
namespace {

TEST(SipTrafficTest, CountsWireMessagesByMethodDirectionAndClass) {
  SipTraffic t;
  t.wire(SipTraffic::Out, "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nCSeq: 1 INVITE\r\n\r\n");
  t.wire(SipTraffic::In, "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h\r\ncseq:  1   INVITE\r\n\r\n");
  t.wire(SipTraffic::In, "SIP/2.0 200 OK\r\nCSeq: 2 BYE\r\n\r\n");
  t.wire(SipTraffic::In, "FOO sip:b@x SIP/2.0\r\n\r\n");
  t.wire(SipTraffic::In, "SIP/2.0 603 Decline\r\nContent-Length: 0\r\n\r\nCSeq: 9 REFER\r\n");  // body not read
  EXPECT_EQ(t.requests(SipTraffic::Out, "INVITE"), 1u);
  EXPECT_EQ(t.responses(SipTraffic::In, "INVITE", 1), 1u);
  EXPECT_EQ(t.responses(SipTraffic::In, "BYE", 2), 1u);
  EXPECT_EQ(t.requests(SipTraffic::In, "other"), 1u);
  EXPECT_EQ(t.responses(SipTraffic::In, "other", 6), 1u);
  EXPECT_EQ(t.responses(SipTraffic::In, "REFER", 6), 0u);
  auto rows = t.rows();
  ASSERT_EQ(rows.size(), 3u);  // INVITE, BYE, other
  EXPECT_EQ(rows[0].method, "INVITE");
}

}  // namespace
}  // namespace palisade::mgmt
