#include "trace/ladder.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "sip/message.hpp"

namespace palisade::trace {

namespace {

constexpr std::size_t kStep = 17;    // characters between two columns
constexpr std::size_t kMargin = 10;  // the time column

std::string host_port(const Endpoint& e) {
  const bool v6 = e.address.find(':') != std::string::npos;
  return (v6 ? "[" + e.address + "]" : e.address) + ":" + std::to_string(e.port);
}

std::string clock_time(std::uint64_t wall_us) {
  const std::time_t t = static_cast<std::time_t>(wall_us / 1000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string fit(std::string s, std::size_t width) {
  if (s.size() > width) s.resize(width);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string pad(std::string s, std::size_t width) {
  s = fit(std::move(s), width);
  s.append(width - s.size(), ' ');
  return s;
}

std::string label(const sip::Message& m) {
  if (m.is_request()) return std::string(m.method());
  return std::to_string(m.status_code()) + " " + std::string(m.reason());
}

// What the caller's first INVITE came to: its final response, or how far it got.
std::string outcome(const TracedCall& c) {
  if (c.messages.empty()) return "-";
  const TracedMessage& first = c.messages.front();
  const std::string_view call_id = call_id_of(first.wire);
  std::string seen = "-";
  for (const auto& m : c.messages) {
    if (m.inbound || call_id_of(m.wire) != call_id) continue;
    auto msg = sip::parse_message(m.wire);
    if (!msg.ok() || !msg->is_response() || !msg->cseq() || msg->cseq()->method != "INVITE") continue;
    if (msg->status_code() >= 200) return fit(label(*msg), 14);
    if (msg->status_code() > 100) seen = "early";
  }
  return seen;
}

struct Party {
  bool sbc = false;
  std::string realm;
  Endpoint where;
};

}  // namespace

std::string call_list(const std::vector<const TracedCall*>& calls, std::size_t capacity) {
  if (capacity == 0) return "Call tracing is off (sip-config call-trace-calls 0).\n";
  std::string out = "Calls traced: " + std::to_string(calls.size()) + " (the newest " + std::to_string(capacity) +
                    " are kept)\n";
  out += "index  began     from              to                legs  msgs  result\n";
  for (const TracedCall* c : calls) {
    std::string from = "-", to = "-";
    if (!c->messages.empty())
      if (auto m = sip::parse_message(c->messages.front().wire); m.ok() && m->from() && m->to())
        from = std::string(m->from()->uri.user), to = std::string(m->to()->uri.user);
    char num[64];
    std::snprintf(num, sizeof num, "%5llu  ", static_cast<unsigned long long>(c->index));
    std::string line = num + pad(c->messages.empty() ? "-" : clock_time(c->messages.front().wall_us), 10) +
                       pad(from, 18) + pad(to, 18);
    std::snprintf(num, sizeof num, "%4zu  %4zu  ", c->call_ids.size(), c->messages.size());
    out += line + num + outcome(*c) + "\n";
  }
  return out;
}

std::string ladder(const TracedCall& call) {
  if (call.messages.empty()) return "Call " + std::to_string(call.index) + ": no messages\n";
  // Columns: peers on the first SBC side's realm, then the SBC's sides, then the other peers.
  std::vector<Party> left, middle, right;
  const std::string first_realm = call.messages.front().realm;
  auto index_in = [](const std::vector<Party>& v, const Party& p) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (v[i].where == p.where) return static_cast<int>(i);
    return -1;
  };
  for (const auto& m : call.messages) {
    const Party sbc{true, m.realm, m.local}, peer{false, m.realm, m.remote};
    if (index_in(middle, sbc) < 0) middle.push_back(sbc);
    auto& side = m.realm == first_realm ? left : right;
    if (index_in(left, peer) < 0 && index_in(right, peer) < 0) side.push_back(peer);
  }
  std::vector<Party> cols = left;
  cols.insert(cols.end(), middle.begin(), middle.end());
  cols.insert(cols.end(), right.begin(), right.end());
  auto column = [&](bool sbc, const Endpoint& e) {
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (cols[i].sbc == sbc && cols[i].where == e) return i;
    return std::size_t{0};  // not reached: every endpoint has its column
  };
  const std::size_t width = kMargin + (cols.size() - 1) * kStep + 1;

  std::string out = "Call " + std::to_string(call.index) + ", began " + clock_time(call.messages.front().wall_us) +
                    " UTC: " + std::to_string(call.messages.size()) + " messages";
  if (call.dropped) out += " (" + std::to_string(call.dropped) + " more not kept)";
  out += "\n";
  for (std::size_t i = 0; i < call.call_ids.size(); ++i) out += "  leg " + std::to_string(i + 1) + ": Call-ID " + call.call_ids[i] + "\n";

  // A letter per column, with a legend: five addresses would not fit 80 characters side by side.
  std::string names(width, ' ');
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const char letter = static_cast<char>('A' + i % 26);
    out += "  " + std::string(1, letter) + "  " + pad(cols[i].sbc ? "SBC in " + cols[i].realm : "peer in " + cols[i].realm, 24) +
           host_port(cols[i].where) + "\n";
    names[kMargin + i * kStep] = letter;
  }
  out += "\n" + fit(names, width) + "\n";

  const std::uint64_t t0 = call.messages.front().mono_us;
  for (const auto& m : call.messages) {
    std::string row(width, ' ');
    for (std::size_t i = 0; i < cols.size(); ++i) row[kMargin + i * kStep] = '|';
    char when[32];
    std::snprintf(when, sizeof when, "%8.3f", static_cast<double>(m.mono_us - t0) / 1e6);
    row.replace(0, 8, when);
    const std::size_t peer = column(false, m.remote), sbc = column(true, m.local);
    const std::size_t from = m.inbound ? peer : sbc, to = m.inbound ? sbc : peer;
    const std::size_t lo = kMargin + std::min(from, to) * kStep, hi = kMargin + std::max(from, to) * kStep;
    for (std::size_t x = lo + 1; x < hi; ++x) row[x] = '-';
    if (to > from) row[hi - 1] = '>';
    else row[lo + 1] = '<';
    auto msg = sip::parse_message(m.wire);
    const std::size_t room = hi - lo - 1;
    const std::string text = fit(msg.ok() ? label(*msg) : std::string("(unparsed)"), room - 4);
    row.replace(lo + 1 + (room - text.size()) / 2, text.size(), text);
    out += fit(row, width) + "\n";
  }
  return out;
}

}  // namespace palisade::trace
