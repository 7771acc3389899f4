#include "admission/source_guard.hpp"

#include <algorithm>

namespace palisade::admission {

namespace {
constexpr std::uint64_t kIdleForgetMs = 60000;  // a source quiet this long starts afresh
}

SourceGuard::Source* SourceGuard::find_or_add(std::string_view source, std::uint64_t now_ms) {
  if (auto it = sources_.find(source); it != sources_.end()) return &it->second;
  if (sources_.size() >= kMaxSources) return nullptr;
  Source& s = sources_.emplace(std::string(source), Source{}).first->second;
  s.tokens = static_cast<double>(cfg_.max_per_second);  // a new source may send a second's worth at once
  s.refilled_ms = s.last_seen_ms = s.invalid_window_start_ms = now_ms;
  return &s;
}

Verdict SourceGuard::admit(std::string_view source, std::uint64_t now_ms) {
  if (cfg_.trusted) {
    ++counters_.admitted;
    return Verdict::Admit;
  }
  Source* s = find_or_add(source, now_ms);
  if (!s) {
    ++counters_.table_full;
    return Verdict::TableFull;
  }
  s->last_seen_ms = now_ms;
  if (s->denied_until_ms > now_ms) {
    ++s->dropped_while_denied, ++counters_.denied_drops;
    return Verdict::Denied;
  }
  if (cfg_.max_per_second) {
    const double rate = cfg_.max_per_second;
    s->tokens = std::min(rate, s->tokens + rate * static_cast<double>(now_ms - s->refilled_ms) / 1000.0);
    s->refilled_ms = now_ms;
    if (s->tokens < 1.0) {
      ++counters_.rate_limited;
      return Verdict::RateLimited;
    }
    s->tokens -= 1.0;
  }
  ++counters_.admitted;
  return Verdict::Admit;
}

void SourceGuard::invalid(std::string_view source, std::uint64_t now_ms) {
  if (cfg_.trusted || cfg_.invalid_limit == 0) return;
  Source* s = find_or_add(source, now_ms);
  if (!s || s->denied_until_ms > now_ms) return;
  if (now_ms - s->invalid_window_start_ms >= kInvalidWindowS * 1000) s->invalid_window_start_ms = now_ms, s->invalid_in_window = 0;
  if (++s->invalid_in_window >= cfg_.invalid_limit) {
    s->denied_until_ms = now_ms + std::uint64_t{cfg_.deny_seconds} * 1000;
    s->dropped_while_denied = 0;
    s->invalid_in_window = 0;
    ++counters_.denials;
  }
}

void SourceGuard::sweep(std::uint64_t now_ms) {
  std::erase_if(sources_, [&](const auto& entry) {
    const Source& s = entry.second;
    return s.denied_until_ms <= now_ms && now_ms - s.last_seen_ms >= kIdleForgetMs;
  });
}

std::vector<DeniedSource> SourceGuard::denied(std::uint64_t now_ms) const {
  std::vector<DeniedSource> out;
  for (const auto& [address, s] : sources_)
    if (s.denied_until_ms > now_ms) out.push_back({address, (s.denied_until_ms - now_ms + 999) / 1000, s.dropped_while_denied});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.address < b.address; });
  return out;
}

}  // namespace palisade::admission
