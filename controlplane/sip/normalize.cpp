#include "normalize.hpp"

#include "builder.hpp"

namespace palisade::sip {

namespace {

// Display names made of tokens keep one SP between the tokens; quoted ones stay as written.
std::string display_name(std::string_view dn) {
  if (!dn.empty() && dn.front() == '"') return std::string(dn);
  std::string out;
  Scanner sc(dn);
  while (!sc.eof()) {
    if (sc.skip_lws()) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(sc.token());
  }
  return out;
}

template <class T, class F>
std::string join(const std::vector<T>& items, F&& one) {
  std::string out;
  for (const auto& i : items) out.append(out.empty() ? "" : ", ").append(one(i));
  return out;
}

}  // namespace

std::string render(const Params& params) {
  std::string out;
  params.for_each([&](const Param& p) {
    out.append(";").append(p.name);
    if (p.has_value) out.append("=").append(p.value);
  });
  return out;
}

std::string render(const NameAddr& na) {
  std::string out = display_name(na.display_name);
  if (!out.empty()) out.push_back(' ');
  out.append("<").append(na.uri.raw).append(">").append(render(na.params));
  return out;
}

std::string render(const Via& v) {
  std::string out;
  out.append(v.protocol_name).append("/").append(v.protocol_version).append("/").append(v.transport);
  out.append(" ").append(v.host);
  if (v.port) out.append(":").append(std::to_string(*v.port));
  return out.append(render(v.params));
}

std::string normalized_value(const HeaderField& f) {
  switch (f.id) {
    case HeaderId::From:
    case HeaderId::To:
    case HeaderId::ReferTo:
    case HeaderId::ReferredBy:
      if (auto na = parse_name_addr(f.value)) return render(*na);
      break;
    case HeaderId::Contact:
      if (auto c = parse_contact(f.value)) return c->star ? "*" : join(c->contacts, [](const NameAddr& n) { return render(n); });
      break;
    case HeaderId::Route:
    case HeaderId::RecordRoute: {
      std::vector<NameAddr> list;
      if (parse_name_addr_list(f.value, &list)) return join(list, [](const NameAddr& n) { return render(n); });
      break;
    }
    case HeaderId::Via: {
      std::vector<Via> list;
      if (parse_via_list(f.value, &list)) return join(list, [](const Via& v) { return render(v); });
      break;
    }
    case HeaderId::CSeq:
      if (auto c = parse_cseq(f.value)) return std::to_string(c->number) + " " + std::string(c->method);
      break;
    case HeaderId::RAck:
      if (auto r = parse_rack(f.value))
        return std::to_string(r->rseq) + " " + std::to_string(r->cseq) + " " + std::string(r->method);
      break;
    case HeaderId::MaxForwards:
    case HeaderId::ContentLength:
    case HeaderId::Expires:
    case HeaderId::MinExpires:
    case HeaderId::RSeq:
      if (auto n = parse_uint(f.value, 0xFFFFFFFFu)) return std::to_string(*n);
      break;
    case HeaderId::ContentType:
      if (auto m = parse_media_type(f.value))
        return std::string(m->type) + "/" + std::string(m->subtype) + render(m->params);
      break;
    case HeaderId::Require:
    case HeaderId::ProxyRequire:
    case HeaderId::Supported:
    case HeaderId::Unsupported:
    case HeaderId::Allow: {
      std::vector<std::string_view> tokens;
      if (parse_token_list(f.value, &tokens))
        return join(tokens, [](std::string_view t) { return std::string(t); });
      break;
    }
    case HeaderId::Event:
      if (auto e = parse_event(f.value)) return std::string(e->package) + render(e->params);
      break;
    case HeaderId::SubscriptionState:
      if (auto s = parse_subscription_state(f.value)) return std::string(s->state) + render(s->params);
      break;
    default:
      break;
  }
  return unfold(f.value);
}

}  // namespace palisade::sip
