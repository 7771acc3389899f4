#include "trace/call_trace.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "sip/message.hpp"

namespace palisade::trace {

void CallTrace::set_capacity(std::size_t calls) {
  capacity_ = calls;
  while (calls_.size() > capacity_) evict_oldest();
}

void CallTrace::evict_oldest() {
  auto it = calls_.begin();
  for (const auto& id : it->second.call_ids) by_call_id_.erase(id);
  calls_.erase(it);
}

void CallTrace::open(std::string_view call_id, std::uint64_t* index) {
  while (!calls_.empty() && calls_.size() >= capacity_) evict_oldest();
  const std::uint64_t i = next_index_++;
  TracedCall& c = calls_[i];
  c.index = i;
  c.call_ids.emplace_back(call_id);
  c.messages.reserve(16);  // a basic call has 13 messages; grow once for a transfer
  by_call_id_.emplace(std::string(call_id), i);
  *index = i;
}

void CallTrace::record(TracedMessage m, std::string_view call_id, bool opens_call) {
  if (TracedMessage* slot = add(call_id, opens_call)) *slot = std::move(m);
}

TracedMessage* CallTrace::add(std::string_view call_id, bool opens_call) {
  if (capacity_ == 0 || call_id.empty()) return nullptr;
  std::uint64_t index = 0;
  if (auto it = by_call_id_.find(call_id); it != by_call_id_.end()) index = it->second;
  else if (opens_call) open(call_id, &index);
  else return nullptr;
  TracedCall& c = calls_.at(index);
  if (c.messages.size() >= kMaxMessagesPerCall) {
    ++c.dropped;
    return nullptr;
  }
  return &c.messages.emplace_back();
}

void CallTrace::link(std::string_view existing, std::string_view added) {
  if (capacity_ == 0 || existing.empty() || added.empty() || existing == added) return;
  auto e = by_call_id_.find(existing);
  if (e == by_call_id_.end()) return;  // the call's trace was forgotten already
  auto a = by_call_id_.find(added);
  if (a == by_call_id_.end()) {
    calls_.at(e->second).call_ids.emplace_back(added);
    by_call_id_.emplace(std::string(added), e->second);
    return;
  }
  if (a->second == e->second) return;
  // Two traced calls became one (attended transfer): the older index stays.
  merge(std::min(a->second, e->second), std::max(a->second, e->second));
}

void CallTrace::merge(std::uint64_t into, std::uint64_t from) {
  TracedCall& dst = calls_.at(into);
  TracedCall& src = calls_.at(from);
  for (auto& id : src.call_ids) {
    by_call_id_[id] = into;
    dst.call_ids.push_back(std::move(id));
  }
  const auto middle = static_cast<std::ptrdiff_t>(dst.messages.size());
  for (auto& m : src.messages) {
    if (dst.messages.size() >= kMaxMessagesPerCall) {
      ++dst.dropped;
      continue;
    }
    dst.messages.push_back(std::move(m));
  }
  std::inplace_merge(dst.messages.begin(), dst.messages.begin() + middle, dst.messages.end(),
                     [](const TracedMessage& x, const TracedMessage& y) { return x.mono_us < y.mono_us; });
  dst.dropped += src.dropped;
  calls_.erase(from);
}

const TracedCall* CallTrace::find(std::string_view which) const {
  std::uint64_t index = 0;
  const auto [end, ec] = std::from_chars(which.data(), which.data() + which.size(), index);
  if (ec == std::errc() && end == which.data() + which.size()) {
    auto it = calls_.find(index);
    return it == calls_.end() ? nullptr : &it->second;
  }
  auto it = by_call_id_.find(which);
  return it == by_call_id_.end() ? nullptr : &calls_.at(it->second);
}

std::vector<const TracedCall*> CallTrace::calls() const {
  std::vector<const TracedCall*> out;
  out.reserve(calls_.size());
  for (const auto& [i, c] : calls_) out.push_back(&c);
  return out;
}

namespace {

bool name_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  const std::size_t colon = line.find_first_not_of(" \t", name.size());
  return colon != std::string_view::npos && line[colon] == ':';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view call_id_of(std::string_view wire) {
  std::size_t pos = wire.find('\n');  // past the start line
  while (pos != std::string_view::npos && pos + 1 < wire.size()) {
    const std::size_t start = pos + 1;
    const std::size_t end = wire.find('\n', start);
    std::string_view line = wire.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (line.empty() || line == "\r") return {};  // end of the headers
    if (name_is(line, "call-id") || name_is(line, "i")) return trim(line.substr(line.find(':') + 1));
    pos = end;
  }
  return {};
}

bool opens_call(const sip::Message& m) {
  return m.is_request() && m.method() == "INVITE" && !(m.to() && m.to()->tag());
}

}  // namespace palisade::trace
